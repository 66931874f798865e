"""What casework reads: a pupil's notifications, one notification's history, previews and letters."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid

import pytest

from shared.contracts.register import Contact

from .conftest import NotificationsHarness, make_pupil, n_request

pytestmark = pytest.mark.services


async def test_a_pupils_notifications_newest_first_and_one_with_its_history(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())
    other = harness.register.add(make_pupil())
    first = (await harness.send(n_request(pupil))).json()
    second = (await harness.send(n_request(pupil, session_date="2026-11-26", session="PM", code="N"))).json()
    await harness.send(n_request(other))

    listed = await harness.client.get(f"/internal/pupils/{pupil.pupil_id}/notifications",
                                      headers=harness.as_("casework"))

    assert listed.status_code == 200
    assert [r["notification_id"] for r in listed.json()] == [second["notifications"][0]["notification_id"],
                                                             first["notifications"][0]["notification_id"]]
    notification_id = first["notifications"][0]["notification_id"]
    detail = (await harness.client.get(f"/internal/notifications/{notification_id}",
                                       headers=harness.as_("casework"))).json()
    assert detail["pupil_id"] == str(pupil.pupil_id)
    assert detail["recipient_address"] == "h.carter@northshire-childrens.example.gov"
    assert "Wednesday 25 November 2026" in detail["body_text"]
    assert [h["status"] for h in detail["history"]] == ["queued", "sent"]
    assert detail["history"][0]["occurred_at"] <= detail["history"][1]["occurred_at"]


async def test_reading_needs_a_service_token(harness: NotificationsHarness) -> None:
    response = await harness.client.get(f"/internal/pupils/{uuid.uuid4()}/notifications")
    assert response.status_code == 401


async def test_a_preview_renders_real_data_and_sends_and_stores_nothing(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())

    response = await harness.client.post("/internal/previews", headers=harness.as_("casework"), json={
        "template": "traffic_light_letter_parent", "pupil_id": str(pupil.pupil_id), "context": {
            "band": "red", "attendance_rate": "78.0", "possible_sessions": 100, "absence_sessions": 22,
            "period_start": "2026-09-03", "period_end": "2026-10-23"}})

    assert response.status_code == 200, response.text
    preview = response.json()
    assert preview["recipient_name"] == "Jane Thompson"
    assert preview["subject"] == "Ava Thompson's attendance this half term"
    assert "11 days of learning, or 2.2 weeks of school" in preview["body_text"]
    assert "serious concern" in preview["body_html"]
    assert harness.sink.messages == []
    listed = await harness.client.get(f"/internal/pupils/{pupil.pupil_id}/notifications",
                                      headers=harness.as_("casework"))
    assert listed.json() == []
    missing = await harness.client.post("/internal/previews", headers=harness.as_("casework"), json={
        "template": "traffic_light_letter_parent", "pupil_id": str(pupil.pupil_id), "context": {}})
    assert missing.status_code == 422
    assert "context.band" in [e["field"] for e in missing.json()["errors"]]


async def test_the_catalogue_lists_every_template_with_its_inputs(harness: NotificationsHarness) -> None:
    response = await harness.client.get("/internal/templates", headers=harness.as_("casework"))

    templates = {t["template"]: t for t in response.json()}
    assert len(templates) == 20
    assert templates["unexplained_absence_social_worker"]["required_context"] == ["code", "session",
                                                                                   "session_date"]
    assert templates["severe_absence_la_contact"]["recipient_role"] == "la_attendance_contact"
    assert templates["cme_concern_la_officer"]["recipient_role"] == "la_cme_officer"
    assert templates["cme_concern_la_officer"]["required_context"] == [
        "la_enquiries_due", "opened_on", "reasons", "school_enquiries_due"]
    assert "signatory" in templates["penalty_notice_parent"]["required_context"]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils (apt-get install poppler-utils)")
async def test_a_parent_without_email_gets_a_printable_a4_letter(harness: NotificationsHarness) -> None:
    parent = Contact(name="Mark Thompson", relationship="father", address="3 Mill Lane\nEastby\nEB1 7RT",
                     parental_responsibility=True)
    pupil = harness.register.add(make_pupil(parents=[parent]))

    response = await harness.send(n_request(
        pupil, "traffic_light_letter_parent", "parents", band="amber", attendance_rate="91.2",
        possible_sessions=102, absence_sessions=9, period_start="2026-09-03", period_end="2026-10-23"))

    [record] = response.json()["notifications"]
    assert (record["channel"], record["status"]) == ("letter", "sent")
    assert harness.sink.messages == []
    detail = (await harness.client.get(f"/internal/notifications/{record['notification_id']}",
                                       headers=harness.as_("casework"))).json()
    assert detail["has_letter"] is True
    assert detail["history"][-1]["detail"] == "letter ready to print and post (PDF)"
    pdf = await harness.client.get(f"/internal/notifications/{record['notification_id']}/letter.pdf",
                                   headers=harness.as_("casework"))
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    info = subprocess.run(["pdfinfo", "-"], input=pdf.content, capture_output=True, check=True).stdout.decode()
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE)
    assert "595.276 x 841.89 pts (A4)" in info
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True,
                          check=True).stdout.decode()
    for expected in ("Harbour View Academy", "Mark Thompson", "3 Mill Lane", "EB1 7RT", "Dear Mark Thompson",
                     "4.5 days of learning", "Page 1 of 1"):
        assert expected in text, expected
    not_a_letter = await harness.send(n_request(pupil))
    email_id = not_a_letter.json()["notifications"][0]["notification_id"]
    missing = await harness.client.get(f"/internal/notifications/{email_id}/letter.pdf",
                                       headers=harness.as_("casework"))
    assert missing.status_code == 404
