"""Retention on the running system: a pupil who left today keeps every register entry when the job runs today, and
as of 6 years less a day, and exactly 6 years, after; as of 6 years and a day everything about them goes from the
register. Open case files stay whatever the date. Each run is recorded and reported to the LA, only a service can
run it, and the scheduled retention workflow runs through the worker against every service."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from scripts.embedded import EmbeddedSystem
from shared import clock
from shared.auth import Role
from shared.contracts.retention import RetentionInput, RetentionOutcome
from shared.demo import DEMO_LA_CODE
from shared.retention import RETENTION_CALLER
from shared.settings import PlatformSettings
from shared.temporal import connect
from tests.e2e.test_walking_skeleton import SCHOOL_URN, Register
from tests.support.identities import bearer, service_headers, token_for
from tests.support.waiting import wait_for
from workflows.retention import TASK_QUEUE, RetentionWorkflow

pytestmark = pytest.mark.e2e

SETTINGS = PlatformSettings(environment="test")

OFFICER = bearer(token_for(SETTINGS, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[SCHOOL_URN]))
DPL = bearer(token_for(SETTINGS, Role.DATA_PROTECTION_LEAD, la_code=DEMO_LA_CODE, name="Grace Okafor"))


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def run(system: EmbeddedSystem, service: str, as_of: date, pupils: list[str]) -> dict[str, Any]:
    response = httpx.post(f"{system.config.url(service)}/internal/retention/run",
                          headers=service_headers(SETTINGS, RETENTION_CALLER, service),
                          json={"as_of": as_of.isoformat(), "pupil_ids": pupils}, timeout=60)
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


def pupil_status(system: EmbeddedSystem, pupil_id: str) -> int:
    return httpx.get(f"{system.config.url('register')}/api/v1/pupils/{pupil_id}", headers=OFFICER,
                     timeout=30).status_code


def test_nothing_younger_than_six_years_goes_and_then_it_all_goes(system: EmbeddedSystem) -> None:
    register = Register(system)
    pupil = register.admit_pupil_with_social_worker("Rowan", clock.today() - timedelta(days=70))
    pupil_id = str(pupil["pupil_id"])
    register.mark_latest_school_day(pupil, "AM", "/")
    left = httpx.post(f"{system.config.url('register')}/api/v1/pupils/{pupil_id}/deletions", headers=OFFICER,
                      json={"ground": "9(1)(a)", "deletion_date": clock.today().isoformat(),
                            "details": "Admitted to another school"}, timeout=30)
    assert left.status_code == 201, left.text
    assert left.json()["status"] == "completed"
    # Every entry about the pupil is dated today at the latest (admission, marks, the deletion recorded today).
    today = clock.today()
    for as_of in (today, years_after(today, 6) - timedelta(days=1), years_after(today, 6)):
        report = run(system, "register", as_of, [pupil_id])
        assert sum(report["removed"].values()) == 0, (as_of, report)
        assert pupil_status(system, pupil_id) == 200, as_of
    history = httpx.get(f"{system.config.url('register')}/api/v1/pupils/{pupil_id}/marks", headers=OFFICER,
                        timeout=30)
    assert history.status_code == 200
    assert history.json()

    gone = run(system, "register", years_after(today, 6) + timedelta(days=1), [pupil_id])
    assert gone["cutoffs"] == {"register_entries": (today + timedelta(days=1)).isoformat()}
    assert gone["removed"]["admissions"] == 1
    assert gone["removed"]["marks"] >= 1
    assert gone["removed"]["contacts"] >= 2  # the parent and the social worker
    assert gone["removed"]["deletions"] == 1
    assert pupil_status(system, pupil_id) == 404

    # The case file the leaving opened is still open: casework keeps it, whatever the date.
    kept = run(system, "casework", years_after(today, 50), [pupil_id])
    assert kept["removed"]["case_files"] == 0

    runs = httpx.get(f"{system.config.url('register')}/api/v1/retention/runs", headers=DPL, timeout=30).json()
    assert runs[0]["id"] == gone["id"]
    assert runs[0]["ran_by"] == f"service:{RETENTION_CALLER}"
    assert "Rowan" not in str(runs)


def test_only_a_service_runs_it(system: EmbeddedSystem) -> None:
    for service in ("register", "casework", "notifications", "returns"):
        response = httpx.post(f"{system.config.url(service)}/internal/retention/run", headers=DPL,
                              json={"as_of": years_after(clock.today(), 10).isoformat()}, timeout=30)
        assert response.status_code == 403, (service, response.text)
        listed = httpx.get(f"{system.config.url(service)}/api/v1/retention/runs", headers=OFFICER, timeout=30)
        assert listed.status_code == 403, (service, listed.text)


def test_the_retention_workflow_runs_every_service_through_the_worker(system: EmbeddedSystem) -> None:
    def pupils_on_roll() -> int:
        response = httpx.get(f"{system.config.url('register')}/api/v1/schools/{SCHOOL_URN}/pupils",
                             params={"page_size": 1}, headers=OFFICER, timeout=30)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return int(body.get("total", len(body.get("items", []))))

    before = pupils_on_roll()

    async def run_workflow() -> RetentionOutcome:
        client = await connect(SETTINGS, address=f"127.0.0.1:{system.config.temporal_port}")
        outcome: RetentionOutcome = await client.execute_workflow(
            RetentionWorkflow.run, RetentionInput(clock_offset_days=clock.offset_days()),
            id=f"retention-e2e-{uuid.uuid4()}", task_queue=TASK_QUEUE,
            execution_timeout=timedelta(minutes=5))
        return outcome

    outcome = asyncio.run(run_workflow())
    assert [r.service for r in outcome.reports] == ["register", "casework", "notifications", "returns"]
    assert all(r.ran_by == "service:retention-worker" for r in outcome.reports)
    # As of today nothing in the demo (this school year's register) is old enough to go.
    assert outcome.reports[0].removed["admissions"] == 0
    assert outcome.reports[0].removed["marks"] == 0
    assert pupils_on_roll() == before

    def reported() -> bool:
        runs = httpx.get(f"{system.config.url('casework')}/api/v1/retention/runs", headers=DPL, timeout=30).json()
        return any(r["id"] == str(outcome.reports[1].id) for r in runs)

    wait_for(reported, timeout=10)
