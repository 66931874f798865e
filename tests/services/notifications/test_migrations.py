"""The Alembic migrations and the models describe the same schema, on this run's database."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from services.notifications.main import MIGRATIONS_DIR
from services.notifications.models import VERSION_TABLE, Base
from shared.db import run_migrations, sync_url
from tests.support.databases import DatabaseFactory

pytestmark = pytest.mark.services


def test_migrations_match_the_models(databases: DatabaseFactory) -> None:
    url = databases.create("notifications_migrations")
    run_migrations(MIGRATIONS_DIR, url)
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "compare_type": True,
                "include_name": lambda name, kind, _parents: not (kind == "table" and name == VERSION_TABLE)})
            assert compare_metadata(context, Base.metadata) == []
            tables = set(connection.dialect.get_table_names(connection))
    finally:
        engine.dispose()
    assert {"notification", "notification_status_event", "alembic_version_notifications"} <= tables
