"""Casework in process against a fresh database, with a fake journey worker on the Temporal dev server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from services.casework.main import create_app
from services.casework.service.allocations import Allocations
from services.casework.service.journeys import Journeys
from services.casework.settings import CaseworkSettings
from shared import clock
from shared.auth import Identity, Role, Scope, issue_token, service_token
from shared.clients.casework import CaseworkClient
from shared.contracts.journey import journey_workflow_id
from shared.settings import PlatformSettings
from tests.services.casework.fake_journey import FakeJourney, ProjectionActivities, unique_task_queue
from tests.support.databases import DatabaseFactory
from tests.support.identities import bearer, service_headers, token_for
from tests.support.net import free_port


def unreachable() -> str:
    return f"http://127.0.0.1:{free_port()}"


def casework_settings(url: str, platform: PlatformSettings, **overrides: Any) -> CaseworkSettings:
    # Register, notifications and returns are not running: the case page must degrade, not fail.
    platform = platform.model_copy(update={"register_url": unreachable(), "notifications_url": unreachable(),
                                           "returns_url": unreachable(), **overrides})
    # Tests put fakes of those services in place between reads: a part that did not answer is asked again at once.
    return CaseworkSettings(database_url=url, platform=platform, upstream_timeout_seconds=1.0,
                            case_view_retry_seconds=0)


@dataclass
class Harness:
    app: FastAPI
    http: httpx.AsyncClient
    platform: PlatformSettings
    temporal: Client
    database_url: str
    # Social workers' allocations as register would answer them (by email), for tests that do not run a fake
    # register; an email not here is asked of the register client casework holds.
    allocations: dict[str, list[UUID]] = field(default_factory=dict)

    def service(self, caller: str = "register") -> dict[str, str]:
        """Headers of `caller`'s token for casework: register sends events, the journey worker projections,
        returns asks for cases by stage."""
        return service_headers(self.platform, caller, "casework")

    def as_(self, role: Role, **scope: Any) -> dict[str, str]:
        if role is Role.SOCIAL_WORKER:
            return bearer(self.social_worker_token(scope.pop("pupil_ids", []), **scope))
        return bearer(token_for(self.platform, role, **scope))

    def social_worker_token(self, pupil_ids: list[UUID], **scope: Any) -> str:
        """A social worker's token (with no pupils in it) and, in register, these pupils allocated to her."""
        email = f"social-worker-{uuid4().hex[:8]}@childrens.example.gov"
        self.allocations[email] = list(pupil_ids)
        return issue_token(Identity(subject=f"test-{email}", name="Test Social Worker", role=Role.SOCIAL_WORKER,
                                    email=email, scope=Scope(**scope)), self.platform)

    async def fact_ids(self, pupil_id: UUID) -> list[str]:
        handle = self.temporal.get_workflow_handle(journey_workflow_id(pupil_id))
        return await handle.query("fact_ids", result_type=list[str])

    async def fact_sessions(self, pupil_id: UUID) -> list[str]:
        """'<session date> <AM|PM>' of each fact the journey was signalled, in order."""
        handle = self.temporal.get_workflow_handle(journey_workflow_id(pupil_id))
        return await handle.query("fact_sessions", result_type=list[str])


@pytest.fixture
async def harness(databases: DatabaseFactory, platform_settings: PlatformSettings,
                  dev_server_env: WorkflowEnvironment) -> AsyncIterator[Harness]:
    url = databases.create("casework")
    settings = casework_settings(url, platform_settings)
    task_queue = unique_task_queue()
    app = create_app(settings, journeys=Journeys.with_client(dev_server_env.client, task_queue=task_queue))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        casework = CaseworkClient("http://test", service_token("journey-worker", "casework", platform_settings),
                                  transport=transport)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http, Worker(
                dev_server_env.client, task_queue=task_queue, workflows=[FakeJourney],
                activities=[ProjectionActivities(casework).record_case_projection]):
            harness = Harness(app, http, settings.platform, dev_server_env.client, url)
            harness_allocations(harness)
            yield harness
        await casework.aclose()


def harness_allocations(harness: Harness, **options: Any) -> Allocations:
    """Casework's allocation cache, answered from the harness's allocations before its register client."""
    cw = harness.app.state.casework

    async def read(email: str) -> list[UUID]:
        if email in harness.allocations:
            return list(harness.allocations[email])
        pupils: list[UUID] = await cw.allocated_pupils(email)
        return pupils

    cw.allocations = Allocations(read, **options)
    return cw.allocations


def register_event(pupil_id: UUID | None = None, *, school_urn: str = "900001", la_code: str = "999",
                   event_type: str = "unexplained_absence", event_id: UUID | None = None,
                   display_name: str = "Ava Example", looked_after: bool = False,
                   has_social_worker: bool = True) -> dict[str, Any]:
    return {
        "event_id": str(event_id or uuid4()), "event_type": event_type,
        "occurred_at": clock.now().isoformat(), "session_date": "2026-11-23", "session": "AM", "code": "N",
        "pupil": {"pupil_id": str(pupil_id or uuid4()), "school_urn": school_urn, "la_code": la_code,
                  "display_name": display_name, "year_group": "5",
                  "flags": {"has_social_worker": has_social_worker, "looked_after": looked_after}},
    }
