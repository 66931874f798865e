"""The harness itself: databases are created empty on the configured backend, Temporal servers start."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from temporalio.testing import WorkflowEnvironment

from shared.db import create_engine
from tests.support.databases import DatabaseFactory


@pytest.mark.services
async def test_database_factory_gives_a_working_empty_database(databases: DatabaseFactory) -> None:
    url = databases.create("harness")
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE probe (n INTEGER)"))
        await conn.execute(text("INSERT INTO probe VALUES (41)"))
        assert (await conn.execute(text("SELECT n + 1 FROM probe"))).scalar_one() == 42
    await engine.dispose()
    expected = "postgresql" if databases.postgres_url else "sqlite"
    assert url.startswith(expected)


@pytest.mark.workflows
async def test_time_skipping_server_skips_time(time_skipping_env: WorkflowEnvironment) -> None:
    before = await time_skipping_env.get_current_time()
    await time_skipping_env.sleep(timedelta(days=30))
    after = await time_skipping_env.get_current_time()
    assert after - before >= timedelta(days=30)
