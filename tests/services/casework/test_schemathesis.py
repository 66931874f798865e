"""Schemathesis on casework's OpenAPI document as its authorised callers: no 5xx, responses as documented.

Casework is served in a thread with its journeys on the Temporal dev server (the fake journey as worker) and
register and notifications answered by fakes; the fuzzing runs in a thread while this test's loop runs the worker.
"""

from __future__ import annotations

import asyncio
from uuid import uuid4

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from services.casework.main import create_app
from services.casework.service.journeys import Journeys
from services.casework.settings import CaseworkSettings
from shared.auth import Role, service_token
from shared.clients.casework import CaseworkClient
from shared.settings import PlatformSettings
from tests.services.casework.conftest import register_event, unreachable
from tests.services.casework.fake_journey import FakeJourney, ProjectionActivities, unique_task_queue
from tests.services.casework.fakes import fake_notifications, fake_register, summary_for
from tests.support.api_fuzz import LiveApp, fuzz
from tests.support.databases import DatabaseFactory
from tests.support.identities import bearer, service_headers, token_for

pytestmark = pytest.mark.services

# Which service each internal endpoint answers (services/casework/api/internal.py).
INTERNAL_CALLERS = {"/internal/events": "register", "/internal/cases/{pupil_id}/projection": "journey-worker",
                    "/internal/las/{la_code}/cases-by-stage": "returns"}


async def test_casework_answers_every_operation_as_documented(databases: DatabaseFactory,
                                                              platform_settings: PlatformSettings,
                                                              dev_server_env: WorkflowEnvironment) -> None:
    pupil_id = uuid4()
    task_queue = unique_task_queue()
    temporal_address = dev_server_env.client.service_client.config.target_host
    with LiveApp(fake_register({pupil_id: summary_for(pupil_id)}, {})) as register, \
            LiveApp(fake_notifications()) as notifications:
        platform = platform_settings.model_copy(update={
            "register_url": register.url, "notifications_url": notifications.url, "returns_url": unreachable(),
            "temporal_address": temporal_address})
        settings = CaseworkSettings(database_url=databases.create("casework_fuzz"), platform=platform)
        ewo = bearer(token_for(platform, Role.LA_EWO, la_code="999", name="Daniel Price"))

        def headers_for(method: str, path: str) -> dict[str, str]:
            caller = INTERNAL_CALLERS.get(path)
            return service_headers(platform, caller, "casework") if caller else ewo

        app = create_app(settings, journeys=Journeys(temporal_address, "default", 0.2, task_queue=task_queue))
        with LiveApp(app) as live:
            client = CaseworkClient(live.url, service_token("journey-worker", "casework", platform))
            async with Worker(dev_server_env.client, task_queue=task_queue, workflows=[FakeJourney],
                              activities=[ProjectionActivities(client).record_case_projection]):
                async with httpx.AsyncClient(base_url=live.url, timeout=30) as http:
                    opened = await http.post("/internal/events", json=register_event(pupil_id),
                                             headers=headers_for("POST", "/internal/events"))
                    assert opened.status_code == 200, opened.text
                failures = await asyncio.to_thread(
                    fuzz, app, live.url, headers_for, examples=6,
                    path_parameters={"pupil_id": pupil_id, "urn": "900001", "la_code": "999"})
            await client.aclose()
    assert not failures, "\n".join(failures)
