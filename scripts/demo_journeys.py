"""Moves a few demo journeys on, once, so that a new `make run` shows cases at several stages: an action plan
under review, an attendance contract (formal support), a notice to improve (legal intervention) and a closed
case in its monitoring period. Each step goes through the casework API as the demo officers would take it."""

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


def _scenarios(today: date) -> list[tuple[bool, list[tuple[str, dict[str, Any]]]]]:
    """(needs the penalty threshold met, steps) per demo case."""
    review = (today + timedelta(days=28)).isoformat()
    support = {"what": "Weekly mentoring and a morning call", "provider": "School pastoral team",
               "start_date": (today - timedelta(days=42)).isoformat(), "response": "declined"}
    return [
        (False, [("record_meeting", {"attendees": ["parent", "pupil", "form tutor"],
                                     "summary": "Met parents and pupil; anxiety about maths lessons"}),
                 ("agree_action_plan", {"actions": ["Morning check-in with tutor", "Weekly call home"],
                                        "review_date": review})]),
        (False, [("offer_attendance_contract", {"parent": "parent-1", "parent_commitments": ["At school by 8:40"],
                                                "support_provided": ["Breakfast club place", "Weekly mentor"]}),
                 ("sign_attendance_contract", {"parent": "parent-1", "review_date": review})]),
        # Support comes before a legal step (rules.md s10), so the case records what was offered first.
        (True, [("record_decision", DECISION), ("record_support", support), ("issue_notice_to_improve", {})]),
        (False, [("close_case", {"reason": "Attendance improved after the family support plan (demo data)"})]),
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
    candidates = [c for c in _wait_for_cases(casework_url, headers, needed=4, timeout=timeout)
                  if c["flags"]["compulsory_school_age"]
                  and not any(v for k, v in c["flags"].items() if k != "compulsory_school_age")]
    report = []
    for needs_threshold, steps in _scenarios(clock.today()):
        case = next((c for c in candidates if not needs_threshold
                     or _penalty_threshold_met(settings, c["pupil_id"])), None)
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
    token = service_token("demo", settings)
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
            response = httpx.get(f"{url}/api/v1/cases", params={"stage": "persistent_absence", "limit": 100},
                                 headers=headers, timeout=demo_http.REQUEST_TIMEOUT)
        except httpx.TransportError:
            # Busy or restarting: the deadline, not one slow answer, decides when to stop asking.
            time.sleep(1)
            continue
        if response.status_code == 200:
            items = response.json()["items"]
            counts.append(len(items))
            if len(items) >= needed and counts[-steady_polls:] == [len(items)] * steady_polls:
                return items
        time.sleep(2)
    return items
