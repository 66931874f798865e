"""The returns migrations create exactly what the models describe."""

from __future__ import annotations

import asyncio

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from services.returns.main import MIGRATIONS_DIR
from services.returns.models import Base
from shared.db import run_migrations, sync_url
from tests.support.databases import DatabaseFactory

pytestmark = pytest.mark.services


async def test_models_and_migrations_agree(databases: DatabaseFactory) -> None:
    url = databases.create("returns_migrations")
    await asyncio.to_thread(run_migrations, MIGRATIONS_DIR, url)
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "compare_type": True,
                "include_name": lambda name, kind, _parent: not (kind == "table" and name.startswith("alembic_"))})
            assert compare_metadata(context, Base.metadata) == []
            assert "la_return" in connection.dialect.get_table_names(connection)
    finally:
        engine.dispose()
