"""A fresh database per service per test session: PostgreSQL when TEST_POSTGRES_URL is set (CI), a
testcontainers PostgreSQL where a Docker engine answers, otherwise SQLite files."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url


def docker_available() -> bool:
    try:
        import docker

        docker.from_env().ping()
        return True
    except Exception:
        return False


class DatabaseFactory:
    """Creates throw-away databases on one server (or SQLite files in one folder) and drops them at the end."""

    def __init__(self, tmp_dir: Path, postgres_url: str | None) -> None:
        self.tmp_dir = tmp_dir
        self.postgres_url = postgres_url
        self._created: list[str] = []
        self.run_id = uuid.uuid4().hex[:8]

    @property
    def backend(self) -> str:
        return "postgresql" if self.postgres_url else "sqlite"

    def _admin_dsn(self) -> str:
        assert self.postgres_url
        return make_url(self.postgres_url).set(drivername="postgresql").render_as_string(hide_password=False)

    def create(self, name: str) -> str:
        """An async SQLAlchemy URL of a new, empty database."""
        unique = f"t_{self.run_id}_{name}_{uuid.uuid4().hex[:6]}"
        if not self.postgres_url:
            return f"sqlite+aiosqlite:///{(self.tmp_dir / f'{unique}.db').as_posix()}"
        with psycopg.connect(self._admin_dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{unique}"')
        self._created.append(unique)
        return make_url(self.postgres_url).set(drivername="postgresql+psycopg", database=unique).render_as_string(
            hide_password=False)

    def drop_all(self) -> None:
        if not self.postgres_url:
            return
        with psycopg.connect(self._admin_dsn(), autocommit=True) as conn:
            for name in self._created:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def database_factory(tmp_dir: Path) -> Iterator[DatabaseFactory]:
    postgres_url = os.environ.get("TEST_POSTGRES_URL")
    container = None
    if not postgres_url and os.environ.get("TEST_USE_TESTCONTAINERS") == "1" and docker_available():
        from testcontainers.postgres import PostgresContainer

        container = PostgresContainer("postgres:16-alpine", driver="psycopg")
        container.start()
        postgres_url = container.get_connection_url()
    factory = DatabaseFactory(tmp_dir, postgres_url)
    try:
        yield factory
    finally:
        factory.drop_all()
        if container is not None:
            container.stop()
