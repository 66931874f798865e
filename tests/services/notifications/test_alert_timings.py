"""Returns' compliance view asks when alerts about pupils' sessions were queued and first sent."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

import httpx
import pytest

from shared.auth import Role, service_token
from shared.clients.notifications import NotificationsClient
from shared.contracts.notifications import AlertTimingsRequest, DeliveryStatus, TemplateName
from shared.contracts.register import PupilContacts
from tests.support.identities import bearer, token_for

from .conftest import NotificationsHarness, make_pupil, n_request

pytestmark = pytest.mark.services

SOCIAL_WORKER = "unexplained_absence_social_worker"
PARENTS = "first_day_absence_parent"
ESCALATION = "contact_details_missing_attendance_lead"


async def _alert(harness: NotificationsHarness, pupil: PupilContacts, session_date: str, session: str = "AM",
                 template: str = SOCIAL_WORKER, role: str = "social_worker") -> list[dict[str, Any]]:
    """What the journey asks for on an N code, through the real service; returns the records."""
    response = await harness.send(n_request(pupil, template, role, session_date=session_date, session=session,
                                            code="N"))
    assert response.status_code == 200, response.text
    records: list[dict[str, Any]] = response.json()["notifications"]
    return records


async def _timings(harness: NotificationsHarness, pupils: list[PupilContacts], templates: list[str],
                   session_from: str, session_to: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return await harness.client.post("/internal/notifications/timings", headers=harness.as_("returns")
                                     if headers is None else headers, json={
                                         "templates": templates, "pupil_ids": [str(p.pupil_id) for p in pupils],
                                         "session_from": session_from, "session_to": session_to})


async def _sent_step(harness: NotificationsHarness, notification_id: str) -> str:
    detail = await harness.client.get(f"/internal/notifications/{notification_id}", headers=harness.as_("casework"))
    [sent] = [h for h in detail.json()["history"] if h["status"] == "sent"]
    return str(sent["occurred_at"])


async def test_a_sent_alert_has_its_sent_time_and_a_failed_one_none(harness: NotificationsHarness) -> None:
    reached = harness.register.add(make_pupil())
    unreached = harness.register.add(make_pupil(social_worker=False))
    [sent] = await _alert(harness, reached, "2026-11-25", "AM")
    records = {r["recipient_role"]: r for r in await _alert(harness, unreached, "2026-11-25", "PM")}
    failed, escalation = records["social_worker"], records["attendance_lead"]
    assert (sent["status"], failed["status"], escalation["status"]) == ("sent", "failed", "sent")

    response = await _timings(harness, [reached, unreached], [SOCIAL_WORKER], "2026-11-25", "2026-11-25")

    assert response.status_code == 200, response.text
    by_id = {t["notification_id"]: t for t in response.json()}
    assert set(by_id) == {sent["notification_id"], failed["notification_id"]}  # the escalation was not asked for
    on_time = by_id[sent["notification_id"]]
    assert on_time["pupil_id"] == str(reached.pupil_id)
    assert (on_time["template"], on_time["recipient_role"]) == (SOCIAL_WORKER, "social_worker")
    assert (on_time["session_date"], on_time["session"], on_time["status"]) == ("2026-11-25", "AM", "sent")
    queued_at, sent_at = datetime.fromisoformat(on_time["queued_at"]), datetime.fromisoformat(on_time["sent_at"])
    assert queued_at == datetime.fromisoformat(sent["created_at"])
    assert sent_at == datetime.fromisoformat(await _sent_step(harness, sent["notification_id"]))
    assert sent_at >= queued_at
    never = by_id[failed["notification_id"]]
    assert (never["session"], never["status"], never["sent_at"]) == ("PM", "failed", None)

    # Asked for, the escalation is a row of its own, dated by the session of the alert it escalates.
    with_escalations = await _timings(harness, [unreached], [SOCIAL_WORKER, ESCALATION], "2026-11-25",
                                      "2026-11-25")
    rows = {t["template"]: t for t in with_escalations.json()}
    assert set(rows) == {SOCIAL_WORKER, ESCALATION}
    told_lead = rows[ESCALATION]
    assert told_lead["notification_id"] == escalation["notification_id"]
    assert (told_lead["recipient_role"], told_lead["session_date"], told_lead["session"]) == (
        "attendance_lead", "2026-11-25", "PM")
    assert told_lead["status"] == "sent"
    assert told_lead["sent_at"] is not None


async def test_only_the_asked_templates_pupils_and_sessions_answer(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())
    other = harness.register.add(make_pupil())
    [before] = await _alert(harness, pupil, "2026-11-23")
    [first_day] = await _alert(harness, pupil, "2026-11-24")
    [last_day] = await _alert(harness, pupil, "2026-11-26", "PM")
    [after] = await _alert(harness, pupil, "2026-11-27")
    parents = await _alert(harness, pupil, "2026-11-24", "PM", PARENTS, "parents")
    await _alert(harness, other, "2026-11-25")
    assert len(parents) == 2  # each parent with parental responsibility

    response = await _timings(harness, [pupil], [SOCIAL_WORKER], "2026-11-24", "2026-11-26")

    assert response.status_code == 200, response.text
    assert [t["notification_id"] for t in response.json()] == [first_day["notification_id"],
                                                               last_day["notification_id"]]
    both = await _timings(harness, [pupil], [SOCIAL_WORKER, PARENTS], "2026-11-23", "2026-11-24")
    assert sorted(t["notification_id"] for t in both.json()) == sorted(
        [before["notification_id"], first_day["notification_id"]] + [p["notification_id"] for p in parents])
    assert {t["session_date"] for t in both.json()} == {"2026-11-23", "2026-11-24"}
    only_parents = await _timings(harness, [pupil], [PARENTS], "2026-11-01", "2026-11-30")
    assert {t["template"] for t in only_parents.json()} == {PARENTS}
    assert len(only_parents.json()) == 2
    one_day = await _timings(harness, [pupil, other], [SOCIAL_WORKER], "2026-11-27", "2026-11-27")
    assert [t["notification_id"] for t in one_day.json()] == [after["notification_id"]]
    other_pupil = await _timings(harness, [other], [SOCIAL_WORKER, PARENTS], "2026-11-01", "2026-11-30")
    assert {t["pupil_id"] for t in other_pupil.json()} == {str(other.pupil_id)}
    assert len(other_pupil.json()) == 1
    nobody = await _timings(harness, [], [SOCIAL_WORKER], "2026-11-01", "2026-11-30")
    assert nobody.status_code == 200
    assert nobody.json() == []


async def test_thousands_of_pupils_are_asked_in_chunks(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())
    [alert] = await _alert(harness, pupil, "2026-11-25")
    strangers = [str(uuid.uuid4()) for _ in range(2_500)]

    response = await harness.client.post("/internal/notifications/timings", headers=harness.as_("returns"), json={
        "templates": [SOCIAL_WORKER], "pupil_ids": [*strangers[:1_700], str(pupil.pupil_id), *strangers[1_700:]],
        "session_from": "2026-11-25", "session_to": "2026-11-25"})

    assert response.status_code == 200, response.text
    assert [t["notification_id"] for t in response.json()] == [alert["notification_id"]]


async def test_the_typed_client_reads_the_timings(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())
    [alert] = await _alert(harness, pupil, "2026-11-25")
    client = NotificationsClient("http://test", service_token("returns", "notifications", harness.settings.platform),
                                 transport=httpx.ASGITransport(app=harness.app))
    try:
        [timing] = await client.alert_timings(AlertTimingsRequest(
            templates=[TemplateName.UNEXPLAINED_ABSENCE_SOCIAL_WORKER], pupil_ids=[pupil.pupil_id],
            session_from=date(2026, 11, 25), session_to=date(2026, 11, 25)))
    finally:
        await client.aclose()
    assert str(timing.notification_id) == alert["notification_id"]
    assert timing.status is DeliveryStatus.SENT
    assert timing.session_date == date(2026, 11, 25)
    assert timing.sent_at is not None
    assert timing.sent_at.tzinfo is not None


@pytest.mark.parametrize(("change", "field"), [
    ({"session_from": "2026-11-27", "session_to": "2026-11-25"}, "body"),
    ({"templates": []}, "templates"),
    ({"templates": ["no_such_template"]}, "templates.0"),
    ({"pupil_ids": ["not-a-uuid"]}, "pupil_ids.0"),
    ({"session_from": "25/11/2026"}, "session_from"),
])
async def test_a_bad_body_is_a_422_problem(harness: NotificationsHarness, change: dict[str, object],
                                           field: str) -> None:
    body = {"templates": [SOCIAL_WORKER], "pupil_ids": [str(uuid.uuid4())], "session_from": "2026-11-25",
            "session_to": "2026-11-26"} | change

    response = await harness.client.post("/internal/notifications/timings", headers=harness.as_("returns"), json=body)

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_timings_need_a_service_token(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())
    await _alert(harness, pupil, "2026-11-25")
    officer = bearer(token_for(harness.settings.platform, Role.LA_EWO, la_code="999"))

    anonymous = await _timings(harness, [pupil], [SOCIAL_WORKER], "2026-11-25", "2026-11-25", headers={})
    not_a_service = await _timings(harness, [pupil], [SOCIAL_WORKER], "2026-11-25", "2026-11-25", headers=officer)

    assert anonymous.status_code == 401
    assert not_a_service.status_code == 403
    assert "notification_id" not in anonymous.text + not_a_service.text
