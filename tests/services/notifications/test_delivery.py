"""The walking-skeleton slice: an N code tells the social worker once, by SMTP, and records it."""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import timedelta

import pytest

from services.notifications import repository
from services.notifications.dependencies import notifier_for
from services.notifications.service import delivery
from shared.auth import Role
from shared.clients.register import RegisterClient
from shared.contracts.notifications import NotificationOutcome, NotificationRequest
from shared.contracts.register import PupilContacts
from shared.db import utcnow
from shared.unit_of_work import UnitOfWork
from tests.support.identities import bearer, token_for
from tests.support.net import free_port

from .conftest import NotificationsHarness, bodies, make_pupil, n_request

pytestmark = pytest.mark.services


async def test_n_code_tells_the_social_worker_once(harness: NotificationsHarness,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    pupil = harness.register.add(make_pupil())
    caplog.set_level(logging.INFO)  # the production level; DEBUG drivers echo SQL

    response = await harness.send(n_request(pupil))

    assert response.status_code == 200, response.text
    outcome = response.json()
    assert outcome["repeated"] is False
    [record] = outcome["notifications"]
    assert record["status"] == "sent"
    assert record["recipient_role"] == "social_worker"
    assert record["recipient_name"] == "Helen Carter"
    assert record["template_version"].startswith("sha256:")
    [message] = harness.sink.messages
    assert message["To"] == "Helen Carter <h.carter@northshire-childrens.example.gov>"
    assert message["Subject"] == "Unexplained absence: Ava Thompson, Wednesday 25 November 2026 (morning)"
    assert message["Message-ID"] == f"<notification-{record['notification_id']}@northshire.example.gov>"
    text, html = bodies(message)
    for body in (text, html):
        assert "Dear Helen Carter" in body
        assert "Ava Thompson" in body
        assert "Wednesday 25 November 2026" in body
        assert "morning session" in body
        assert "code N" in body
    # Pupil and contact details stay in the database and the message, never in the logs.
    # (mail.log is the test's own SMTP sink, standing in for the mail server.)
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name != "mail.log")
    assert "notification" in logged
    for secret in ("Thompson", "Helen", "h.carter@"):
        assert secret not in logged


async def test_a_repeated_request_sends_nothing_and_returns_the_first_outcome(
        harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())
    body = n_request(pupil)

    first = (await harness.send(body)).json()
    second = await harness.send(body)

    assert second.status_code == 200
    assert second.json()["repeated"] is True
    assert second.json()["notifications"] == first["notifications"]
    assert len(harness.sink.messages) == 1


async def test_concurrent_identical_requests_send_exactly_once(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())
    body = n_request(pupil)

    responses = await asyncio.gather(*(harness.send(body) for _ in range(6)))

    assert [r.status_code for r in responses] == [200] * 6, [r.text for r in responses]
    outcomes = [r.json() for r in responses]
    assert sorted(o["repeated"] for o in outcomes) == [False] + [True] * 5
    ids = {n["notification_id"] for o in outcomes for n in o["notifications"]}
    assert len(ids) == 1
    assert {n["status"] for o in outcomes for n in o["notifications"]} == {"sent"}
    assert len(harness.sink.messages) == 1


async def test_losing_the_insert_race_answers_with_the_winners_records(
        harness: NotificationsHarness, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deterministic version of the race: another request commits while this one asks the register."""
    pupil = harness.register.add(make_pupil())
    body = n_request(pupil)
    notifier = notifier_for(harness.app.state, UnitOfWork(harness.app.state.sessions))
    real_lookup = delivery.pupil_contacts
    winner: list[NotificationOutcome] = []
    raced: list[bool] = []

    async def lookup_while_another_request_wins(register: RegisterClient, pupil_id: uuid.UUID) -> PupilContacts:
        contacts = await real_lookup(register, pupil_id)
        if not raced:
            raced.append(True)
            winner.append(await delivery.request_notification(notifier, NotificationRequest.model_validate(body)))
        return contacts

    monkeypatch.setattr(delivery, "pupil_contacts", lookup_while_another_request_wins)
    response = await harness.send(body)

    assert response.status_code == 200, response.text
    assert response.json()["repeated"] is True
    assert winner[0].repeated is False
    assert [n["notification_id"] for n in response.json()["notifications"]] == [
        str(n.notification_id) for n in winner[0].notifications]
    assert len(harness.sink.messages) == 1


async def test_a_pupil_without_a_social_worker_fails_visibly_and_escalates(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil(social_worker=False))

    response = await harness.send(n_request(pupil))

    assert response.status_code == 200, response.text
    records = {n["recipient_role"]: n for n in response.json()["notifications"]}
    failed = records["social_worker"]
    assert failed["status"] == "failed"
    assert failed["failure_reason"] == "no social worker recorded"
    escalation = records["attendance_lead"]
    assert escalation["template"] == "contact_details_missing_attendance_lead"
    assert escalation["status"] == "sent"
    assert escalation["escalates_notification_id"] == failed["notification_id"]
    [message] = harness.sink.messages
    assert message["To"] == "Grace Okafor <g.okafor@harbourview.example.org>"
    text, _ = bodies(message)
    assert "no social worker recorded" in text
    assert "Ava Thompson" in text
    # Repeating the request escalates nothing twice.
    again = await harness.send(n_request(pupil) | {"idempotency_key": response.json()["idempotency_key"]})
    assert again.json()["repeated"] is True
    assert len(harness.sink.messages) == 1


async def test_no_social_worker_and_no_attendance_lead_is_still_recorded(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil(social_worker=False, attendance_lead=False))

    response = await harness.send(n_request(pupil))

    assert response.status_code == 200
    reasons = sorted(n["failure_reason"] for n in response.json()["notifications"])
    assert reasons == ["no attendance lead recorded", "no social worker recorded"]
    assert harness.sink.messages == []


async def test_smtp_down_answers_503_keeps_it_queued_and_a_retry_sends_once(
        harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())
    body = n_request(pupil)
    working_port = harness.settings.smtp_port
    harness.settings.smtp_port = free_port()  # nothing listens there

    down = await harness.send(body)

    assert down.status_code == 503
    assert down.headers["content-type"].startswith("application/problem+json")
    assert down.json()["type"] == "/problems/ChannelUnavailable"
    [record] = (await harness.client.get(f"/internal/pupils/{pupil.pupil_id}/notifications",
                                         headers=harness.as_("casework"))).json()
    assert record["status"] == "queued"
    detail = (await harness.client.get(f"/internal/notifications/{record['notification_id']}",
                                       headers=harness.as_("casework"))).json()
    assert [h["status"] for h in detail["history"]] == ["queued", "queued"]
    assert "could not be reached" in detail["history"][1]["detail"]

    harness.settings.smtp_port = working_port
    retry = await harness.send(body)

    assert retry.status_code == 200, retry.text
    assert retry.json()["repeated"] is True
    assert retry.json()["notifications"][0]["status"] == "sent"
    assert retry.json()["notifications"][0]["notification_id"] == record["notification_id"]
    assert len(harness.sink.messages) == 1
    detail = (await harness.client.get(f"/internal/notifications/{record['notification_id']}",
                                       headers=harness.as_("casework"))).json()
    assert [h["status"] for h in detail["history"]] == ["queued", "queued", "sent"]
    assert (await harness.send(body)).json()["repeated"] is True
    assert len(harness.sink.messages) == 1


async def test_a_claim_left_by_a_dead_process_is_resent_after_its_lease(harness: NotificationsHarness) -> None:
    """The at-least-once window: queued and claimed, then the process died before recording 'sent'."""
    pupil = harness.register.add(make_pupil())
    body = n_request(pupil)
    harness.settings.smtp_port, working_port = free_port(), harness.settings.smtp_port
    assert (await harness.send(body)).status_code == 503
    harness.settings.smtp_port = working_port
    sessions = harness.app.state.sessions
    async with sessions() as db:
        [row] = await repository.by_idempotency_key(db, body["idempotency_key"])
    async with sessions.begin() as db:
        # As if another process claimed it a moment ago and is still sending.
        assert await repository.claim(db, row.id, utcnow(), utcnow() + timedelta(seconds=0.5))
    harness.settings.in_flight_wait_seconds = 0.1

    busy = await harness.send(body)
    assert busy.status_code == 503
    assert busy.json()["type"] == "/problems/DeliveryInProgress"
    assert harness.sink.messages == []

    harness.settings.in_flight_wait_seconds = 5
    resent = await harness.send(body)  # waits for the abandoned claim to lapse, then sends
    assert resent.status_code == 200, resent.text
    assert resent.json()["notifications"][0]["status"] == "sent"
    assert len(harness.sink.messages) == 1


async def test_a_non_service_token_is_refused(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())
    token = token_for(harness.settings.platform, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900002"])

    response = await harness.send(n_request(pupil), headers=bearer(token))
    anonymous = await harness.send(n_request(pupil), headers={})

    assert response.status_code == 403
    assert anonymous.status_code == 401
    assert harness.sink.messages == []


@pytest.mark.parametrize(("change", "field"), [
    ({"recipient_role": "headteacher"}, "recipient_role"),
    ({"idempotency_key": "short"}, "idempotency_key"),
    ({"pupil_id": "not-a-uuid"}, "pupil_id"),
    ({"template": "no_such_template"}, "template"),
    ({"recipient_role": "parents"}, "recipient_role"),
    ({"context": {"session": "AM", "code": "N"}}, "context.session_date"),
    ({"context": {"session_date": "25/11/2026", "session": "AM", "code": "N"}}, "context"),
    ({"channel": "letter"}, "channel"),
    ({"channel": "sms"}, "channel"),
    ({"language": "cy"}, "language"),  # no Welsh version of this template yet
    ({"language": "Welsh"}, "language"),  # SMS needs GOV.UK Notify, not configured here
])
async def test_a_bad_body_is_a_422_naming_the_field(harness: NotificationsHarness, change: dict[str, object],
                                                    field: str) -> None:
    pupil = harness.register.add(make_pupil())

    response = await harness.send(n_request(pupil) | change)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in response.json()["errors"]]
    assert harness.sink.messages == []
    listed = await harness.client.get(f"/internal/pupils/{pupil.pupil_id}/notifications",
                                      headers=harness.as_("casework"))
    assert listed.json() == []


async def test_an_unknown_pupil_is_a_422_and_an_unreachable_register_a_503(harness: NotificationsHarness) -> None:
    stranger = make_pupil()  # never added to the register

    unknown = await harness.send(n_request(stranger))
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "pupil_id"

    pupil = harness.register.add(make_pupil())
    state = harness.app.state
    working = state.register
    state.register = RegisterClient(f"http://127.0.0.1:{free_port()}", "token", timeout=2)
    try:
        down = await harness.send(n_request(pupil))
    finally:
        await state.register.aclose()
        state.register = working
    assert down.status_code == 503
    assert down.json()["type"] == "/problems/RegisterUnavailable"
    listed = await harness.client.get(f"/internal/pupils/{pupil.pupil_id}/notifications",
                                      headers=harness.as_("casework"))
    assert listed.json() == []


async def test_the_same_key_for_a_different_intent_is_a_conflict(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil(youth_justice_worker=True))
    body = n_request(pupil)
    assert (await harness.send(body)).status_code == 200

    other = body | {"template": "unexplained_absence_youth_justice_worker", "recipient_role": "youth_justice_worker"}
    response = await harness.send(other)

    assert response.status_code == 409
    assert len(harness.sink.messages) == 1


async def test_healthz_reports_the_database(harness: NotificationsHarness) -> None:
    response = await harness.client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"service": "notifications", "status": "ok", "checks": {"database": "ok"}}


async def test_unknown_notification_is_404(harness: NotificationsHarness) -> None:
    response = await harness.client.get(f"/internal/notifications/{uuid.uuid4()}", headers=harness.as_("casework"))
    assert response.status_code == 404
