"""Moves a few demo journeys on, once, so that a new `make run` shows cases at several stages: an action plan
under review, an attendance contract (formal support), a notice to improve (legal intervention) and a closed
case in its monitoring period, and a severely absent pupil's home visit and whole-family plan. Each step goes
through the casework API as the demo officers would take it."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from scripts import demo_http
from shared import clock
from shared.auth import Identity, Role, Scope, issue_token, service_token
from shared.demo import DEMO_LA_CODE
from shared.settings import PlatformSettings

DONE_MARKER = ".demo-journeys-done"
DECISION = {"support_offered": "Attendance meetings, an action plan and EWO home visits",
            "support_taken_up": False, "family_view": "Parents say mornings are hard and the bus is unreliable",
            "adjustments": "Considered with the SENCO and school nurse", "partners_consulted": ["SENCO"]}


SUPPORT = {"what": "Weekly mentoring and a breakfast club place", "provider": "School pastoral team",
           "start_date": "", "review_date": "", "response": "declined", "outcome": "Did not attend the sessions"}


def _scenarios(today: date) -> list[tuple[str, list[tuple[str, dict[str, Any]]]]]:
    """(what the case needs: "", "threshold" met or "severe" absence, steps) per demo case."""
    review_day = today + timedelta(days=28)
    while review_day.weekday() >= 5:
        review_day -= timedelta(days=1)
    review = review_day.isoformat()
    support = {**SUPPORT, "start_date": (today - timedelta(days=28)).isoformat(), "review_date": review}
    return [
        ("", [("record_meeting", {"attendees": ["parent", "pupil", "form tutor"],
                                  "summary": "Met parents and pupil; anxiety about maths lessons",
                                  "next_review_date": review}),
              ("agree_action_plan", {"actions": ["Morning check-in with tutor", "Weekly call home"],
                                     "review_date": review})]),
        ("", [("offer_attendance_contract", {"parent": "parent-1", "parent_commitments": ["At school by 8:40"],
                                             "support_provided": ["Breakfast club place", "Weekly mentor"]}),
              ("sign_attendance_contract", {"parent": "parent-1", "review_date": review})]),
        ("threshold", [("record_decision", DECISION), ("record_support", support),
                       ("issue_notice_to_improve", {})]),
        ("severe", [("record_home_visit", {"attendees": ["EWO"], "seen": ["mother", "pupil"],
                                           "observations": "Pupil at home at 10am, says school is too much",
                                           "agreed": "Mother will bring the pupil to a part-time timetable",
                                           "next_steps": "Whole-family plan with early help this week",
                                           "next_review_date": review}),
                    ("agree_whole_family_plan", {
                        "agencies": [{"agency": "Early help", "will_do": "Weekly family support sessions"},
                                     {"agency": "School nurse", "will_do": "Health and wellbeing assessment"}],
                        "lead_professional": "Early help key worker",
                        "actions": ["Part-time timetable for two weeks", "Morning routine plan at home"],
                        "review_date": review})]),
        ("", [("close_case", {"reason": "Attendance improved after the family support plan (demo data)"})]),
    ]


def advance_demo_journeys(casework_url: str, data_dir: Path, settings: PlatformSettings,
                          timeout: float = 90.0) -> list[str]:
    """Runs once per data folder; returns one line per step taken or refused."""
    marker = data_dir / DONE_MARKER
    if marker.exists():
        return []
    ewo = Identity(subject="demo-ewo", name="Daniel Price", role=Role.LA_EWO, scope=Scope(la_code=DEMO_LA_CODE))
    headers = {"Authorization": f"Bearer {issue_token(ewo, settings)}"}
    # Plain cases of compulsory school age, so that every step is open to them.
    candidates = [c for c in _wait_for_cases(casework_url, headers, needed=5, timeout=timeout)
                  if c["flags"]["compulsory_school_age"]
                  and not any(v for k, v in c["flags"].items() if k != "compulsory_school_age")]
    report = []
    for need, steps in _scenarios(clock.today()):
        # Lists put severely absent pupils first: the other scenarios take them last.
        pool = sorted(candidates, key=lambda c: bool(c.get("severely_absent")) != (need == "severe"))
        case = next((c for c in pool if (need != "threshold" or _penalty_threshold_met(settings, c["pupil_id"]))
                     and (need != "severe" or c.get("severely_absent"))), None)
        if case is None:
            report.append(f"no demo case fits {steps[-1][0]}")
            continue
        candidates.remove(case)
        for action, details in steps:
            try:
                response = demo_http.post(f"{casework_url}/api/v1/cases/{case['pupil_id']}/actions",
                                          json={"action": action, "details": details}, headers=headers)
            except demo_http.DemoStepFailed as exc:
                # The next steps of this case build on this one, so they are not tried either.
                report.append(f"could not load {action} for a year {case['year_group']} pupil: {exc}")
                break
            outcome = "done" if response.status_code == 200 else f"refused: {_detail(response)}"
            report.append(f"{action} for a year {case['year_group']} pupil: {outcome}")
    marker.write_text("\n".join(report) + "\n")
    return report


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("detail"))
    except ValueError:
        return f"HTTP {response.status_code}"


def _penalty_threshold_met(settings: PlatformSettings, pupil_id: str) -> bool:
    # The demo reads the figures as casework would (its token names casework, for register).
    token = service_token("casework", "register", settings)
    try:
        figures = demo_http.get(f"{settings.register_url}/internal/pupils/{pupil_id}/figures",
                                headers={"Authorization": f"Bearer {token}"}, attempts=3)
    except demo_http.DemoStepFailed:
        return False
    return figures.status_code == 200 and bool(figures.json().get("penalty_threshold_met"))


def _wait_for_cases(url: str, headers: dict[str, str], needed: int, timeout: float,
                    steady_polls: int = 3) -> list[dict[str, Any]]:
    """The cases once their number has stopped growing: the worker is still taking in the register's demo events
    just after start-up, and the first few cases to arrive rarely include one over the penalty threshold."""
    deadline = time.monotonic() + timeout
    items: list[dict[str, Any]] = []
    counts: list[int] = []
    while time.monotonic() < deadline:
        try:
            # Persistently and severely absent pupils' cases: the severe one gets the joint approach's steps.
            responses = [httpx.get(f"{url}/api/v1/cases", params={"stage": stage, "limit": 100}, headers=headers,
                                   timeout=demo_http.REQUEST_TIMEOUT)
                         for stage in ("persistent_absence", "severe_absence")]
        except httpx.TransportError:
            # Busy or restarting: the deadline, not one slow answer, decides when to stop asking.
            time.sleep(1)
            continue
        if all(r.status_code == 200 for r in responses):
            items = [item for r in responses for item in r.json()["items"]]
            counts.append(len(items))
            if len(items) >= needed and counts[-steady_polls:] == [len(items)] * steady_polls:
                return items
        time.sleep(2)
    return items
