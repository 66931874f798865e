"""The returns service over HTTP against its real database, with register answered by known registers."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from openpyxl import load_workbook

from services.returns.main import create_app
from services.returns.settings import ReturnsSettings
from shared.auth import Role
from shared.settings import PlatformSettings
from tests.support.identities import service_headers

if TYPE_CHECKING:
    from tests.services.returns.conftest import Harness
    from tests.services.returns.world import World

pytestmark = pytest.mark.services

NOV: dict[str, Any] = {"la_code": "999", "period_start": "2026-11-01", "period_end": "2026-11-30"}


def populate(worlds: dict[str, World]) -> dict[str, Any]:
    """900001: one pupil 10 days continuously absent (N), one admitted in November. 900002: one pupil ill for
    15 school days across half term."""
    primary, secondary = worlds["900001"], worlds["900002"]
    truant = primary.pupil(legal_forename="Amy", legal_surname="Absent")
    primary.mark(truant, primary.days(date(2026, 11, 2), date(2026, 11, 13)), "N")
    newcomer = primary.pupil(legal_forename="=Nina", legal_surname="New", year_group="4",
                             admission_date=date(2026, 11, 16))
    poorly = secondary.pupil(legal_forename="Ian", legal_surname="Ill", year_group="9")
    secondary.mark(poorly, secondary.days(date(2026, 10, 12), date(2026, 11, 6)), "I")
    return {"truant": truant, "newcomer": newcomer, "poorly": poorly}


async def test_healthz_reports_the_database(harness: Harness) -> None:
    response = await harness.client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"service": "returns", "status": "ok", "checks": {"database": "ok"}}


async def test_generate_builds_every_return_of_every_school_and_is_idempotent(harness: Harness) -> None:
    pupils = populate(harness.worlds)
    first = await harness.generate()
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["schools"] == 2
    assert body["period"] == "2026-11-01_2026-11-30"
    assert sorted((r["school_urn"], r["kind"], r["row_count"], r["due_date"], r["status"])
                  for r in body["returns"]) == [
        ("900001", "attendance", 2, "2026-12-05", "due"),  # continuous, and irregular
        ("900001", "new_pupil", 1, "2026-11-21", "late"),
        ("900001", "sickness", 0, "2026-12-05", "due"),
        ("900002", "attendance", 0, "2026-12-05", "due"),
        ("900002", "sickness", 1, "2026-12-05", "due")]
    again = await harness.generate()
    assert sorted(r["id"] for r in again.json()["returns"]) == sorted(r["id"] for r in body["returns"])
    listed = (await harness.client.get("/api/v1/returns", headers=harness.headers(Role.LA_EWO, la_code="999"))
              ).json()
    assert len(listed) == 5
    sickness = next(r for r in listed if r["kind"] == "sickness" and r["school_urn"] == "900002")
    detail = (await harness.client.get(f"/api/v1/returns/{sickness['id']}",
                                       headers=harness.headers(Role.LA_EWO, la_code="999"))).json()
    assert [(row["pupil_id"], row["sickness_start"], row["sickness_end"], row["school_days_in_period_of_sickness"])
            for row in detail["content"]] == [(str(pupils["poorly"].pupil_id), "2026-10-12", "2026-11-06", 15)]
    # Extracts run from 1 August, so the school year's illness before the period counts.
    assert harness.register is not None
    assert ("900002", date(2026, 8, 1), date(2026, 11, 30)) in harness.register.state.calls


async def test_scoping(harness: Harness) -> None:
    populate(harness.worlds)
    await harness.generate()
    get = harness.client.get
    officer = harness.headers(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    mine = (await get("/api/v1/returns", headers=officer)).json()
    assert {r["school_urn"] for r in mine} == {"900001"}
    assert len(mine) == 3
    assert (await get("/api/v1/returns?school_urn=900002", headers=officer)).json() == []
    other_la = harness.headers(Role.LA_EWO, la_code="998")
    assert (await get("/api/v1/returns", headers=other_la)).json() == []
    theirs = (await get("/api/v1/returns?school_urn=900002",
                        headers=harness.headers(Role.LA_EWO, la_code="999"))).json()
    for path in (f"/api/v1/returns/{theirs[0]['id']}", f"/api/v1/returns/{theirs[0]['id']}.csv"):
        assert (await get(path, headers=officer)).status_code == 404
    assert (await get("/api/v1/returns", headers=harness.headers(Role.GOVERNOR, school_urns=["900001"]))
            ).status_code == 403
    assert (await get("/api/v1/returns")).status_code == 401
    refused = await harness.client.post("/internal/returns/generate", json=NOV, headers=officer)
    assert refused.status_code == 403


async def test_csv_and_xlsx_downloads(harness: Harness) -> None:
    pupils = populate(harness.worlds)
    await harness.generate()
    ewo = harness.headers(Role.LA_EWO, la_code="999")
    new_pupil = (await harness.client.get("/api/v1/returns?kind=new_pupil", headers=ewo)).json()[0]
    response = await harness.client.get(f"/api/v1/returns/{new_pupil['id']}.csv", headers=ewo)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="new_pupil-return-900001-2026-11-01_2026-11-30.csv"' in response.headers[
        "content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    assert rows[0]["pupil_id"] == str(pupils["newcomer"].pupil_id)
    assert rows[0]["legal_forename"] == "'=Nina"  # not run as a formula by a spreadsheet
    assert (rows[0]["admission_date"], rows[0]["due_date"]) == ("2026-11-16", "2026-11-21")
    assert (rows[0]["parents_1_full_name"], rows[0]["parents_1_emergency_phone"]) == ("Parent One", "0700")
    assert rows[0]["parents_2_full_name"] == "Parent Away"

    attendance = (await harness.client.get("/api/v1/returns?kind=attendance&school_urn=900001", headers=ewo)
                  ).json()[0]
    xlsx = await harness.client.get(f"/api/v1/returns/{attendance['id']}.xlsx", headers=ewo)
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content))["attendance"]
    values = list(sheet.values)
    header = list(values[0])
    record = dict(zip(header, values[1], strict=True))
    assert len(values) == 3  # the continuous period and the irregular attendance
    assert (record["legal_surname"], record["reason"], record["absence_start"], record["absence_end"],
            record["school_days_absent"], record["codes"]) == (
        "Absent", "continuous_unauthorised_absence", "2026-11-02", "2026-11-13", "10", "N")

    # A nil return's file still names its columns, so the LA can tell an empty return from a broken file.
    nil = next(r for r in (await harness.client.get("/api/v1/returns?kind=sickness", headers=ewo)).json()
               if r["row_count"] == 0)
    empty = await harness.client.get(f"/api/v1/returns/{nil['id']}.csv", headers=ewo)
    header = empty.content.decode("utf-8-sig").splitlines()
    assert header == [",".join(["pupil_id", "legal_forename", "legal_surname", "address", "year_group",
                                "sickness_start", "sickness_end", "school_days_in_period_of_sickness",
                                "school_days_of_sickness_in_school_year", "basis", "expected_return"])]


async def test_submit_keeps_the_content_as_submitted_and_lateness(harness: Harness) -> None:
    pupils = populate(harness.worlds)
    await harness.generate()
    officer = harness.headers(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    listed = {r["kind"]: r for r in (await harness.client.get("/api/v1/returns", headers=officer)).json()}
    attendance, sickness = listed["attendance"], listed["sickness"]

    harness.at(datetime(2026, 12, 3, 9, tzinfo=UTC))
    submitted = await harness.client.post(f"/api/v1/returns/{attendance['id']}/submit", headers=officer)
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"
    again = await harness.client.post(f"/api/v1/returns/{attendance['id']}/submit", headers=officer)
    assert again.status_code == 409
    assert (await harness.client.post(f"/api/v1/returns/{sickness['id']}/submit",
                                      headers=harness.headers(Role.LA_EWO, la_code="999"))).status_code == 403

    # The register changes afterwards: a second truant. The submitted return stays as it was.
    primary = harness.worlds["900001"]
    second = primary.pupil(legal_forename="Bob", legal_surname="Bunk")
    primary.mark(second, primary.days(date(2026, 11, 16), date(2026, 11, 27)), "O")
    harness.at(datetime(2026, 12, 7, 9, tzinfo=UTC))
    await harness.generate()
    stored = (await harness.client.get(f"/api/v1/returns/{attendance['id']}", headers=officer)).json()
    assert stored["status"] == "submitted"
    assert {row["pupil_id"] for row in stored["content"]} == {str(pupils["truant"].pupil_id)}
    late = (await harness.client.get(f"/api/v1/returns/{sickness['id']}", headers=officer)).json()
    assert late["status"] == "late"


async def test_bad_input_and_register_failures(harness: Harness, returns_database_url: str,
                                               platform_settings: PlatformSettings) -> None:
    backwards = await harness.generate({**NOV, "period_start": "2026-12-01"})
    assert backwards.status_code == 422
    assert backwards.headers["content-type"].startswith("application/problem+json")
    unknown = await harness.generate({**NOV, "la_code": "998"})
    assert unknown.status_code == 404
    assert (await harness.client.get("/api/v1/returns/not-a-uuid",
                                     headers=harness.headers(Role.LA_EWO, la_code="999"))).status_code == 422

    settings = ReturnsSettings(database_url=returns_database_url,
                               platform=platform_settings.model_copy(update={"register_url": "http://127.0.0.1:9"}))
    app = create_app(settings)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        down = await client.post("/internal/returns/generate", json=NOV,
                                 headers=service_headers(platform_settings, "returns-worker", "returns"))
        assert down.status_code == 503
        assert (await client.get("/api/v1/returns", headers=harness.headers(Role.LA_EWO, la_code="999"))
                ).json() == []


async def test_generating_some_kinds_leaves_the_others_alone(harness: Harness) -> None:
    populate(harness.worlds)
    await harness.generate()
    daily = await harness.generate({"la_code": "999", "period_start": "2026-11-16", "period_end": "2026-11-16",
                                    "kinds": ["new_pupil", "deletion"]})
    assert daily.status_code == 200, daily.text
    assert [(r["school_urn"], r["kind"], r["row_count"], r["due_date"]) for r in daily.json()["returns"]] == [
        ("900001", "new_pupil", 1, "2026-11-21")]
    ewo = harness.headers(Role.LA_EWO, la_code="999")
    assert len((await harness.client.get("/api/v1/returns", headers=ewo)).json()) == 6
    # Regenerating November's periodic returns keeps November's new pupil return.
    await harness.generate({**NOV, "kinds": ["attendance", "sickness"]})
    kinds = [r["kind"] for r in (await harness.client.get(f"/api/v1/returns?period={daily.json()['period']}",
                                                          headers=ewo)).json()]
    assert kinds == ["new_pupil"]
    assert len((await harness.client.get("/api/v1/returns?kind=new_pupil", headers=ewo)).json()) == 2
    bad = await harness.generate({**NOV, "kinds": ["census"]})
    assert bad.status_code == 422


async def test_concurrent_generations_of_a_period_never_fail_with_500(harness: Harness) -> None:
    populate(harness.worlds)
    answers = await asyncio.gather(*(harness.generate() for _ in range(3)))
    assert {a.status_code for a in answers} <= {200, 409}
    assert 200 in {a.status_code for a in answers}
    listed = (await harness.client.get("/api/v1/returns", headers=harness.headers(Role.LA_EWO, la_code="999"))
              ).json()
    assert len(listed) == 5
