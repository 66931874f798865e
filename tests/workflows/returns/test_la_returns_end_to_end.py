"""The LA-return workflow end to end: real Temporal (dev server), the real activity calling the returns
service over real HTTP (uvicorn on a free port), returns reading a known register and storing the returns."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
import uvicorn
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from services.returns.main import create_app
from services.returns.settings import ReturnsSettings
from shared.auth import Role
from shared.contracts.returns import LaReturnsInput, la_return_workflow_id, period_label
from shared.settings import PlatformSettings
from tests.services.returns.world import World, fake_register
from tests.support.databases import DatabaseFactory
from tests.support.identities import bearer, token_for
from tests.support.net import free_port
from workflows.returns import RETURNS_WORKFLOWS, LaReturnsWorkflow, returns_activities

pytestmark = pytest.mark.workflows


@pytest.fixture
async def returns_service(databases: DatabaseFactory, platform_settings: PlatformSettings
                          ) -> AsyncIterator[tuple[str, dict[str, World]]]:
    """The returns app served by uvicorn on a free port; register is the stand-in over known registers."""
    worlds = {"900001": World("900001")}
    pupil = worlds["900001"].pupil()
    worlds["900001"].mark(pupil, worlds["900001"].days(date(2026, 11, 2), date(2026, 11, 13)), "N")
    port = free_port()
    app = create_app(ReturnsSettings(database_url=databases.create("returns_e2e"), platform=platform_settings),
                     register_transport=httpx.ASGITransport(app=fake_register(worlds)))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    yield f"http://127.0.0.1:{port}", worlds
    server.should_exit = True
    await task


async def test_a_run_generates_and_stores_the_returns_over_http(
        dev_server_env: WorkflowEnvironment, returns_service: tuple[str, dict[str, World]],
        platform_settings: PlatformSettings) -> None:
    url, _ = returns_service
    client = dev_server_env.client
    task_queue = f"la-returns-{uuid.uuid4()}"
    activities = returns_activities(platform_settings.model_copy(update={"returns_url": url}))
    start, end = date(2026, 11, 1), date(2026, 11, 30)
    request = LaReturnsInput(la_code="999", period_start=start, period_end=end)
    # The id carries this test's own run, so a Schedule for LA 999 on the same server (which makes last month's
    # returns) never collides with it, whatever month the suite runs in.
    workflow_id = f"{la_return_workflow_id('999', period_label(start, end))}-{uuid.uuid4().hex[:8]}"
    async with Worker(client, task_queue=task_queue, workflows=RETURNS_WORKFLOWS, activities=activities):
        for _ in range(2):  # a second run of the period replaces the unsubmitted returns, adding nothing
            outcome = await client.execute_workflow(
                LaReturnsWorkflow.run, request, id=workflow_id, task_queue=task_queue)
            assert outcome.returns_generated == 2
    headers = bearer(token_for(platform_settings, Role.LA_EWO, la_code="999"))
    async with httpx.AsyncClient(base_url=url) as http:
        listed = (await http.get("/api/v1/returns", headers=headers)).json()
    assert sorted((r["kind"], r["row_count"], r["period"]) for r in listed) == [
        ("attendance", 2, "2026-11-01_2026-11-30"), ("sickness", 0, "2026-11-01_2026-11-30")]
