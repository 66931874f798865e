"""Termly governor reports: the scheduled run stores each school's report for every term of its own calendar that
has ended (one per school and term: a rerun stores nothing twice), and only the school's headteacher and governors
read them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete

from services.returns.models import GovernorReportRecord
from shared.auth import Role
from shared.contracts.returns import GovernorReportsResult
from tests.services.returns.conftest import Harness
from tests.support.identities import service_headers

pytestmark = pytest.mark.services

AS_OF = date(2026, 11, 30)
SUMMER = {"academic_year": 2025, "name": "Summer", "start_date": "2026-04-13", "end_date": "2026-07-22"}
AUTUMN = {"academic_year": 2026, "name": "Autumn", "start_date": "2026-09-03", "end_date": "2026-12-18"}


@pytest.fixture(autouse=True)
async def _no_reports_yet(harness: Harness) -> None:
    async with harness.app.state.engine.begin() as connection:
        await connection.execute(delete(GovernorReportRecord))


async def produce(harness: Harness, as_of: date = AS_OF) -> GovernorReportsResult:
    response = await harness.client.post("/internal/governor-reports/produce",
                                         json={"la_code": "999", "as_of": as_of.isoformat()},
                                         headers=service_headers(harness.settings, "returns-worker", "returns"))
    assert response.status_code == 200, response.text
    return GovernorReportsResult.model_validate(response.json())


async def test_each_ended_term_is_stored_once(harness: Harness) -> None:
    for world in harness.worlds.values():
        world.terms = [SUMMER, AUTUMN]
    first = await produce(harness)
    assert (first.schools, first.produced, first.already_stored) == (2, 2, 0)
    assert sorted(first.produced_terms) == ["900001 2025 Summer", "900002 2025 Summer"]
    again = await produce(harness)
    assert (again.produced, again.already_stored) == (0, 2)
    # After the autumn term ends, only its reports are added.
    later = await produce(harness, date(2026, 12, 19))
    assert sorted(later.produced_terms) == ["900001 2026 Autumn", "900002 2026 Autumn"]
    assert later.already_stored == 2


async def test_the_headteacher_and_governors_read_the_stored_reports(harness: Harness) -> None:
    harness.worlds["900001"].terms = [SUMMER]
    await produce(harness)
    governor = harness.headers(Role.GOVERNOR, school_urns=["900001"])
    listed = await harness.client.get("/api/v1/schools/900001/governor-reports", headers=governor)
    assert listed.status_code == 200, listed.text
    [summary] = listed.json()
    assert (summary["term_name"], summary["term_start"], summary["term_end"]) == ("Summer", "2026-04-13",
                                                                                   "2026-07-22")
    head = harness.headers(Role.HEADTEACHER, school_urns=["900001"])
    report = await harness.client.get(f"/api/v1/schools/900001/governor-reports/{summary['id']}", headers=head)
    assert report.status_code == 200, report.text
    assert (report.json()["school_urn"], report.json()["term_end"]) == ("900001", "2026-07-22")
    page = await harness.client.get(f"/api/v1/schools/900001/governor-reports/{summary['id']}.html", headers=head)
    assert page.status_code == 200
    assert "<html" in page.text.lower()
    for outsider in (harness.headers(Role.GOVERNOR, school_urns=["900002"]),
                     harness.headers(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"]),
                     harness.headers(Role.LA_EWO, la_code="999")):
        response = await harness.client.get("/api/v1/schools/900001/governor-reports", headers=outsider)
        assert response.status_code == 403, response.text
    # Another school's report id does not open through this school.
    other = await harness.client.get(f"/api/v1/schools/900002/governor-reports/{summary['id']}",
                                     headers=harness.headers(Role.GOVERNOR, school_urns=["900002"]))
    assert other.status_code == 404


async def test_only_the_returns_worker_runs_it(harness: Harness) -> None:
    response = await harness.client.post("/internal/governor-reports/produce",
                                         json={"la_code": "999", "as_of": AS_OF.isoformat()},
                                         headers=harness.headers(Role.LA_EWO, la_code="999"))
    assert response.status_code in (401, 403)
    bad = await harness.client.post("/internal/governor-reports/produce", json={"la_code": "999", "as_of": "soon"},
                                    headers=service_headers(harness.settings, "returns-worker", "returns"))
    assert bad.status_code == 422
    assert "as_of" in [e["field"] for e in bad.json()["errors"]]
