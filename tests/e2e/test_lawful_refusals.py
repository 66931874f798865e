"""On the running system, the journey refuses the legal steps the law does not allow and says why, through the
casework API: a penalty notice before the national threshold is met, a legal step before support is recorded, a
penalty notice during a notice to improve's improvement period, a prosecution without the s447 decision, a step
dated in the future. The threshold comes from real register marks."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import httpx
import pytest

from scripts.embedded import EmbeddedSystem
from services.register.domain.upn import make_upn
from shared import clock
from shared.auth import SESSION_COOKIE, Role
from tests.e2e.casework_api import EWO, SETTINGS, Casework
from tests.e2e.marks import mark_latest_sessions
from tests.support.identities import bearer, token_for
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

SCHOOL_URN = "900002"
OFFICER = bearer(token_for(SETTINGS, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[SCHOOL_URN], name="Officer"))
DECISION = {"support_offered": "Attendance meetings and an action plan", "support_taken_up": False,
            "family_view": "Parent says the pupil refuses to go"}


def admit(system: EmbeddedSystem, admitted: date) -> str:
    upn = make_upn("999", "4003", "26", uuid.uuid4().int % 1000)
    response = httpx.post(f"{system.config.url('register')}/api/v1/schools/{SCHOOL_URN}/pupils", headers=OFFICER,
                          json={"upn": upn, "legal_forename": "Lex", "legal_surname": "Lawful",
                                "date_of_birth": "2013-06-01", "sex": "F", "year_group": "8",
                                "address": "4 Court Lane, Northshire", "admission_date": admitted.isoformat(),
                                "parents": [{"name": "Kim Lawful", "relationship": "Mother",
                                             "email": "kim.lawful@example.org", "parental_responsibility": True,
                                             "lives_with_pupil": True}]}, timeout=30)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def test_the_running_journey_refuses_unlawful_legal_steps_and_says_why(system: EmbeddedSystem) -> None:
    admitted = clock.today() - timedelta(days=70)
    pupil_id = admit(system, admitted)
    casework = Casework(system, pupil_id, decision=DECISION)
    # The journey answers for itself once its worker has taken its first task (busy while the demo loads).
    wait_for(lambda: (case := casework.case()) is not None and case["journey"] is not None, timeout=120)

    casework.decide("issue_penalty_notice")
    assert "support offered to the family" in casework.refused(
        "issue_penalty_notice", {"parent": "parent-1", "service_method": "by_hand"})
    supported = casework.act("record_support", {"what": "Weekly mentoring", "provider": "Pastoral team",
                                                "start_date": admitted.isoformat(), "response": "declined"})
    assert supported.status_code == 200, supported.text
    assert "needs the national threshold met" in casework.refused(
        "issue_penalty_notice", {"parent": "parent-1", "service_method": "by_hand"})

    # Ten unauthorised sessions of twenty in the register: the threshold and the absence stage reach the journey.
    mark_latest_sessions(system, SCHOOL_URN, OFFICER, pupil_id, absent=10, present=10, since=admitted)
    wait_for(lambda: (case := casework.case()) is not None and case["case"]["stage"] == "severe_absence" and any(
        e["title"].startswith("Penalty notice threshold met") for e in case["timeline"]), timeout=90)

    # The case file weighs the fast track entry criterion on register's figures for the last school weeks.
    case = casework.case()
    assert case is not None
    assert "fast track figures" not in case["unavailable"]
    assert case["fast_track"]["unauthorised_sessions"] >= 10
    assert case["fast_track"]["meets"] is True

    casework.decide("issue_notice_to_improve")
    notice = casework.act("issue_notice_to_improve")
    assert notice.status_code == 200, notice.text
    improvement = casework.refused("issue_penalty_notice", {"parent": "parent-1", "service_method": "by_hand"})
    assert "improvement period runs until" in improvement
    assert "early_issue_grounds_met" in improvement
    # The officer's legal steps page gives the journey's reasons, beside the steps it offers now.
    page = httpx.get(f"{casework.url.split('/api/')[0]}/cases/{pupil_id}/legal-steps", timeout=30,
                     cookies={SESSION_COOKIE: EWO["Authorization"].removeprefix("Bearer ")})
    assert page.status_code == 200
    assert "A notice to improve is already running." in page.text
    assert "Offered now" in page.text

    casework.decide("decide_prosecution")
    no_s447 = casework.act("decide_prosecution", {"section": "s444(1)", "reasons": "No engagement",
                                                  "eso_considered": " "})
    assert no_s447.status_code in (409, 422), no_s447.text
    assert "eso_considered" in no_s447.text

    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    future = casework.act("record_support", {"what": "Mentoring", "provider": "School", "start_date": tomorrow},
                          effective_date=tomorrow)
    assert future.status_code == 422, future.text
    assert future.json()["errors"][0]["field"] == "effective_date"
    # Nothing refused reached the record: one notice to improve, no penalty notice, no prosecution.
    case = casework.case()
    assert case is not None
    kinds = [e["kind"] for e in case["timeline"]]
    assert kinds.count("issue_notice_to_improve") == 1
    assert "issue_penalty_notice" not in kinds
    assert "decide_prosecution" not in kinds
