"""Leave of absence and part-time timetables on the running demo (`make run` in another terminal).

    .venv/bin/python -m scripts.demo_leave leave       # granted leave pre-fills C; refused leave taken as G
    .venv/bin/python -m scripts.demo_leave part-time   # C2 only inside an agreement; agreements due for review

Each run admits a new synthetic pupil to Harbour View (900002) so the demo's own pupils are left as they are, and
prints what register and casework answered."""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, timedelta
from typing import Any

from scripts.demo_http import get, post
from services.register.domain.upn import make_upn
from shared import clock
from shared.auth import Identity, Role, Scope, issue_token
from shared.demo import DEMO_LA_CODE
from shared.settings import PlatformSettings

SCHOOL_URN = "900002"
PARENT = "Robin Demo"


def _headers(settings: PlatformSettings, role: Role, name: str) -> dict[str, str]:
    scope = Scope(la_code=DEMO_LA_CODE) if role is Role.LA_EWO else Scope(school_urns=[SCHOOL_URN])
    identity = Identity(subject=f"demo-leave-{role.value}", name=name, role=role, scope=scope)
    return {"Authorization": f"Bearer {issue_token(identity, settings)}"}


def _show(label: str, response: Any) -> Any:
    body = response.json()
    print(f"\n{label}: HTTP {response.status_code}\n{json.dumps(body, indent=2)[:1500]}")
    return body


def _admit(register: str, officer: dict[str, str], name: str) -> str:
    for _ in range(20):
        upn = make_upn(DEMO_LA_CODE, "4001", "26", f"{random.randint(10, 99)}{random.choice('ABCDEFGH')}")
        response = post(f"{register}/api/v1/schools/{SCHOOL_URN}/pupils", headers=officer, json={
            "upn": upn, "legal_forename": name, "legal_surname": "Demo", "date_of_birth": "2013-03-14", "sex": "F",
            "year_group": "8", "address": "4 Harbour Row, Northshire",
            "admission_date": (clock.today() - timedelta(days=60)).isoformat(),
            "parents": [{"name": PARENT, "relationship": "Parent", "parental_responsibility": True,
                         "lives_with_pupil": True}]})
        if response.status_code == 201:
            pupil_id: str = response.json()["id"]
            return pupil_id
    raise SystemExit(f"could not admit a demo pupil: {response.text}")


def _school_days(register: str, officer: dict[str, str], count: int) -> list[date]:
    """The latest school days up to today, found as register takes marks (a probe that records nothing)."""
    days: list[date] = []
    day = clock.today()
    while len(days) < count and day > clock.today() - timedelta(days=60):
        # A mark for a pupil not on roll is refused per mark; a day the school does not meet, by session_date.
        response = post(f"{register}/api/v1/schools/{SCHOOL_URN}/sessions/{day.isoformat()}/AM/marks",
                        headers=officer, json={"marks": [{"pupil_id": "00000000-0000-0000-0000-000000000000",
                                                          "code": "/"}]})
        fields = [e.get("field") for e in response.json().get("errors", [])]
        if "session_date" not in fields:
            days.append(day)
        day -= timedelta(days=1)
    return sorted(days)


def leave(settings: PlatformSettings) -> None:
    register, casework = settings.register_url, settings.casework_url
    officer = _headers(settings, Role.SCHOOL_ATTENDANCE_OFFICER, "Demo Officer")
    head = _headers(settings, Role.HEADTEACHER, "Demo Headteacher")
    granted_pupil, refused_pupil = _admit(register, officer, "Gwen"), _admit(register, officer, "Hal")
    first, last = _school_days(register, officer, 2)
    body = {"ground": "exceptional_circumstances", "start_date": first.isoformat(), "end_date": last.isoformat(),
            "reasons": "Funeral abroad", "requested_by": "parent", "requester_name": PARENT,
            "requested_on": (first - timedelta(days=10)).isoformat()}
    made = _show("A parent's request", post(f"{register}/api/v1/pupils/{granted_pupil}/leave-requests",
                                            headers=officer, json=body))
    _show("Granted by the headteacher (prefilled_sessions)", post(
        f"{register}/api/v1/pupils/{granted_pupil}/leave-requests/{made['id']}/decision", headers=head,
        json={"decision": "granted"}))
    _show("The register now", get(f"{register}/api/v1/pupils/{granted_pupil}/marks", headers=officer,
                                  params={"from": first.isoformat(), "to": last.isoformat()}))
    made = post(f"{register}/api/v1/pupils/{refused_pupil}/leave-requests", headers=officer,
                json={**body, "reasons": "Family holiday in Spain"}).json()
    _show("A term-time holiday refused", post(
        f"{register}/api/v1/pupils/{refused_pupil}/leave-requests/{made['id']}/decision", headers=head,
        json={"decision": "refused", "notes": "Not an exceptional circumstance"}))
    _show("Taken anyway: G", post(f"{register}/api/v1/schools/{SCHOOL_URN}/sessions/{first.isoformat()}/AM/marks",
                                  headers=officer, json={"marks": [{"pupil_id": refused_pupil, "code": "G"}]}))
    print(f"\nThe case file (sign in as Daniel Price, EWO): {casework}/cases/{refused_pupil}")


def part_time(settings: PlatformSettings) -> None:
    register = settings.register_url
    officer = _headers(settings, Role.SCHOOL_ATTENDANCE_OFFICER, "Demo Officer")
    pupil = _admit(register, officer, "Ivo")
    day = _school_days(register, officer, 1)[0]
    mark = {"marks": [{"pupil_id": pupil, "code": "C2"}]}
    url = f"{register}/api/v1/schools/{SCHOOL_URN}/sessions/{day.isoformat()}/PM/marks"
    _show("C2 without an agreement", post(url, headers=officer, json=mark))
    _show("A part-time timetable agreed with the parent", post(
        f"{register}/api/v1/pupils/{pupil}/part-time-timetables", headers=officer, json={
            "start_date": (day - timedelta(days=7)).isoformat(),
            "end_date": (clock.today() + timedelta(days=42)).isoformat(),
            "review_date": (clock.today() + timedelta(days=2)).isoformat(),
            "agreed_times": "Mornings only, 8:30 to 12:00",
            "absent_sessions": [{"weekday": d, "session": "PM"}
                                for d in ("monday", "tuesday", "wednesday", "thursday", "friday")],
            "reasons": "Phased return after a long illness", "parent_name": PARENT,
            "parent_agreed_on": (day - timedelta(days=7)).isoformat()}))
    _show("C2 inside the agreement", post(url, headers=officer, json=mark))
    _show("Agreements due for review", get(
        f"{register}/api/v1/schools/{SCHOOL_URN}/part-time-timetables/due-for-review", headers=officer))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["leave", "part-time"])
    args = parser.parse_args(argv)
    settings = PlatformSettings()
    if args.what == "leave":
        leave(settings)
    else:
        part_time(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
