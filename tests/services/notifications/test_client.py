"""The typed client other services use (the journey's activity, casework's case page) against the real app."""

from __future__ import annotations

import uuid

import httpx
import pytest

from shared.auth import service_token
from shared.clients.notifications import NotificationsClient
from shared.contracts.notifications import DeliveryStatus, NotificationRequest, PreviewRequest, RecipientRole
from shared.http import ServiceCallFailed
from tests.support.net import free_port

from .conftest import NotificationsHarness, make_pupil

pytestmark = pytest.mark.services


async def test_the_client_sends_reads_previews_and_surfaces_retryable_failures(
        harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())
    # The journey worker sends; casework reads and previews (each endpoint answers the service it is for).
    platform = harness.settings.platform
    client, reader = (NotificationsClient("http://test", service_token(caller, "notifications", platform),
                                          transport=httpx.ASGITransport(app=harness.app))
                      for caller in ("journey-worker", "casework"))
    request = NotificationRequest(
        idempotency_key=f"journey-{pupil.pupil_id}:unexplained_absence:2026-11-25:AM",
        template="unexplained_absence_social_worker", recipient_role=RecipientRole.SOCIAL_WORKER,
        pupil_id=pupil.pupil_id, context={"session_date": "2026-11-25", "session": "AM", "code": "N"})
    try:
        working_port, harness.settings.smtp_port = harness.settings.smtp_port, free_port()
        with pytest.raises(ServiceCallFailed) as down:
            await client.send(request)
        assert down.value.status == 503
        assert not down.value.is_rejection  # the activity retries this
        assert down.value.problem_type == "ChannelUnavailable"
        harness.settings.smtp_port = working_port

        outcome = await client.send(request)
        assert outcome.notifications[0].status is DeliveryStatus.SENT
        [listed] = await reader.pupil_notifications(pupil.pupil_id)
        detail = await reader.notification(listed.notification_id)
        assert [h.status for h in detail.history] == [DeliveryStatus.QUEUED, DeliveryStatus.QUEUED,
                                                      DeliveryStatus.SENT]
        preview = await reader.preview(PreviewRequest(template="first_day_absence_parent", pupil_id=pupil.pupil_id,
                                                      context={"session_date": "2026-11-26", "session": "PM"}))
        assert preview.recipient_name == "Jane Thompson"

        with pytest.raises(ServiceCallFailed) as rejected:
            await client.send(request.model_copy(update={"pupil_id": uuid.uuid4(),
                                                          "idempotency_key": "another-intent-0001"}))
        assert rejected.value.is_rejection  # the activity does not retry this
        assert rejected.value.problem["errors"][0]["field"] == "pupil_id"
    finally:
        await client.aclose()
        await reader.aclose()
    assert len(harness.sink.messages) == 1
