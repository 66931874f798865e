"""On the running system, through the casework API as an LA EWO: a pupil with an EHC plan takes no legal step until
the decision factors record the adjustments and name the LA's SEN team (the refusal says exactly what is missing);
a court outcome with a parenting order keeps its requirements and its end is a deadline on the case; the Targeting
Support Meeting pack lists a pupil at risk of persistent absence with that stage's label. Marks come from register."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import httpx
import pytest

from scripts.embedded import EmbeddedSystem
from services.register.domain.upn import make_upn
from shared import clock
from shared.auth import Role
from tests.e2e.casework_api import EWO, SETTINGS, Casework
from tests.e2e.marks import mark_latest_sessions
from tests.support.identities import bearer, token_for
from tests.support.waiting import wait_for
from workflows.journey.court import last_day

pytestmark = pytest.mark.e2e

SCHOOL_URN = "900002"
OFFICER = bearer(token_for(SETTINGS, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[SCHOOL_URN], name="Officer"))
DECISION = {"support_offered": "Attendance meetings and an action plan", "support_taken_up": False,
            "family_view": "Parent says the pupil refuses to go", "send_or_health_needs": "EHC plan for autism"}


def admit(system: EmbeddedSystem, admitted: date, surname: str, **characteristics: bool) -> str:
    upn = make_upn("999", "4005", "26", uuid.uuid4().int % 1000)
    response = httpx.post(f"{system.config.url('register')}/api/v1/schools/{SCHOOL_URN}/pupils", headers=OFFICER,
                          json={"upn": upn, "legal_forename": "Ada", "legal_surname": surname,
                                "date_of_birth": "2013-06-01", "sex": "F", "year_group": "8",
                                "address": "7 Mill Lane, Northshire", "admission_date": admitted.isoformat(),
                                "characteristics": characteristics,
                                "parents": [{"name": f"Sam {surname}", "relationship": "Mother",
                                             "email": "sam.parent@example.org", "parental_responsibility": True,
                                             "lives_with_pupil": True}]}, timeout=30)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def journey_ready(casework: Casework) -> None:
    # The journey answers for itself once its worker has taken its first task (busy while the demo loads).
    wait_for(lambda: (case := casework.case()) is not None and case["journey"] is not None, timeout=120)


def test_adapted_path_court_outcome_and_tsm_pack(system: EmbeddedSystem) -> None:
    admitted = clock.today() - timedelta(days=70)
    pupil_id = admit(system, admitted, "Planned", ehcp=True)
    casework = Casework(system, pupil_id, decision=DECISION)
    journey_ready(casework)
    mark_latest_sessions(system, SCHOOL_URN, OFFICER, pupil_id, absent=10, present=10, since=admitted)
    wait_for(lambda: (case := casework.case()) is not None
             and case["case"]["stage"] in ("persistent_absence", "severe_absence"), timeout=90)
    supported = casework.act("record_support", {"what": "Weekly mentoring", "provider": "Pastoral team",
                                                "start_date": admitted.isoformat(), "response": "declined"})
    assert supported.status_code == 200, supported.text

    # A pupil with an EHC plan: the legal step is refused, naming what the decision factors lack.
    casework.decide("decide_prosecution")
    prosecution = {"section": "s444(1)", "reasons": "No engagement with support",
                   "eso_considered": "The family would not engage with supervision"}
    lacking = casework.refused("decide_prosecution", prosecution)
    assert lacking.startswith("This pupil has an EHC plan: before a legal step")
    assert "the adjustments made for the pupil (details.adjustments)" in lacking
    assert "naming the LA's SEN team" in lacking
    # The school's SENCO is not the LA's SEN team that holds the plan.
    casework.decide("decide_prosecution", adjustments="Meetings at home; visual timetable",
                    partners_consulted=["SENCO"])
    lacking = casework.refused("decide_prosecution", prosecution)
    assert "details.adjustments" not in lacking
    assert "naming the LA's SEN team (details.partners_consulted" in lacking
    case = casework.case()
    assert case is not None
    assert case["journey"] is not None
    assert "decide_prosecution" not in [a["action"] for a in case["journey"]["available_actions"]]
    casework.decide("decide_prosecution", adjustments="Meetings at home; visual timetable",
                    partners_consulted=["SENCO", "SEN team: Ann Cole"])
    decided = casework.act("decide_prosecution", prosecution)
    assert decided.status_code == 200, decided.text

    # The court outcome: its hearing date and a parenting order's terms, checked against the statutory limits.
    today = clock.today()
    outcome = {"outcome": "convicted", "hearing_date": today.isoformat(), "fine_pence": 10000,
               "parenting_order": True, "parenting_order_months": 12,
               "parenting_order_requirements": "Ensure Ada attends school every day; attend fortnightly reviews",
               "parenting_order_start": today.isoformat(), "programme": "Parenting skills group",
               "programme_end": (today + timedelta(days=56)).isoformat()}
    too_long = casework.refused("record_court_outcome", {**outcome, "parenting_order_months": 13})
    assert "at most 12 months" in too_long
    assert too_long.startswith("details.parenting_order_months")
    future = casework.refused("record_court_outcome",
                              {**outcome, "hearing_date": (today + timedelta(days=1)).isoformat()})
    assert future.startswith("details.hearing_date")
    recorded = casework.act("record_court_outcome", outcome)
    assert recorded.status_code == 200, recorded.text

    ends = last_day(today, 12)
    wait_for(lambda: (case := casework.case()) is not None
             and any(d["title"] == "Parenting order ends" for d in case["deadlines"]), timeout=60)
    case = casework.case()
    assert case is not None
    deadline = next(d for d in case["deadlines"] if d["title"] == "Parenting order ends")
    assert deadline["due_date"] == ends.isoformat()
    assert any(d["title"] == "Parenting programme ends" for d in case["deadlines"])
    order = next(o for o in case["journey"]["court_orders"] if o["kind"] == "parenting_order")
    assert order["requirements"] == outcome["parenting_order_requirements"]
    assert (order["starts_on"], order["ends_on"]) == (today.isoformat(), ends.isoformat())
    assert any(e["kind"] == "record_court_outcome" and "parenting order" in e["title"] for e in case["timeline"])

    # The TSM pack: a pupil at risk of persistent absence (95% attendance) is listed with that stage's label,
    # after the severer ones.
    at_risk_id = admit(system, admitted, "Risk")
    at_risk = Casework(system, at_risk_id, decision=DECISION)
    journey_ready(at_risk)
    mark_latest_sessions(system, SCHOOL_URN, OFFICER, at_risk_id, absent=1, present=19, since=admitted)
    wait_for(lambda: (c := at_risk.case()) is not None and c["case"]["stage"] == "at_risk", timeout=90)
    pack = httpx.get(f"{system.config.url('casework')}/api/v1/schools/{SCHOOL_URN}/tsm-pack", headers=EWO,
                     timeout=30)
    assert pack.status_code == 200, pack.text
    rows = pack.json()["rows"]
    listed = {r["case"]["pupil_id"]: r for r in rows}
    assert listed[at_risk_id]["stage_label"] == "At risk of persistent absence"
    assert pupil_id in listed
    order_of = [r["case"]["pupil_id"] for r in rows]
    assert order_of.index(pupil_id) < order_of.index(at_risk_id)
    assert all(r["case"]["stage"] == "at_risk" for r in rows[order_of.index(at_risk_id):])
