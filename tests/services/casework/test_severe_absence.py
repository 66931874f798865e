"""Severe absence in casework (issue 13): severely absent pupils' cases first in the lists and marked, the LA's
named contact on the case file and in the journey's policy, officers' letters signed for their LA, the joint
approach's steps for attendance staff and LA officers, and evidence records that refuse blank answers."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from shared import clock
from shared.auth import Role
from shared.contracts.journey import JourneyInput, OfficerAction, journey_workflow_id
from tests.services.casework.conftest import Harness, register_event
from tests.services.casework.form_tokens import token_from
from tests.services.casework.test_step_roles import _signed_in, actions_sent

pytestmark = pytest.mark.services

SCHOOL, LA = {"school_urns": ["900001"]}, {"la_code": "999"}
VISIT = {"attendees": ["EWO"], "seen": ["mother", "pupil"], "observations": "Pupil in bed at 10am",
         "agreed": "Wake-up at 7:30", "next_steps": "EWO calls on Monday",
         "next_review_date": (clock.today() + timedelta(weeks=3)).isoformat()}


async def _event(harness: Harness, pupil_id: UUID, event_type: str, name: str) -> None:
    event = register_event(pupil_id, event_type=event_type, display_name=name)
    assert (await harness.http.post("/internal/events", json=event, headers=harness.service())).status_code == 200


async def _offered(harness: Harness, pupil_id: UUID, action: str, timeout: float = 20.0) -> None:
    """Wait until the journey, which takes the event in its own time, offers the step on the case file."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        case = await harness.http.get(f"/api/v1/cases/{pupil_id}", headers=harness.as_(Role.LA_EWO, **LA))
        journey = case.json().get("journey") if case.status_code == 200 else None
        if journey and action in {a["action"] for a in journey["available_actions"]}:
            return
        assert asyncio.get_running_loop().time() < deadline, f"{action} was never offered"
        await asyncio.sleep(0.2)


def _projection(pupil_id: UUID, version: int, **extra: Any) -> dict[str, Any]:
    return {"pupil_id": str(pupil_id), "workflow_id": journey_workflow_id(pupil_id), "state_version": version,
            "stage": "severe_absence", "status": "open", **extra}


async def test_severely_absent_pupils_come_first_and_are_marked(harness: Harness) -> None:
    severe, later, latest = uuid4(), uuid4(), uuid4()
    await _event(harness, severe, "became_severely_absent", "Sam Severe")
    await _event(harness, later, "unexplained_absence", "Lee Later")
    await _event(harness, latest, "unexplained_absence", "Max Latest")
    officer = harness.as_(Role.LA_EWO, **LA)

    items = (await harness.http.get("/api/v1/cases", headers=officer)).json()["items"]

    assert [i["pupil_id"] for i in items] == [str(severe), str(latest), str(later)]
    assert [(i["severely_absent"], i["priority"]) for i in items] == [
        (True, "severe_absence"), (False, None), (False, None)]
    page = await harness.http.get("/cases", headers=_signed_in(harness, Role.LA_EWO, **LA))
    assert page.status_code == 200
    assert page.text.count("Priority: severe absence") == 1
    assert page.text.index("Sam Severe") < page.text.index("Max Latest") < page.text.index("Lee Later")
    # The journey says the pupil left severe absence: back to the list's own order.
    worker = harness.service("journey-worker")
    projected = await harness.http.post(f"/internal/cases/{severe}/projection", headers=worker,
                                        json=_projection(severe, 10**9, severely_absent=False))
    assert projected.status_code == 200, projected.text
    items = (await harness.http.get("/api/v1/cases", headers=officer)).json()["items"]
    assert [i["pupil_id"] for i in items][0] == str(latest)


async def test_the_las_named_contact_is_on_the_case_file_and_page(harness: Harness) -> None:
    pupil_id = uuid4()
    await _event(harness, pupil_id, "became_severely_absent", "Sam Severe")
    joined = {"role": "la_attendance_contact", "name": "Priya Shah",
              "email": "attendance.contact@northshire.example.gov", "joined_on": clock.today().isoformat(),
              "reason": "severe absence: joint approach with the LA"}
    worker = harness.service("journey-worker")
    response = await harness.http.post(f"/internal/cases/{pupil_id}/projection", headers=worker,
                                       json=_projection(pupil_id, 10**9, severely_absent=True, participants=[joined]))
    assert response.status_code == 200, response.text

    case = (await harness.http.get(f"/api/v1/cases/{pupil_id}", headers=harness.as_(Role.LA_EWO, **LA))).json()
    assert case["participants"] == [joined]
    assert case["case"]["priority"] == "severe_absence"
    page = await harness.http.get(f"/cases/{pupil_id}", headers=_signed_in(harness, Role.SCHOOL_ATTENDANCE_OFFICER,
                                                                            **SCHOOL))
    assert "LA named contact for attendance" in page.text
    assert "Priya Shah (attendance.contact@northshire.example.gov)" in page.text
    assert "Priority: severe absence" in page.text


async def test_journeys_start_with_the_las_contact_and_officers_sign_for_their_la(harness: Harness) -> None:
    pupil_id = uuid4()
    await _event(harness, pupil_id, "became_severely_absent", "Sam Severe")
    handle = harness.temporal.get_workflow_handle(journey_workflow_id(pupil_id))
    started = await handle.query("input", result_type=JourneyInput)
    contact = started.policy.la_attendance_contact
    assert contact is not None
    assert (contact.name, contact.email) == ("Priya Shah", "attendance.contact@northshire.example.gov")
    for role, scope in ((Role.LA_EWO, LA), (Role.SCHOOL_ATTENDANCE_OFFICER, SCHOOL)):
        response = await harness.http.post(f"/api/v1/cases/{pupil_id}/actions", headers=harness.as_(role, **scope),
                                           json={"action": "record_home_visit", "details": VISIT})
        assert response.status_code == 200, response.text
    sent: list[OfficerAction] = await actions_sent(harness.temporal, pupil_id)
    assert [(a.actor.role, a.actor.organisation) for a in sent] == [
        ("la_ewo", "Northshire County Council"), ("school_attendance_officer", "")]


@pytest.mark.parametrize(("action", "details", "field"), [
    ("review_attendance_contract", {"outcome": "improved"}, "details.attendees"),
    ("review_attendance_contract", {"outcome": "improved", "attendees": ["parent"], "agreed": "  "}, "details.agreed"),
    ("record_home_visit", {}, "details.attendees"),
    ("record_home_visit", {**VISIT, "next_steps": " "}, "details.next_steps"),
    ("agree_whole_family_plan", {"agencies": [{"agency": "Early help", "will_do": " "}], "lead_professional": "EH",
                                 "actions": ["Routine"], "review_date": "2027-01-05"}, "details.agencies"),
])
async def test_evidence_records_refuse_blank_answers_naming_the_field(harness: Harness, action: str,
                                                                      details: dict[str, Any], field: str) -> None:
    pupil_id = uuid4()
    await _event(harness, pupil_id, "unexplained_absence", "Ava Example")
    response = await harness.http.post(f"/api/v1/cases/{pupil_id}/actions",
                                       headers=harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, **SCHOOL),
                                       json={"action": action, "details": details})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == field
    assert await actions_sent(harness.temporal, pupil_id) == []


@pytest.mark.parametrize(("action", "fields"), [
    ("record_home_visit", ["attendees", "seen", "observations", "agreed", "next_steps"]),
    ("review_attendance_contract", ["attendees", "agreed"]),
])
async def test_the_form_lists_each_missing_answer_and_records_nothing(harness: Harness, action: str,
                                                                      fields: list[str]) -> None:
    pupil_id = uuid4()
    await _event(harness, pupil_id, "unexplained_absence", "Ava Example")
    act, browser = f"/cases/{pupil_id}/act", _signed_in(harness, Role.SCHOOL_ATTENDANCE_OFFICER, **SCHOOL)
    token = await token_from(harness.http, f"{act}?action={action}", browser, act)
    blank = dict.fromkeys(fields, "  ")
    posted = await harness.http.post(act, headers=browser, data={
        "action": action, "csrf_token": token, "outcome": "improved", **blank})
    assert posted.status_code == 422
    assert "govuk-error-summary" in posted.text
    for name in fields:
        assert f'href="#{name}"' in posted.text
        assert f'id="{name}"' in posted.text
    if action == "record_home_visit":  # a date input: the summary links to its day box
        assert "Enter the next review date" in posted.text
        assert 'href="#next_review_date-day"' in posted.text
    assert await actions_sent(harness.temporal, pupil_id) == []


async def test_the_whole_family_plan_form_takes_an_agency_and_its_task_per_line(harness: Harness) -> None:
    pupil_id = uuid4()
    await _event(harness, pupil_id, "became_severely_absent", "Sam Severe")
    await _offered(harness, pupil_id, "agree_whole_family_plan")
    act, browser = f"/cases/{pupil_id}/act", _signed_in(harness, Role.LA_EWO, **LA)
    token = await token_from(harness.http, f"{act}?action=agree_whole_family_plan", browser, act)
    form = {"action": "agree_whole_family_plan", "csrf_token": token, "lead_professional": "Early help key worker",
            "actions": "Morning routine\nGate check-in", "review_date": "2027-01-05"}
    missing_task = await harness.http.post(act, headers=browser, data={**form, "agencies": "Early help"})
    assert missing_task.status_code == 422
    assert "say which agencies are involved and what each will do" in missing_task.text
    done = await harness.http.post(act, headers=browser, data={
        **form, "agencies": "Early help: weekly family support\nSchool nurse: health check"})
    assert done.status_code == 303, done.text
    [sent] = await actions_sent(harness.temporal, pupil_id)
    assert sent.details["agencies"] == [{"agency": "Early help", "will_do": "weekly family support"},
                                        {"agency": "School nurse", "will_do": "health check"}]


async def test_the_joint_approach_is_for_attendance_staff_and_la_officers(harness: Harness) -> None:
    pupil_id = uuid4()
    await _event(harness, pupil_id, "became_severely_absent", "Sam Severe")
    head = await harness.http.post(f"/api/v1/cases/{pupil_id}/actions", headers=harness.as_(Role.HEADTEACHER, **SCHOOL),
                                   json={"action": "record_home_visit", "details": VISIT})
    assert head.status_code == 403
    assert head.json()["detail"] == ("Recording a home visit needs a school attendance officer, a senior attendance "
                                     "champion or an LA officer.")
    champion = await harness.http.post(f"/api/v1/cases/{pupil_id}/actions",
                                       headers=harness.as_(Role.SENIOR_ATTENDANCE_CHAMPION, **SCHOOL),
                                       json={"action": "record_home_visit", "details": VISIT})
    assert champion.status_code == 200, champion.text
