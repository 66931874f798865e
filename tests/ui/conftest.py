"""Browser tests: casework served by uvicorn on a free port, a fake journey worker on the Temporal dev server,
fake register and notifications services, and Debian's chromium driven by Playwright (async)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from services.casework.main import create_app
from services.casework.service.journeys import Journeys
from services.casework.settings import CaseworkSettings
from shared.auth import service_token
from shared.clients.casework import CaseworkClient
from shared.settings import PlatformSettings
from tests.conftest import REPO_ROOT
from tests.services.casework.conftest import register_event
from tests.services.casework.fake_journey import FakeJourney, ProjectionActivities, unique_task_queue
from tests.services.casework.fake_reports import FakeReports
from tests.services.casework.fake_returns import FakeReturns
from tests.services.casework.fakes import fake_notifications, fake_register, summary_for
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.databases import DatabaseFactory
from tests.support.identities import service_headers
from tests.support.net import free_port, wait_for_port

SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
SOCIAL_WORKER_EMAIL = "h.carter@northshire-childrens.example.gov"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if not CHROMIUM.exists():
        skip = pytest.mark.skip(reason="Debian chromium is not installed at /usr/bin/chromium "
                                       "(apt-get install -y chromium; `make install` does it)")
        for item in items:
            if "tests/ui/" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


class ServerThread:
    """One ASGI app under uvicorn in a thread, on a free port."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ServerThread:
        self.thread.start()
        wait_for_port(self.port, timeout=60)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _returns_app(returns: FakeReturns) -> FastAPI:
    """The stand-in returns: sickness expectations, and the reports casework's LA dashboard and governor report
    pages read."""
    app = returns.app()
    app.include_router(FakeReports(returns.platform).router())
    return app


@dataclass
class LiveCasework:
    url: str
    allocated: UUID
    unallocated: UUID
    other_school: UUID
    returns: FakeReturns


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="module")
async def live_casework(databases: DatabaseFactory, platform_settings: PlatformSettings,
                        dev_server_env: WorkflowEnvironment) -> AsyncIterator[LiveCasework]:
    allocated, unallocated, other_school = uuid4(), uuid4(), uuid4()
    task_queue = unique_task_queue()
    temporal_address = dev_server_env.client.service_client.config.target_host
    # Leo's family: Sophie at the same school, Harry at another (only counted for Millbrook's officer).
    pupils = {allocated: summary_for(allocated, name="Sophie Allocated"),
              unallocated: summary_for(unallocated, name="Leo Unallocated"),
              other_school: summary_for(other_school, school_urn="900002", name="Harry Harbour")}
    families = {unallocated: [pupils[allocated], pupils[other_school]]}
    returns = FakeReturns(platform_settings, registers={"900001": {allocated, unallocated}})
    with ServerThread(fake_register(pupils, {SOCIAL_WORKER_EMAIL: [allocated]}, families)) as register, \
            ServerThread(fake_notifications()) as notifications, ServerThread(_returns_app(returns)) as returns_server:
        platform = platform_settings.model_copy(update={
            "register_url": register.url, "notifications_url": notifications.url,
            "returns_url": returns_server.url, "temporal_address": temporal_address})
        settings = CaseworkSettings(database_url=databases.create("casework_ui"), platform=platform)
        # The app connects to Temporal on its own loop (uvicorn's thread), on this test's task queue.
        app = create_app(settings, journeys=Journeys(temporal_address, "default", 0.2, task_queue=task_queue))
        with ServerThread(app) as casework:
            client = CaseworkClient(casework.url, service_token("journey-worker", "casework", platform))
            async with Worker(dev_server_env.client, task_queue=task_queue, workflows=[FakeJourney],
                              activities=[ProjectionActivities(client).record_case_projection]):
                await _seed(casework.url, platform, allocated, unallocated, other_school)
                yield LiveCasework(casework.url, allocated, unallocated, other_school, returns)
            await client.aclose()


async def _seed(url: str, platform: PlatformSettings, allocated: UUID, unallocated: UUID,
                other_school: UUID) -> None:
    events = [register_event(allocated, display_name="Sophie Allocated"),
              register_event(unallocated, display_name="Leo Unallocated", has_social_worker=False,
                             event_type="became_persistently_absent"),
              register_event(other_school, school_urn="900002", display_name="Harry Harbour")]
    async with httpx.AsyncClient(base_url=url, headers=service_headers(platform, "register", "casework")) as http:
        for event in events:
            for _ in range(50):  # the app's Temporal connection comes up in the background
                response = await http.post("/internal/events", json=event)
                if response.status_code != 503:
                    break
                await asyncio.sleep(0.2)
            assert response.status_code == 200, response.text
