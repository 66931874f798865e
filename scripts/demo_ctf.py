"""The Common Transfer File on the running demo (`make run` in another terminal).

    .venv/bin/python -m scripts.demo_ctf

Admits a new synthetic pupil to Harbour View (900002), marks three days, deletes them on ground 9(1)(a) with Oakfield
Special School (900003) recorded as the new school, prints the leaving school's CTF, imports it at Oakfield and
prints the new register entry with its prior attendance; then shows a malformed file refused with XML paths and a
pupil deleted with no known destination, whose CTF goes to the destination-unknown addressing."""

from __future__ import annotations

import json
import random
import sys
from datetime import timedelta
from typing import Any

from scripts.demo_http import get, post
from services.register.domain.upn import make_upn
from shared import clock
from shared.auth import Identity, Role, Scope, issue_token
from shared.demo import DEMO_LA_CODE
from shared.settings import PlatformSettings

LEAVING_URN = "900002"
NEW_URN = "900003"


def _officer(settings: PlatformSettings, urn: str) -> dict[str, str]:
    identity = Identity(subject=f"demo-ctf-{urn}", name="Demo Officer", role=Role.SCHOOL_ATTENDANCE_OFFICER,
                        scope=Scope(school_urns=[urn]))
    return {"Authorization": f"Bearer {issue_token(identity, settings)}"}


def _admit(register: str, officer: dict[str, str], name: str) -> str:
    for _ in range(20):
        upn = make_upn(DEMO_LA_CODE, "4001", "26", f"{random.randint(10, 99)}{random.choice('ABCDEFGH')}")
        response = post(f"{register}/api/v1/schools/{LEAVING_URN}/pupils", headers=officer, json={
            "upn": upn, "legal_forename": name, "legal_surname": "Demo", "date_of_birth": "2013-03-14", "sex": "F",
            "year_group": "8", "address": "4 Harbour Row, Northshire", "postcode": "NS2 4HR",
            "admission_date": (clock.today() - timedelta(days=60)).isoformat(),
            "parents": [{"name": "Robin Demo", "relationship": "Mother", "phone": "07700 900321",
                         "parental_responsibility": True, "lives_with_pupil": True}]})
        if response.status_code == 201:
            pupil_id: str = response.json()["id"]
            return pupil_id
    raise SystemExit(f"could not admit a demo pupil: {response.text}")


def _mark_latest_school_days(register: str, officer: dict[str, str], pupil_id: str) -> None:
    """The three latest school days up to today: present, ill, then unexplained absence in the afternoon."""
    codes = iter([("/", "\\"), ("I", "I"), ("/", "N")])
    day = clock.today()
    for _ in range(60):
        am, pm = next(codes, (None, None))
        if am is None or pm is None:
            return
        response = post(f"{register}/api/v1/schools/{LEAVING_URN}/sessions/{day.isoformat()}/AM/marks",
                        headers=officer, json={"marks": [{"pupil_id": pupil_id, "code": am}]})
        if response.status_code == 200:
            post(f"{register}/api/v1/schools/{LEAVING_URN}/sessions/{day.isoformat()}/PM/marks",
                 headers=officer, json={"marks": [{"pupil_id": pupil_id, "code": pm}]})
            print(f"Marked {am} and {pm} on {day.isoformat()}")
        else:
            codes = iter([(am, pm), *codes])
        day -= timedelta(days=1)


def _delete(register: str, officer: dict[str, str], pupil_id: str, **destination: str) -> None:
    response = post(f"{register}/api/v1/pupils/{pupil_id}/deletions", headers=officer, json={
        "ground": "9(1)(a)", "deletion_date": clock.today().isoformat(),
        "details": "Registered at another school", **destination})
    print(f"\nDeleted on 9(1)(a): HTTP {response.status_code}")


def _show(label: str, response: Any) -> Any:
    body = response.json()
    print(f"\n{label}: HTTP {response.status_code}\n{json.dumps(body, indent=2)[:2500]}")
    return body


def main() -> int:
    settings = PlatformSettings()
    register = settings.register_url
    leaving, new = _officer(settings, LEAVING_URN), _officer(settings, NEW_URN)
    pupil = _admit(register, leaving, "Cora")
    _mark_latest_school_days(register, leaving, pupil)
    _delete(register, leaving, pupil, new_school_urn=NEW_URN)
    exported = get(f"{register}/api/v1/pupils/{pupil}/ctf", headers=leaving)
    print(f"\nThe leaving school's CTF ({exported.headers.get('content-disposition')}):\n"
          f"{exported.content.decode()[:3000]}")
    report = _show("Imported at Oakfield", post(f"{register}/api/v1/schools/{NEW_URN}/ctf", headers=new,
                                                files={"file": ("transfer.xml", exported.content, "application/xml")}))
    if report.get("pupils"):
        record = get(f"{register}/api/v1/pupils/{report['pupils'][0]['pupil_id']}", headers=new).json()
        print("\nThe new register entry's prior attendance:\n" + json.dumps(record["prior_attendance"], indent=2))
    _show("The same file again", post(f"{register}/api/v1/schools/{NEW_URN}/ctf", headers=new,
                                      files={"file": ("transfer.xml", exported.content, "application/xml")}))
    _show("A malformed file", post(f"{register}/api/v1/schools/{NEW_URN}/ctf", content=b"<CTfile><Header/></CTfile>",
                                   headers={**new, "Content-Type": "application/xml"}))
    lost = _admit(register, leaving, "Dara")
    _delete(register, leaving, lost)
    unknown = get(f"{register}/api/v1/pupils/{lost}/ctf", headers=leaving)
    print(f"\nNo known destination: {unknown.headers.get('content-disposition')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
