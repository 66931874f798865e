"""Children missing education in casework (issue 18 item 3): new journeys carry the LA's CME officer, the enquiry and
outcome records refuse blank answers naming the field, an enquiry recorded as the LA's needs an LA officer, and the
case page shows each concern with its deadlines, enquiries and outcome."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any
from uuid import UUID, uuid4

import pytest

from services.casework.settings import STEP_ROLE_DEFAULTS
from services.casework.web.templating import make_templates
from shared.auth import Role
from shared.contracts.journey import JourneyInput, journey_workflow_id
from tests.services.casework.conftest import Harness, register_event
from tests.services.casework.test_step_roles import actions_sent

pytestmark = pytest.mark.services

SCHOOL, LA = {"school_urns": ["900001"]}, {"la_code": "999"}
ENQUIRY = {"by": "school", "made_by": "J Patel, attendance officer", "what_was_done": "Phoned both parents",
           "result": "No answer"}


async def _case(harness: Harness, event_type: str = "did_not_arrive") -> UUID:
    pupil_id = uuid4()
    event = register_event(pupil_id, event_type=event_type, display_name="Nia New")
    assert (await harness.http.post("/internal/events", json=event, headers=harness.service())).status_code == 200
    return pupil_id


async def test_journeys_start_with_the_las_cme_officer(harness: Harness) -> None:
    pupil_id = await _case(harness)
    started = await harness.temporal.get_workflow_handle(journey_workflow_id(pupil_id)).query(
        "input", result_type=JourneyInput)
    officer = started.policy.la_cme_officer
    assert officer is not None
    assert (officer.name, officer.email) == ("Tom Okafor", "cme@northshire.example.gov")
    assert started.policy.cme_school_enquiry_school_days == 5
    assert started.policy.cme_la_enquiry_school_days == 10


def test_school_staff_and_la_officers_take_the_cme_steps() -> None:
    for step in ("record_cme_enquiry", "record_cme_outcome"):
        assert set(STEP_ROLE_DEFAULTS[step]) == {Role.SCHOOL_ATTENDANCE_OFFICER, Role.SENIOR_ATTENDANCE_CHAMPION,
                                                 Role.HEADTEACHER, Role.LA_EWO}


@pytest.mark.parametrize(("action", "details", "field"), [
    ("record_cme_enquiry", {**ENQUIRY, "made_by": " "}, "details.made_by"),
    ("record_cme_enquiry", {**ENQUIRY, "what_was_done": ""}, "details.what_was_done"),
    ("record_cme_enquiry", {key: v for key, v in ENQUIRY.items() if key != "result"}, "details.result"),
    ("record_cme_outcome", {"outcome": "educated_at_home", "details": "  "}, "details.details"),
])
async def test_cme_records_refuse_blank_answers_naming_the_field(harness: Harness, action: str,
                                                                 details: dict[str, Any], field: str) -> None:
    pupil_id = await _case(harness)
    response = await harness.http.post(f"/api/v1/cases/{pupil_id}/actions",
                                       headers=harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, **SCHOOL),
                                       json={"action": action, "details": details})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field
    assert await actions_sent(harness.temporal, pupil_id) == []


async def test_an_enquiry_recorded_as_the_las_needs_an_la_officer(harness: Harness) -> None:
    pupil_id = await _case(harness)
    as_la = {**ENQUIRY, "by": "la"}
    refused = await harness.http.post(f"/api/v1/cases/{pupil_id}/actions",
                                      headers=harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, **SCHOOL),
                                      json={"action": "record_cme_enquiry", "details": as_la})
    assert refused.status_code == 403
    assert "needs an LA officer" in refused.json()["detail"]
    assert await actions_sent(harness.temporal, pupil_id) == []
    # An LA officer's goes on to the journey, whose validator decides (this stand-in refuses the step).
    passed = await harness.http.post(f"/api/v1/cases/{pupil_id}/actions", headers=harness.as_(Role.LA_EWO, **LA),
                                     json={"action": "record_cme_enquiry", "details": as_la})
    assert passed.status_code == 409
    assert "'record cme enquiry' is not possible" in passed.json()["detail"]


def test_the_case_page_shows_the_concern_its_deadlines_enquiries_and_outcome() -> None:
    concern = {"concern_id": "cme-1", "opened_on": "2026-12-01", "status": "closed", "cme_officer": "Tom Okafor",
               "triggers": [{"summary": "New pupil did not arrive on the agreed start day", "on": "2026-12-01"}],
               "school_enquiries_due": "2026-12-08", "la_enquiries_due": "2026-12-15",
               "enquiries": [{"by": "school", "made_by": "J Patel", "made_on": "2026-12-02",
                              "what_was_done": "Home visit", "result": "House empty"}],
               "outcome": "found_at_school", "new_school": "Southshire Academy", "referred_to": "",
               "closed_on": "2026-12-04", "outcome_details": "Confirmed on roll by the school"}
    open_one = {**concern, "status": "open", "enquiries": [], "outcome": None, "opened_on": "2026-12-05"}
    view = SimpleNamespace(journey=SimpleNamespace(cme_concerns=[concern, open_one]))
    html = make_templates().env.get_template("_cme.html").render(view=view)
    assert "Child missing education" in html
    assert "New pupil did not arrive on the agreed start day" in html
    assert "Tom Okafor was told" in html
    assert "Found on the roll of another school, Southshire Academy" in html
    assert "Home visit" in html
    assert "House empty" in html
    assert html.count("Due by") == 2  # the open concern's school and LA enquiries
    assert html.index("5 December 2026") < html.index("1 December 2026")  # newest first
    assert date(2026, 12, 8).strftime("%-d %B %Y") in html
