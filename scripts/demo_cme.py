"""Children missing education on the running demo (`make run` in another terminal).

    .venv/bin/python -m scripts.demo_cme

Admits a new synthetic pupil to Harbour View (900002) whose agreed start day was the latest school day before today,
marks them absent (O) all of that day, waits for the journey to open the CME concern (the LA's CME officer, Tom
Okafor, is told: see the mail sink), records the school's reasonable enquiry, and prints the concern with its
deadlines and where to see it. The demo's own pupils are left as they are."""

from __future__ import annotations

import json
import random
import sys
import time
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


def _admit(register: str, officer: dict[str, str], start_day: str) -> str:
    for _ in range(20):
        upn = make_upn(DEMO_LA_CODE, "4001", "26", f"{random.randint(10, 99)}{random.choice('ABCDEFGH')}")
        response = post(f"{register}/api/v1/schools/{SCHOOL_URN}/pupils", headers=officer, json={
            "upn": upn, "legal_forename": "Cora", "legal_surname": "Demo", "date_of_birth": "2013-03-14", "sex": "F",
            "year_group": "8", "address": "6 Harbour Row, Northshire", "admission_date": start_day,
            "parents": [{"name": "Robin Demo", "relationship": "Parent", "parental_responsibility": True,
                         "lives_with_pupil": True}]})
        if response.status_code == 201:
            pupil_id: str = response.json()["id"]
            return pupil_id
    raise SystemExit(f"could not admit a demo pupil: {response.text}")


def _concern(casework: str, ewo: dict[str, str], pupil_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        response = get(f"{casework}/api/v1/cases/{pupil_id}", headers=ewo)
        journey = response.json().get("journey") if response.status_code == 200 else None
        if journey and journey.get("cme_concerns"):
            concern: dict[str, Any] = journey["cme_concerns"][-1]
            return concern
        time.sleep(1)
    raise SystemExit(f"the journey did not open a CME concern within {WAIT_SECONDS}s")


def main() -> int:
    settings = PlatformSettings()
    register, casework = settings.register_url, settings.casework_url
    officer = _headers(settings, Role.SCHOOL_ATTENDANCE_OFFICER, "Demo Officer")
    ewo = _headers(settings, Role.LA_EWO, "Daniel Price")
    days = [d for d in _school_days(register, officer, 3) if d < clock.today()]
    if not days:
        raise SystemExit("no school day in the last 60 days before today")
    start_day = days[-1].isoformat()
    pupil_id = _admit(register, officer, start_day)
    for session in ("AM", "PM"):
        response = post(f"{register}/api/v1/schools/{SCHOOL_URN}/sessions/{start_day}/{session}/marks",
                        headers=officer, json={"marks": [{"pupil_id": pupil_id, "code": "O"}]})
        print(f"{session} of the agreed start day {start_day} marked O: HTTP {response.status_code}")
    concern = _concern(casework, ewo, pupil_id)
    print(f"\nThe CME concern the journey opened:\n{json.dumps(concern, indent=2)}")
    enquiry = post(f"{casework}/api/v1/cases/{pupil_id}/actions", headers=officer, json={
        "action": "record_cme_enquiry", "details": {
            "by": "school", "made_by": "Demo Officer, attendance officer",
            "what_was_done": "Phoned the parent twice and visited the home",
            "result": "Nobody at home; neighbours say the family may have moved"}})
    print(f"\nThe school's reasonable enquiry recorded: HTTP {enquiry.status_code}")
    print(f"\nThe case page (sign in as Daniel Price, EWO): {casework}/cases/{pupil_id}#cme")
    print("The message to the LA's CME officer, Tom Okafor: the mail sink (http://127.0.0.1:1080/ by default)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
