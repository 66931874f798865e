"""Each recipient rule of the notifications matrix (rules.md section 12), through the API and the SMTP sink."""

from __future__ import annotations

from typing import Any

import pytest
from aiosmtpd.controller import Controller

from services.notifications.service.catalogue import TEMPLATES
from shared.contracts.notifications import TemplateName
from shared.contracts.register import Contact
from tests.support.net import free_port
from tests.support.smtp import CapturingHandler

from .conftest import NotificationsHarness, bodies, make_pupil, n_request

pytestmark = pytest.mark.services


async def test_each_parent_with_parental_responsibility_gets_their_own_message(
        harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())

    response = await harness.send(n_request(pupil, "first_day_absence_parent", "parents", session_date="2026-11-25",
                                            session="AM"))

    assert response.status_code == 200, response.text
    records = response.json()["notifications"]
    assert sorted(r["recipient_name"] for r in records) == ["Jane Thompson", "Mark Thompson"]
    assert {r["status"] for r in records} == {"sent"}
    by_to = {m["To"]: m for m in harness.sink.messages}
    assert set(by_to) == {"Jane Thompson <jane.thompson@example.com>", "Mark Thompson <mark.thompson@example.net>"}
    assert bodies(by_to["Jane Thompson <jane.thompson@example.com>"])[0].startswith("Dear Jane Thompson,")
    assert bodies(by_to["Mark Thompson <mark.thompson@example.net>"])[0].startswith("Dear Mark Thompson,")
    assert all("Dear parent" not in bodies(m)[0] for m in harness.sink.messages)


async def test_no_parent_with_parental_responsibility_fails_and_escalates(harness: NotificationsHarness) -> None:
    carer = Contact(name="Sue Baker", relationship="grandmother", email="sue.baker@example.org")
    pupil = harness.register.add(make_pupil(parents=[carer]))

    response = await harness.send(n_request(pupil, "first_day_absence_parent", "parents", session_date="2026-11-25",
                                            session="PM"))

    records = {r["recipient_role"]: r for r in response.json()["notifications"]}
    assert records["parents"]["failure_reason"] == "no parent with parental responsibility recorded"
    assert records["attendance_lead"]["status"] == "sent"
    assert [m["To"] for m in harness.sink.messages] == ["Grace Okafor <g.okafor@harbourview.example.org>"]


async def test_the_youth_justice_worker_hears_of_unexplained_absence_the_same_day(
        harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil(youth_justice_worker=True))

    response = await harness.send(n_request(pupil, "unexplained_absence_youth_justice_worker", "youth_justice_worker"))

    assert response.json()["notifications"][0]["status"] == "sent"
    [message] = harness.sink.messages
    assert message["To"] == "Omar Fielding <o.fielding@northshire-yjs.example.gov>"
    assert "Wednesday 25 November 2026" in bodies(message)[0]


async def test_the_virtual_school_head_hears_only_about_looked_after_children(
        harness: NotificationsHarness) -> None:
    looked_after = harness.register.add(make_pupil(looked_after=True))
    not_looked_after = harness.register.add(make_pupil())
    body = {"deletion_date": "2026-12-04", "deletion_ground": "the family has moved abroad"}

    told = await harness.send(n_request(looked_after, "pending_deletion_virtual_school_head",
                                        "virtual_school_head", **body))
    refused = await harness.send(n_request(not_looked_after, "pending_deletion_virtual_school_head",
                                           "virtual_school_head", **body))

    assert told.json()["notifications"][0]["recipient_name"] == "Samuel Adeyemi"
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "recipient_role"
    [message] = harness.sink.messages
    assert "Friday 4 December 2026 because the family has moved abroad" in bodies(message)[0]


async def test_the_social_worker_hears_of_a_pending_deletion(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())

    response = await harness.send(n_request(pupil, "pending_deletion_social_worker", "social_worker",
                                            deletion_date="2026-12-04", deletion_ground="the pupil has died"))

    assert response.json()["notifications"][0]["status"] == "sent"
    assert harness.sink.messages[0]["To"] == "Helen Carter <h.carter@northshire-childrens.example.gov>"


@pytest.mark.parametrize(("extra", "team", "to"), [
    ({"ewo": {"name": "Daniel Price", "email": "d.price@northshire.example.gov"}}, {},
     "Daniel Price <d.price@northshire.example.gov>"),
    ({}, {"999": "ewo.team@northshire.example.gov"}, "Education welfare service <ewo.team@northshire.example.gov>"),
])
async def test_escalations_reach_the_allocated_ewo_or_the_la_team(harness: NotificationsHarness,
                                                                  extra: dict[str, Any], team: dict[str, str],
                                                                  to: str) -> None:
    pupil = harness.register.add(make_pupil())
    harness.settings.ewo_team_addresses = team

    response = await harness.send(n_request(pupil, "escalation_ewo", "ewo", reason="no improvement",
                                            stage="Formal support", **extra))

    assert response.json()["notifications"][0]["status"] == "sent"
    assert [m["To"] for m in harness.sink.messages] == [to]


async def test_no_ewo_known_fails_and_escalates_to_the_attendance_lead(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())
    harness.settings.ewo_team_addresses = {}

    response = await harness.send(n_request(pupil, "escalation_ewo", "ewo", reason="no improvement",
                                            stage="Formal support"))

    reasons = [r["failure_reason"] for r in response.json()["notifications"]]
    assert "no education welfare officer recorded" in reasons
    assert [m["To"] for m in harness.sink.messages] == ["Grace Okafor <g.okafor@harbourview.example.org>"]


async def test_a_lapsed_deadline_goes_to_the_attendance_lead(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())

    response = await harness.send(n_request(pupil, "deadline_lapsed_attendance_lead", "attendance_lead",
                                            deadline_name="action plan review", deadline_date="2026-11-20"))

    assert response.json()["notifications"][0]["status"] == "sent"
    assert harness.sink.messages[0]["Subject"] == "Deadline passed: action plan review for Ava Thompson"


class RefusingHandler(CapturingHandler):
    """A mail server that refuses one mailbox for good, as a real one does for a departed employee."""

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address.endswith("@gone.example.gov"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


async def test_an_address_the_mail_server_refuses_fails_and_escalates(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil(social_worker_email="h.carter@gone.example.gov"))
    handler = RefusingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    harness.settings.smtp_port = controller.port
    try:
        response = await harness.send(n_request(pupil))
    finally:
        controller.stop()

    assert response.status_code == 200, response.text
    records = {r["recipient_role"]: r for r in response.json()["notifications"]}
    assert records["social_worker"]["status"] == "failed"
    assert records["social_worker"]["failure_reason"] == "the email server refused the recipient address (550)"
    assert records["attendance_lead"]["status"] == "sent"
    [message] = handler.messages
    assert message["To"] == "Grace Okafor <g.okafor@harbourview.example.org>"
    assert "the email server refused the recipient address" in bodies(message)[0]


async def test_without_an_attendance_lead_escalations_go_to_the_la_team(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil(social_worker=False, attendance_lead=False))
    harness.settings.ewo_team_addresses = {"999": "ewo.team@northshire.example.gov"}

    response = await harness.send(n_request(pupil))
    lapsed = await harness.send(n_request(pupil, "deadline_lapsed_attendance_lead", "attendance_lead",
                                          deadline_name="action plan review", deadline_date="2026-11-20"))

    assert [r["status"] for r in response.json()["notifications"]] == ["failed", "sent"]
    assert [r["status"] for r in lapsed.json()["notifications"]] == ["failed", "sent"]
    assert lapsed.json()["notifications"][0]["failure_reason"] == "no attendance lead recorded"
    assert [m["To"] for m in harness.sink.messages] == [
        "Education welfare service <ewo.team@northshire.example.gov>"] * 2
    assert "no social worker recorded" in bodies(harness.sink.messages[0])[0]


@pytest.mark.parametrize(("parent", "expected"), [("Mark Thompson", ["Mark Thompson"]),
                                                  ("parent-1", ["Jane Thompson"])])
async def test_a_penalty_notice_goes_only_to_the_parent_it_is_issued_to(
        harness: NotificationsHarness, parent: str, expected: list[str]) -> None:
    pupil = harness.register.add(make_pupil())
    context = {**TEMPLATES[TemplateName.PENALTY_NOTICE_PARENT].example_context, "parent": parent}

    response = await harness.send(n_request(pupil, "penalty_notice_parent", "parents", **context))

    assert response.status_code == 200, response.text
    records = response.json()["notifications"]
    assert [r["recipient_name"] for r in records] == expected
    assert [r["status"] for r in records] == ["sent"]


async def test_a_notice_to_a_parent_the_register_does_not_know_fails_and_escalates(
        harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())
    context = {**TEMPLATES[TemplateName.PENALTY_NOTICE_PARENT].example_context, "parent": "Someone Else"}

    response = await harness.send(n_request(pupil, "penalty_notice_parent", "parents", **context))

    records = {r["recipient_role"]: r for r in response.json()["notifications"]}
    assert "called 'Someone Else'" in records["parents"]["failure_reason"]
    assert records["attendance_lead"]["status"] == "sent"


async def test_the_las_named_contact_hears_that_a_pupil_is_severely_absent(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())
    context = TEMPLATES[TemplateName.SEVERE_ABSENCE_LA_CONTACT].example_context

    response = await harness.send(n_request(pupil, "severe_absence_la_contact", "la_attendance_contact", **context))

    assert response.status_code == 200, response.text
    [record] = response.json()["notifications"]
    assert (record["recipient_name"], record["status"]) == ("Priya Shah", "sent")
    [message] = harness.sink.messages
    assert message["To"] == "Priya Shah <attendance.lead@northshire.example.gov>"
    body = bodies(message)[0]
    assert body.startswith("Dear Priya Shah,")
    assert "is now severely absent" in body
    assert "named contact for attendance on Thursday 26 November 2026" in body
    assert "whole-family plan" in body


async def test_without_the_las_named_contact_the_message_fails_and_escalates(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())
    context = {**TEMPLATES[TemplateName.SEVERE_ABSENCE_LA_CONTACT].example_context, "la_contact": None}

    response = await harness.send(n_request(pupil, "severe_absence_la_contact", "la_attendance_contact", **context))

    records = {r["recipient_role"]: r for r in response.json()["notifications"]}
    assert records["la_attendance_contact"]["failure_reason"] == "no LA named contact for attendance recorded"
    assert records["attendance_lead"]["status"] == "sent"


async def test_a_notice_without_its_signatory_is_refused_not_signed_blank(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())
    for template in ("penalty_notice_parent", "notice_to_improve_parent"):
        context = {k: v for k, v in TEMPLATES[TemplateName(template)].example_context.items() if k != "signatory"}

        response = await harness.send(n_request(pupil, template, "parents", **context))

        assert response.status_code == 422, response.text
        assert "context.signatory" in [e["field"] for e in response.json()["errors"]]
    assert harness.sink.messages == []


async def test_the_las_cme_officer_hears_of_a_child_who_may_be_missing_education(
        harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())
    context = TEMPLATES[TemplateName.CME_CONCERN_LA_OFFICER].example_context

    response = await harness.send(n_request(pupil, "cme_concern_la_officer", "la_cme_officer", **context))

    assert response.status_code == 200, response.text
    [record] = response.json()["notifications"]
    assert (record["recipient_name"], record["status"]) == ("Tom Okafor", "sent")
    [message] = harness.sink.messages
    assert message["To"] == "Tom Okafor <cme@northshire.example.gov>"
    body = bodies(message)[0]
    assert body.startswith("Dear Tom Okafor,")
    assert "may be missing education" in body
    assert "- New pupil did not arrive on the agreed start day (2026-12-01)" in body
    assert "the local authority's by Wednesday 16 December 2026" in body


async def test_without_a_cme_officer_the_message_fails_and_escalates(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())
    context = {**TEMPLATES[TemplateName.CME_CONCERN_LA_OFFICER].example_context, "cme_officer": None}

    response = await harness.send(n_request(pupil, "cme_concern_la_officer", "la_cme_officer", **context))

    records = {r["recipient_role"]: r for r in response.json()["notifications"]}
    assert records["la_cme_officer"]["failure_reason"] == "no LA children missing education officer recorded"
    assert records["attendance_lead"]["status"] == "sent"
