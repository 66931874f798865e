"""The migrations and the models agree, on the database this run uses."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from services.casework.main import MIGRATIONS_DIR
from services.casework.models import Base
from shared.db import run_migrations, sync_url
from tests.support.databases import DatabaseFactory

pytestmark = pytest.mark.services


def test_models_match_migrations(databases: DatabaseFactory) -> None:
    url = databases.create("casework_migrations")
    run_migrations(MIGRATIONS_DIR, url)
    engine = create_engine(sync_url(url))
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = [d for d in compare_metadata(context, Base.metadata)
                           if not (d[0] == "remove_table" and d[1].name.startswith("alembic_version"))]
            assert differences == []
    finally:
        engine.dispose()
