"""The DfE daily share and retention on the running demo (`make run` in another terminal).

    .venv/bin/python -m scripts.demo_records dfe-share   # the DfE's collector takes the LA's share; the LA's list
    .venv/bin/python -m scripts.demo_records retention   # a pupil who left today: kept 6 years, removed a day after

The retention demo admits and deletes a new synthetic pupil of Harbour View (900002), and runs the job "as of" days
after 6 years for that pupil only (a later day is accepted outside production only), so the demo's own data stays.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from datetime import date, timedelta
from typing import Any

from scripts.demo_http import get, post
from scripts.demo_leave import SCHOOL_URN, _admit, _headers, _school_days
from shared import clock
from shared.auth import Identity, Role, Scope, issue_token, service_token
from shared.demo import DEMO_LA_CODE
from shared.retention import RETENTION_CALLER
from shared.settings import PlatformSettings


def _bearer(settings: PlatformSettings, role: Role, name: str, scope: Scope | None = None) -> dict[str, str]:
    identity = Identity(subject=f"demo-{role.value}", name=name, role=role, scope=scope or Scope())
    return {"Authorization": f"Bearer {issue_token(identity, settings)}"}


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def dfe_share(settings: PlatformSettings) -> None:
    returns = settings.returns_url
    collector = _bearer(settings, Role.DFE_COLLECTOR, "DfE collector")
    officer = _headers(settings, Role.SCHOOL_ATTENDANCE_OFFICER, "Demo Officer")
    day = [d for d in _school_days(settings.register_url, officer, 2) if d < clock.today()][-1]
    for collection in ("morning", "afternoon"):
        response = get(f"{returns}/api/v1/dfe/daily-share.csv", headers=collector,
                       params={"la": DEMO_LA_CODE, "date": day.isoformat(), "collection": collection})
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        codes = sorted({r["pm_code" if collection == "afternoon" else "am_code"] or "-" for r in rows})
        print(f"\n{collection} collection of {day}: HTTP {response.status_code}, {len(rows)} rows, "
              f"sha256 {response.headers.get('x-content-sha256')}\ncolumns: {', '.join(rows[0]) if rows else '-'}"
              f"\ncodes seen: {' '.join(codes)}")
    refused = get(f"{settings.casework_url}/api/v1/cases", headers=collector)
    print(f"\nThe collector's token on casework: HTTP {refused.status_code} ({refused.json().get('detail')})")
    ewo = _bearer(settings, Role.LA_EWO, "Daniel Price", Scope(la_code=DEMO_LA_CODE))
    listed = get(f"{returns}/api/v1/las/{DEMO_LA_CODE}/dfe-collections", headers=ewo)
    print(f"\nThe LA's record of collections (newest first): HTTP {listed.status_code}\n"
          f"{json.dumps(listed.json()[:3], indent=2)}")
    print(f"\nFile drops are written to {settings.data_dir / 'dfe-share'} at 10:00 and 15:00 (UK time).")


def retention(settings: PlatformSettings) -> None:
    register = settings.register_url
    officer = _headers(settings, Role.SCHOOL_ATTENDANCE_OFFICER, "Demo Officer")
    service = {"Authorization": f"Bearer {service_token(RETENTION_CALLER, 'register', settings)}"}
    pupil = _admit(register, officer, "Wren")
    left = post(f"{register}/api/v1/pupils/{pupil}/deletions", headers=officer, json={
        "ground": "9(1)(a)", "deletion_date": clock.today().isoformat(), "details": "Admitted to another school"})
    print(f"Pupil {pupil} admitted and taken off roll today: deletion {left.json().get('status')}")
    today = clock.today()
    for as_of in (today, _years_after(today, 6) - timedelta(days=1), _years_after(today, 6) + timedelta(days=1)):
        report: Any = post(f"{register}/internal/retention/run", headers=service,
                           json={"as_of": as_of.isoformat(), "pupil_ids": [pupil]}).json()
        still = get(f"{register}/api/v1/pupils/{pupil}", headers=officer).status_code
        print(f"\nas of {as_of}: cut-off {report['cutoffs']}, removed {report['removed']}; pupil record HTTP {still}")
    dpl = _bearer(settings, Role.DATA_PROTECTION_LEAD, "Grace Okafor", Scope(la_code=DEMO_LA_CODE))
    runs = get(f"{register}/api/v1/retention/runs", headers=dpl, params={"limit": 3})
    print(f"\nThe register's retention report for the LA: HTTP {runs.status_code}\n{json.dumps(runs.json(), indent=2)}")
    print(f"\nThe nightly run (Temporal Schedule 'retention-daily', 02:00 UK time) asks register, casework, "
          f"notifications and returns in turn; see it at http://127.0.0.1:8233/ (school {SCHOOL_URN}'s pupils stay).")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["dfe-share", "retention"])
    args = parser.parse_args(argv)
    settings = PlatformSettings()
    if args.what == "dfe-share":
        dfe_share(settings)
    else:
        retention(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
