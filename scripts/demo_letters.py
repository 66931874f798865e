"""Letters in the parent's language and format on the running demo (`make run` in another terminal).

    .venv/bin/python -m scripts.demo_letters

Admits a new synthetic pupil to Harbour View (900002) whose parents prefer Welsh (one by post in large print, one by
email), Lithuanian (no translation yet: English, offering one) and braille (made by hand: the attendance lead is
asked), with a social worker (so register raises the unexplained absence the same day), marks the pupil N on the
latest school day, waits for the first-day absence messages and prints what each parent got (language, format),
where the large print PDF is and the case page with the parents' needs. The demo's own pupils are left as they
are."""

from __future__ import annotations

import random
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from scripts.demo_http import get, post
from scripts.demo_leave import _headers, _school_days
from services.register.domain.upn import make_upn
from shared.auth import Role, service_token
from shared.demo import DEMO_LA_CODE
from shared.settings import PlatformSettings

SCHOOL_URN = "900002"
WAIT_SECONDS = 180
ADDRESS = "4 Heol y Bont\nNorthtown\nNT1 2AB"


def _admit(register: str, officer: dict[str, str], admitted: str) -> str:
    parents = [
        {"name": "Eleri Demo", "relationship": "Mother", "address": ADDRESS, "parental_responsibility": True,
         "lives_with_pupil": True, "preferred_language": "cy", "accessible_format": "large_print"},
        {"name": "Mari Demo", "relationship": "Stepmother", "email": "mari.demo@example.org",
         "parental_responsibility": True, "preferred_language": "cy"},
        {"name": "Jonas Demo", "relationship": "Father", "email": "jonas.demo@example.org",
         "parental_responsibility": True, "preferred_language": "lt"},
        {"name": "Sam Demo", "relationship": "Carer", "email": "sam.demo@example.org",
         "parental_responsibility": True, "accessible_format": "braille"},
    ]
    for _ in range(20):
        upn = make_upn(DEMO_LA_CODE, "4001", "26", f"{random.randint(10, 99)}{random.choice('ABCDEFGH')}")
        response = post(f"{register}/api/v1/schools/{SCHOOL_URN}/pupils", headers=officer, json={
            "upn": upn, "legal_forename": "Lowri", "legal_surname": "Demo", "date_of_birth": "2013-06-01",
            "sex": "F", "year_group": "8", "address": ADDRESS.replace("\n", ", "), "admission_date": admitted,
            "parents": parents,
            # Register raises the same-day unexplained absence for a pupil with a social worker.
            "social_worker": {"name": "Helen Carter", "email": "h.carter@northshire-childrens.example.gov"}})
        if response.status_code == 201:
            pupil_id: str = response.json()["id"]
            return pupil_id
    raise SystemExit(f"could not admit a demo pupil: {response.text}")


def _records(notifications: str, headers: dict[str, str], pupil_id: str) -> list[dict[str, Any]]:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        response = get(f"{notifications}/internal/pupils/{pupil_id}/notifications", headers=headers)
        records: list[dict[str, Any]] = response.json() if response.status_code == 200 else []
        parents = [r for r in records if r["template"] == "first_day_absence_parent"]
        if len(parents) == 4 and all(r["status"] != "queued" for r in records):
            return records
        time.sleep(1)
    raise SystemExit(f"the first-day absence messages did not all go within {WAIT_SECONDS}s")


def main() -> int:
    settings = PlatformSettings()
    register, casework, notifications = settings.register_url, settings.casework_url, settings.notifications_url
    officer = _headers(settings, Role.SCHOOL_ATTENDANCE_OFFICER, "Demo Officer")
    as_casework = {"Authorization": f"Bearer {service_token('casework', 'notifications', settings)}"}
    days = _school_days(register, officer, 1)
    if not days:
        raise SystemExit("no school day in the last 60 days")
    pupil_id = _admit(register, officer, (days[0] - timedelta(days=70)).isoformat())
    marked = post(f"{register}/api/v1/schools/{SCHOOL_URN}/sessions/{days[0].isoformat()}/AM/marks",
                  headers=officer, json={"marks": [{"pupil_id": pupil_id, "code": "N"}]})
    print(f"Lowri Demo admitted and marked N on the morning of {days[0]}: HTTP {marked.status_code}\n")
    for record in _records(notifications, as_casework, pupil_id):
        print(f"- {record['subject']}\n  to {record['recipient_name']} by {record['channel']}: "
              f"language {record['language']}"
              + (f" (prefers {record['preferred_language']})" if record["preferred_language"] else "") + ", "
              f"format {record['accessible_format']}"
              + (f", {record['format_for_officer']} copy to make by hand" if record["format_for_officer"] else ""))
        if record["channel"] == "letter":
            pdf = get(f"{notifications}/internal/notifications/{record['notification_id']}/letter.pdf",
                      headers=as_casework)
            # Beside make run's data, which git ignores, not in the working tree.
            path = Path("data") / "demo-letters" / f"letter-{record['notification_id']}.pdf"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pdf.content)
            print(f"  the large print letter: {path.resolve()}")
    print("\nThe case page with the parents' needs (sign in as Daniel Price, EWO): "
          f"{casework}/cases/{pupil_id}#parents")
    print("The emails (Welsh with the English copy, English offering a translation, the attendance lead's braille "
          "task): the mail sink (http://127.0.0.1:1080/ by default)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
