"""The journey's activities against mocked HTTP: idempotency header, 4xx not retried, 5xx retried."""

from __future__ import annotations

import uuid

import httpx
import pytest
import respx
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from shared import clock
from shared.clients.casework import CaseworkClient
from shared.clients.notifications import NotificationsClient
from shared.contracts.casework import CaseProjection, TimelineEntry
from shared.contracts.notifications import NotificationRequest, RecipientRole
from shared.http import ServiceCallFailed
from workflows.journey.activities import JourneyActivities

pytestmark = pytest.mark.unit

PUPIL = uuid.uuid4()


def activities() -> JourneyActivities:
    return JourneyActivities(NotificationsClient("http://notifications.test", "token"),
                             CaseworkClient("http://casework.test", "token"))


def request() -> NotificationRequest:
    return NotificationRequest(idempotency_key=f"journey-{PUPIL}:e1:first_day_absence_parent",
                               template="first_day_absence_parent", recipient_role=RecipientRole.PARENTS,
                               pupil_id=PUPIL)


@respx.mock
async def test_notify_sends_the_idempotency_key_and_returns_the_outcome() -> None:
    route = respx.post("http://notifications.test/internal/notifications").mock(return_value=httpx.Response(
        200, json={"idempotency_key": request().idempotency_key, "repeated": True, "notifications": []}))
    outcome = await ActivityEnvironment().run(activities().notify, request())
    assert outcome.repeated
    sent = route.calls.last.request
    assert sent.headers["Idempotency-Key"] == request().idempotency_key
    assert sent.headers["Authorization"] == "Bearer token"


@respx.mock
async def test_a_rejection_is_not_retried() -> None:
    respx.post("http://notifications.test/internal/notifications").mock(return_value=httpx.Response(
        422, json={"type": "https://attendance.example/problems/UnknownTemplate", "title": "t", "status": 422,
                   "detail": "no such template"}))
    with pytest.raises(ApplicationError) as refused:
        await ActivityEnvironment().run(activities().notify, request())
    assert refused.value.non_retryable
    assert refused.value.type == "UnknownTemplate"


@respx.mock
async def test_a_server_error_or_outage_is_retried() -> None:
    respx.post(f"http://casework.test/internal/cases/{PUPIL}/projection").mock(return_value=httpx.Response(503))
    projection = CaseProjection(pupil_id=PUPIL, workflow_id=f"journey-{PUPIL}", state_version=1, stage="monitoring",
                                status="open", new_entries=[TimelineEntry(entry_key="k", kind="k", title="t",
                                                                          occurred_at=clock.now())])
    with pytest.raises(ServiceCallFailed) as failed:
        await ActivityEnvironment().run(activities().record_projection, projection)
    assert not failed.value.is_rejection
