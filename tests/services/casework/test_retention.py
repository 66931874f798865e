"""Casework's retention job under the LA's policy: a closed case file goes with its timeline and decision logs once
its last activity is older than the period; an open case, or a closed one with recent activity, stays; the access
audit is kept on its own period; each run is recorded and reported."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import func, select

from services.casework.models import AuditEvent, CaseFile, DecisionRecord, TimelineEntry
from shared import clock
from shared.auth import Role
from shared.contracts.journey import Stage
from shared.retention import RETENTION_CALLER
from tests.services.casework.conftest import Harness

pytestmark = pytest.mark.services


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


async def case(harness: Harness, stage: Stage) -> UUID:
    pupil = uuid4()
    async with harness.app.state.casework.sessions() as session, session.begin():
        session.add(CaseFile(pupil_id=pupil, workflow_id=f"journey-{pupil}", school_urn="900001", la_code="999",
                             display_name="Ava Example", year_group="5", stage=stage.value, status="ended"))
        session.add(TimelineEntry(pupil_id=pupil, entry_key="opened", kind="opened", title="Case opened",
                                  occurred_at=clock.now()))
        session.add(DecisionRecord(pupil_id=pupil, legal_step="issue_penalty_notice", support_offered="Plan",
                                   support_taken_up=False, send_or_health_needs="None", safeguarding="None",
                                   family_view="Disagrees", recorded_by="Daniel Price"))
        session.add(AuditEvent(actor_subject="test", actor_name="Daniel Price", actor_role="la_ewo", access="read",
                               what="case", pupil_id=pupil, school_urn="900001", la_code="999"))
    return pupil


async def held(harness: Harness, pupil: UUID) -> dict[str, int]:
    async with harness.app.state.casework.sessions() as session:
        counts: dict[str, int] = {}
        for name, model in (("case_files", CaseFile), ("timeline_entries", TimelineEntry),
                            ("decision_records", DecisionRecord), ("audit_events", AuditEvent)):
            counts[name] = await session.scalar(select(func.count()).select_from(model)
                                                .where(model.pupil_id == pupil))
        return counts


async def run(harness: Harness, as_of: date, pupils: list[UUID]) -> dict[str, Any]:
    response = await harness.http.post("/internal/retention/run", headers=harness.service(RETENTION_CALLER),
                                       json={"as_of": as_of.isoformat(), "pupil_ids": [str(p) for p in pupils]})
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


async def test_closed_case_files_go_after_the_policy_period_and_open_ones_stay(harness: Harness) -> None:
    closed, still_open = await case(harness, Stage.CLOSED), await case(harness, Stage.PERSISTENT_ABSENCE)
    everything = {"case_files": 1, "timeline_entries": 1, "decision_records": 1, "audit_events": 1}
    last_activity = clock.today()
    for as_of in (last_activity, years_after(last_activity, 6)):
        report = await run(harness, as_of, [closed, still_open])
        assert sum(report["removed"].values()) == 0, as_of
    report = await run(harness, years_after(last_activity, 6) + timedelta(days=1), [closed, still_open])
    assert report["cutoffs"]["closed_case_files"] == (last_activity + timedelta(days=1)).isoformat()
    assert {k: report["removed"][k] for k in everything} == {"case_files": 1, "timeline_entries": 1,
                                                             "decision_records": 1, "audit_events": 2}
    assert await held(harness, closed) == dict.fromkeys(everything, 0)
    # The open case keeps its file; its access audit went on the audit period, which had run too.
    assert await held(harness, still_open) == {**everything, "audit_events": 0}

    runs = await harness.http.get("/api/v1/retention/runs", headers=harness.as_(Role.DATA_PROTECTION_LEAD,
                                                                                la_code="999"))
    assert runs.status_code == 200
    assert runs.json()[0]["removed"]["case_files"] == 1
    assert runs.json()[0]["service"] == "casework"
    officer = harness.as_(Role.LA_EWO, la_code="999")
    assert (await harness.http.post("/internal/retention/run", json={}, headers=officer)).status_code == 403
