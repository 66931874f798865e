"""Gives the LA's compliance view something to show on a new `make run`, once, through the services' own APIs as
the demo users would: Millbrook submits its October attendance return, its attendance officer replaces two of
the week's N codes with the reasons parents gave, and this morning's register records one of Helen Carter's
pupils as N, so that she is told the same day (only when today is a school day and its morning is unmarked)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from scripts import demo_http
from shared import clock
from shared.auth import Identity, Role, Scope, issue_token, service_token
from shared.demo import DEMO_USERS
from shared.settings import PlatformSettings

DONE_MARKER = ".demo-la-done"
MILLBROOK = "900001"


def _has_officer(urn: str) -> bool:
    return any(u.role is Role.SCHOOL_ATTENDANCE_OFFICER and urn in u.school_urns for u in DEMO_USERS)


def _officer(settings: PlatformSettings, urn: str) -> dict[str, str]:
    user = next(u for u in DEMO_USERS if u.role is Role.SCHOOL_ATTENDANCE_OFFICER and urn in u.school_urns)
    identity = Identity(subject=user.subject, name=user.name, role=user.role, scope=Scope(school_urns=[urn]))
    return {"Authorization": f"Bearer {issue_token(identity, settings)}"}


def _service(settings: PlatformSettings, caller: str) -> dict[str, str]:
    """Register's internal API as the service whose read the demo makes (its tokens name the caller)."""
    return {"Authorization": f"Bearer {service_token(caller, 'register', settings)}"}


def _submit_october_return(settings: PlatformSettings, returns_url: str, wait_seconds: float = 30.0) -> str:
    headers = _officer(settings, MILLBROOK)
    due: list[dict[str, Any]] = []
    # The LA-return schedule makes last month's returns as the worker starts, which may be a moment after this.
    deadline = time.monotonic() + wait_seconds
    while not due and time.monotonic() < deadline:
        listed = demo_http.get(f"{returns_url}/api/v1/returns",
                               params={"school_urn": MILLBROOK, "kind": "attendance"}, headers=headers)
        due = [r for r in listed.json() if r["status"] != "submitted"] if listed.status_code == 200 else []
        if not due:
            time.sleep(1)
    if not due:
        return "no attendance return of Millbrook's to submit yet"
    oldest = min(due, key=lambda r: r["period_start"])
    response = demo_http.post(f"{returns_url}/api/v1/returns/{oldest['id']}/submit", headers=headers)
    return f"Millbrook submitted its attendance return for {oldest['period']}: {response.status_code}"


def _resolve_recent_n_codes(settings: PlatformSettings, register_url: str, today: date) -> str:
    records = demo_http.get(f"{register_url}/internal/schools/{MILLBROOK}/n-marks",
                            params={"from": date(today.year if today.month >= 9 else today.year - 1, 9, 1).isoformat(),
                                    "to": today.isoformat()}, headers=_service(settings, "returns"))
    open_n = [r for r in records.json() if r["outcome"] == "open_in_time"] if records.status_code == 200 else []
    done = 0
    for record in open_n[:2]:
        response = demo_http.post(
            f"{register_url}/api/v1/pupils/{record['pupil_id']}/marks/{record['session_date']}/{record['session']}"
            "/amendments", json={"new_code": "I", "reason": "Parent telephoned: pupil was ill (demo data)"},
            headers=_officer(settings, MILLBROOK))
        done += response.status_code == 201
    return f"Millbrook replaced {done} N codes with the reason given"


def _todays_unexplained_absence(settings: PlatformSettings, register_url: str, today: date) -> str:
    worker = next(u for u in DEMO_USERS if u.role is Role.SOCIAL_WORKER)
    allocated = demo_http.get(f"{register_url}/internal/pupils/allocated", params={"worker_email": worker.email},
                              headers=_service(settings, "casework"))
    pupils: list[str] = allocated.json() if allocated.status_code == 200 else []
    for pupil_id in pupils:
        summary: dict[str, Any] = demo_http.get(f"{register_url}/internal/pupils/{pupil_id}/summary",
                                                headers=_service(settings, "casework")).json()
        urn = summary.get("school_urn")
        if not urn or not _has_officer(urn):
            continue
        response = demo_http.post(f"{register_url}/api/v1/schools/{urn}/sessions/{today.isoformat()}/AM/marks",
                                  json={"marks": [{"pupil_id": pupil_id, "code": "N"}]},
                                  headers=_officer(settings, urn))
        if response.status_code == 200 and response.json().get("created"):
            return f"this morning's register records one of {worker.name}'s pupils as N: she is told now"
        return "this morning's register could not take an N today (not a school day, or already marked)"
    return f"no pupil allocated to {worker.name}"


def _step(what: str, run: Callable[[], str]) -> str:
    # One step a service did not answer must not keep the others from being loaded.
    try:
        return run()
    except demo_http.DemoStepFailed as exc:
        return f"could not load {what}: {exc}"


def demo_la_activity(settings: PlatformSettings, register_url: str, returns_url: str, data_dir: Path,
                     today: date | None = None) -> list[str]:
    """Runs once per data folder; returns one line per step."""
    marker = data_dir / DONE_MARKER
    if marker.exists():
        return []
    today = today or clock.today()
    report = [_step("Millbrook's attendance return", lambda: _submit_october_return(settings, returns_url)),
              _step("the N codes' reasons", lambda: _resolve_recent_n_codes(settings, register_url, today)),
              _step("this morning's N", lambda: _todays_unexplained_absence(settings, register_url, today))]
    marker.write_text("\n".join(report) + "\n")
    return report

