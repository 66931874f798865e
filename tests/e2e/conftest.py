"""The whole system as real processes (embedded Temporal, SMTP sink, four services, worker) on free ports."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from temporalio.client import Client

from scripts.embedded import SERVICES, EmbeddedSystem, SystemConfig
from tests.support.databases import DatabaseFactory
from tests.support.net import free_port

# The demo's start-up work (its crossing events, their journeys' letters, the returns made on start) grows with
# the school year the suite runs in; on a shared 2-core machine it can take minutes.
SETTLE_TIMEOUT = 300.0


@pytest.fixture(scope="package")
def system(databases: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedSystem]:
    config = SystemConfig(
        data_dir=tmp_path_factory.mktemp("system"), environment="test", temporal_port=free_port(),
        temporal_ui=False, smtp_port=free_port(), smtp_web_port=free_port(),
        ports={service: free_port() for service in SERVICES},
        database_urls={service: databases.create(service) for service in SERVICES}, seed_demo=True)
    embedded = EmbeddedSystem(config)
    try:
        embedded.start_all()
        asyncio.run(wait_until_settled(embedded))
        yield embedded
    finally:
        embedded.stop_all()


async def wait_until_settled(system: EmbeddedSystem, timeout: float = SETTLE_TIMEOUT) -> None:
    """Until register has delivered every event it wrote and no workflow has a task or activity in flight (three
    checks running), so that a test times its own step rather than the queue of demo work ahead of it."""
    client = await Client.connect(f"127.0.0.1:{system.config.temporal_port}")
    register_db = create_async_engine(system.config.database_urls["register"])
    deadline, quiet, busy = time.monotonic() + timeout, 0, ["not checked yet"]
    try:
        while quiet < 3:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the system did not settle within {timeout:.0f}s: {', '.join(busy)}")
            busy = await _undelivered(register_db) + await _in_flight(client)
            quiet = 0 if busy else quiet + 1
            await asyncio.sleep(1.0)
    finally:
        await register_db.dispose()


async def _undelivered(register_db: AsyncEngine) -> list[str]:
    async with register_db.connect() as connection:
        count = (await connection.execute(
            text("SELECT count(*) FROM outbox_event WHERE delivered_at IS NULL"))).scalar_one()
    return [f"{count} register events undelivered"] if count else []


async def _in_flight(client: Client) -> list[str]:
    busy = []
    async for execution in client.list_workflows("ExecutionStatus = 'Running'"):
        raw = (await client.get_workflow_handle(execution.id, run_id=execution.run_id).describe()).raw_description
        if raw.pending_activities or raw.HasField("pending_workflow_task"):
            busy.append(execution.id)
    return [f"{len(busy)} workflows working (e.g. {busy[0]})"] if busy else []
