"""Returns' LA dashboard reads an LA's open case files counted by stage, per school, and with overdue deadlines."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import httpx
import pytest

from services.casework.dependencies import today
from shared.auth import Role, service_token
from shared.clients.casework import CaseworkClient
from tests.services.casework.conftest import Harness, register_event

pytestmark = pytest.mark.services

LA, OTHER_LA = "931", "932"
QUAYSIDE, HILLTOP, ELSEWHERE = "910001", "910002", "920001"
TODAY = date(2026, 12, 1)


async def _case(harness: Harness, school_urn: str, la_code: str = LA, *, stage: str | None = None,
                status: str = "open", deadline: str | None = None) -> UUID:
    """A case file as it comes to be: register's event opens it, the journey's projection moves it on."""
    event = register_event(school_urn=school_urn, la_code=la_code)
    opened = await harness.http.post("/internal/events", json=event, headers=harness.service())
    assert opened.status_code == 200, opened.text
    pupil_id = UUID(event["pupil"]["pupil_id"])
    if stage is not None:
        deadlines = [{"key": "review", "title": "Review the action plan", "due_date": deadline}] if deadline else []
        projected = await harness.http.post(f"/internal/cases/{pupil_id}/projection",
                                            headers=harness.service("journey-worker"),
                                            json={"pupil_id": str(pupil_id), "workflow_id": f"journey-{pupil_id}",
                                                  "state_version": 1, "stage": stage, "status": status,
                                                  "deadlines": deadlines})
        assert projected.status_code == 200, projected.text
    return pupil_id


@pytest.fixture
def pinned(harness: Harness) -> Harness:
    harness.app.dependency_overrides[today] = lambda: TODAY
    return harness


async def test_open_cases_are_counted_by_stage_and_school_with_overdue_deadlines(pinned: Harness) -> None:
    await _case(pinned, QUAYSIDE, stage="at_risk", deadline="2026-11-30")  # overdue
    await _case(pinned, QUAYSIDE, stage="at_risk", deadline="2026-12-01")  # due today: not overdue yet
    await _case(pinned, QUAYSIDE, stage="formal_support")
    # Closed and being monitored is not ended: it counts, and so does its lapsed review.
    await _case(pinned, HILLTOP, stage="closed", status="closed_monitoring", deadline="2026-11-15")
    await _case(pinned, HILLTOP)  # opened by register's event, still at the journey's first stage
    await _case(pinned, HILLTOP, stage="closed", status="ended", deadline="2026-11-01")
    await _case(pinned, ELSEWHERE, OTHER_LA, stage="at_risk", deadline="2026-11-01")

    response = await pinned.http.get(f"/internal/las/{LA}/cases-by-stage", headers=pinned.service("returns"))

    assert response.status_code == 200, response.text
    assert response.json() == {
        "la_code": LA, "open_cases": 5,
        "by_stage": {"at_risk": 2, "formal_support": 1, "closed": 1, "monitoring": 1},
        "by_school": {QUAYSIDE: {"at_risk": 2, "formal_support": 1}, HILLTOP: {"closed": 1, "monitoring": 1}},
        "overdue_deadlines": 2}
    other = await pinned.http.get(f"/internal/las/{OTHER_LA}/cases-by-stage", headers=pinned.service("returns"))
    assert other.json() == {"la_code": OTHER_LA, "open_cases": 1, "by_stage": {"at_risk": 1},
                            "by_school": {ELSEWHERE: {"at_risk": 1}}, "overdue_deadlines": 1}


async def test_overdue_follows_the_pinned_english_date(pinned: Harness) -> None:
    await _case(pinned, QUAYSIDE, stage="formal_support", deadline="2026-12-01")

    on_the_day = await pinned.http.get(f"/internal/las/{LA}/cases-by-stage", headers=pinned.service("returns"))
    pinned.app.dependency_overrides[today] = lambda: date(2026, 12, 2)
    the_day_after = await pinned.http.get(f"/internal/las/{LA}/cases-by-stage", headers=pinned.service("returns"))

    assert on_the_day.json()["overdue_deadlines"] == 0
    assert the_day_after.json()["overdue_deadlines"] == 1


async def test_an_la_without_cases_answers_zeros(harness: Harness) -> None:
    await _case(harness, ELSEWHERE, OTHER_LA, stage="at_risk")

    response = await harness.http.get(f"/internal/las/{LA}/cases-by-stage", headers=harness.service("returns"))

    assert response.status_code == 200, response.text
    assert response.json() == {"la_code": LA, "open_cases": 0, "by_stage": {}, "by_school": {},
                               "overdue_deadlines": 0}


async def test_the_typed_client_reads_the_counts(pinned: Harness) -> None:
    await _case(pinned, QUAYSIDE, stage="severe_absence", deadline="2026-11-20")
    client = CaseworkClient("http://test", service_token("returns", "casework", pinned.platform),
                            transport=httpx.ASGITransport(app=pinned.app))
    try:
        figures = await client.cases_by_stage(LA)
    finally:
        await client.aclose()
    assert (figures.la_code, figures.open_cases, figures.overdue_deadlines) == (LA, 1, 1)
    assert figures.by_stage == {"severe_absence": 1}
    assert figures.by_school == {QUAYSIDE: {"severe_absence": 1}}


async def test_counts_need_a_service_token_and_a_sensible_la_code(harness: Harness) -> None:
    await _case(harness, QUAYSIDE, stage="at_risk")
    url = f"/internal/las/{LA}/cases-by-stage"

    anonymous = await harness.http.get(url)
    officer = await harness.http.get(url, headers=harness.as_(Role.LA_EWO, la_code=LA))
    too_long = await harness.http.get("/internal/las/" + "9" * 11 + "/cases-by-stage",
                                      headers=harness.service("returns"))

    assert anonymous.status_code == 401
    assert officer.status_code == 403
    assert "at_risk" not in anonymous.text + officer.text
    assert too_long.status_code == 422
    assert too_long.headers["content-type"].startswith("application/problem+json")
