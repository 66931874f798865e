"""Adapted paths, court outcomes and parenting orders, and the TSM pack, on the running demo (`make run` in
another terminal).

    .venv/bin/python -m scripts.demo_adapted

Admits a synthetic pupil with an EHC plan to Harbour View (900002), marks ten of their last twenty school sessions
O, and as Daniel Price (EWO) records support and the decision factors: a prosecution is refused until the
adjustments are recorded and the LA's SEN team is named, then decided; the court outcome is recorded with a
parenting order (its requirements, a 12-month length, a counselling programme) and the case shows the order's end
as a deadline. A second pupil with 95% attendance reaches "at risk of persistent absence" and is listed in the
school's Targeting Support Meeting pack. The demo's own pupils are left as they are."""

from __future__ import annotations

import json
import random
import sys
import time
from collections import Counter
from datetime import date, timedelta
from typing import Any

from scripts.demo_http import get, post
from scripts.demo_leave import _headers, _school_days
from services.register.domain.upn import make_upn
from shared import clock
from shared.auth import Role
from shared.demo import DEMO_LA_CODE
from shared.settings import PlatformSettings

SCHOOL_URN = "900002"
WAIT_SECONDS = 180


def _admit(register: str, officer: dict[str, str], admitted: date, surname: str, **flags: bool) -> str:
    for _ in range(20):
        upn = make_upn(DEMO_LA_CODE, "4001", "26", f"{random.randint(10, 99)}{random.choice('ABCDEFGH')}")
        response = post(f"{register}/api/v1/schools/{SCHOOL_URN}/pupils", headers=officer, json={
            "upn": upn, "legal_forename": "Ada", "legal_surname": surname, "date_of_birth": "2013-03-14",
            "sex": "F", "year_group": "8", "address": "9 Harbour Row, Northshire",
            "admission_date": admitted.isoformat(), "characteristics": flags,
            "parents": [{"name": f"Sam {surname}", "relationship": "Parent", "parental_responsibility": True,
                         "lives_with_pupil": True}]})
        if response.status_code == 201:
            pupil_id: str = response.json()["id"]
            return pupil_id
    raise SystemExit(f"could not admit a demo pupil: {response.text}")


def _mark(register: str, officer: dict[str, str], pupil_id: str, days: list[date], absent: int) -> None:
    """The latest `absent` sessions O, the others present."""
    sessions = [(d, s) for d in sorted(days, reverse=True) for s in ("PM", "AM")]
    for n, (day, session) in enumerate(sessions):
        code = "O" if n < absent else ("/" if session == "AM" else "\\")
        post(f"{register}/api/v1/schools/{SCHOOL_URN}/sessions/{day.isoformat()}/{session}/marks",
             headers=officer, json={"marks": [{"pupil_id": pupil_id, "code": code}]})


def _case_when(casework: str, ewo: dict[str, str], pupil_id: str, stages: tuple[str, ...]) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        response = get(f"{casework}/api/v1/cases/{pupil_id}", headers=ewo)
        if response.status_code == 200 and response.json()["case"]["stage"] in stages:
            case: dict[str, Any] = response.json()
            return case
        time.sleep(1)
    raise SystemExit(f"the case did not reach {stages} within {WAIT_SECONDS}s")


def _act(casework: str, ewo: dict[str, str], pupil_id: str, action: str, details: dict[str, Any]) -> Any:
    response = post(f"{casework}/api/v1/cases/{pupil_id}/actions", headers=ewo,
                    json={"action": action, "details": details})
    body = response.json()
    print(f"\n{action}: HTTP {response.status_code}" + (f"\n  {body['detail']}" if response.status_code >= 400
                                                       else ""))
    return body


def _decide(casework: str, ewo: dict[str, str], pupil_id: str, **factors: Any) -> None:
    post(f"{casework}/api/v1/cases/{pupil_id}/decisions", headers=ewo, json={
        "legal_step": "decide_prosecution", "support_offered": "Attendance meetings and an action plan",
        "support_taken_up": False, "family_view": "Parent says mornings are hard",
        "send_or_health_needs": "EHC plan for autism", **factors})


def main() -> int:
    settings = PlatformSettings()
    register, casework = settings.register_url, settings.casework_url
    officer = _headers(settings, Role.SCHOOL_ATTENDANCE_OFFICER, "Demo Officer")
    ewo = _headers(settings, Role.LA_EWO, "Daniel Price")
    days = [d for d in _school_days(register, officer, 11) if d < clock.today()][-10:]
    if len(days) < 10:
        raise SystemExit("fewer than ten school days in the last 60 days before today")
    admitted = days[0] - timedelta(days=1)

    pupil_id = _admit(register, officer, admitted, "Planned", ehcp=True)
    _mark(register, officer, pupil_id, days, absent=10)
    _case_when(casework, ewo, pupil_id, ("persistent_absence", "severe_absence"))
    _act(casework, ewo, pupil_id, "record_support", {"what": "Weekly mentoring", "provider": "Pastoral team",
                                                     "start_date": admitted.isoformat(), "response": "declined"})
    prosecution = {"section": "s444(1)", "reasons": "No engagement with support",
                   "eso_considered": "The family would not engage with supervision"}
    _decide(casework, ewo, pupil_id, partners_consulted=["SENCO"])
    print("\nA pupil with an EHC plan: the decision factors name the SENCO only, and no adjustments")
    _act(casework, ewo, pupil_id, "decide_prosecution", prosecution)
    _decide(casework, ewo, pupil_id, adjustments="Meetings at home; a visual timetable",
            partners_consulted=["SENCO", "SEN team: Ann Cole"])
    _act(casework, ewo, pupil_id, "decide_prosecution", prosecution)
    today = clock.today()
    order = {"outcome": "convicted", "hearing_date": today.isoformat(), "fine_pence": 10000,
             "parenting_order": True, "parenting_order_months": 12, "parenting_order_start": today.isoformat(),
             "parenting_order_requirements": "Ensure Ada attends school every day; attend fortnightly reviews",
             "programme": "Parenting skills group", "programme_end": (today + timedelta(days=56)).isoformat()}
    print("\nA parenting order of 13 months")
    _act(casework, ewo, pupil_id, "record_court_outcome", {**order, "parenting_order_months": 13})
    _act(casework, ewo, pupil_id, "record_court_outcome", order)
    case = get(f"{casework}/api/v1/cases/{pupil_id}", headers=ewo).json()
    print("\nThe case's deadlines:\n" + "\n".join(f"  {d['due_date']}: {d['title']}" for d in case["deadlines"]))
    print(f"\nThe court orders:\n{json.dumps(case['journey']['court_orders'], indent=2)}")

    at_risk_id = _admit(register, officer, admitted, "Risk")
    _mark(register, officer, at_risk_id, days, absent=1)
    _case_when(casework, ewo, at_risk_id, ("at_risk",))
    pack = get(f"{casework}/api/v1/schools/{SCHOOL_URN}/tsm-pack", headers=ewo).json()
    print(f"\nThe TSM pack for {SCHOOL_URN}, severest first:")
    for label, count in Counter(row["stage_label"] for row in pack["rows"]).items():
        print(f"  {label}: {count} pupils")
    for place, row in enumerate(pack["rows"], start=1):
        if row["case"]["pupil_id"] in (pupil_id, at_risk_id):
            print(f"  row {place}: {row['case']['display_name']} ({row['stage_label']})")
    print(f"\nThe case page (sign in as Daniel Price, EWO): {casework}/cases/{pupil_id}#court")
    print(f"The TSM pack page: {casework}/schools/{SCHOOL_URN}/tsm-pack")
    return 0


if __name__ == "__main__":
    sys.exit(main())
