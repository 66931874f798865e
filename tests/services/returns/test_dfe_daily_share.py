"""The DfE daily share over HTTP: only the DfE's collector (or a service) collects it, and its token opens nothing
else; the share carries exactly the rules.md s9 items and the day's codes, no free text; each collection and file
drop is recorded with a hash of what was served; independent schools only when the setting says so."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from services.returns.reports.dfe import DFE_COLUMNS
from shared.auth import Role, current_identity, dfe_collector
from tests.services.returns.test_returns_reports_api import populate
from tests.support.identities import service_headers
from tests.support.routes import api_routes

if TYPE_CHECKING:
    from tests.services.returns.conftest import Harness

pytestmark = pytest.mark.services

SHARE = "/api/v1/dfe/daily-share.csv"
MORNING = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
AFTERNOON = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
# rules.md s9's data items, each under its column, and the session codes the share exists for.
S9_ITEMS = {"forename", "surname", "date_of_birth", "upn", "sex", "ethnicity", "looked_after",
            "previously_looked_after", "sen_support", "ehcp", "free_school_meals", "nc_year", "school_urn", "la_code",
            "admission_date", "leaving_date", "child_in_need", "child_protection_plan"}


def rows_of(content: bytes) -> list[dict[str, Any]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


async def collections(harness: Harness) -> list[dict[str, Any]]:
    ewo = harness.headers(Role.LA_EWO, la_code="999")
    response = await harness.client.get("/api/v1/las/999/dfe-collections?from=2026-11-01&to=2026-11-30",
                                        headers=ewo)
    assert response.status_code == 200, response.text
    result: list[dict[str, Any]] = response.json()
    return result


async def test_the_collector_takes_the_las_share_morning_and_afternoon(harness: Harness) -> None:
    populate(harness)
    collector = harness.headers(Role.DFE_COLLECTOR)
    before = len(await collections(harness))
    harness.at(MORNING)
    morning = await harness.client.get(f"{SHARE}?la=999", headers=collector)
    assert morning.status_code == 200, morning.text
    rows = rows_of(morning.content)
    assert set(rows[0]) == set(DFE_COLUMNS) == S9_ITEMS | {"session_date", "am_code", "pm_code"}
    assert {r["school_urn"] for r in rows} == {"900001", "900002"}
    assert len(rows) == 12
    absent = next(r for r in rows if r["upn"] == "A90000100000")
    assert (absent["am_code"], absent["pm_code"]) == ("N", "")  # the afternoon register is not taken yet
    assert "dfe-daily-la-999-2026-11-02-morning.csv" in morning.headers["content-disposition"]

    harness.at(AFTERNOON)
    afternoon = await harness.client.get(f"{SHARE}?la=999", headers=collector)
    absent = next(r for r in rows_of(afternoon.content) if r["upn"] == "A90000100000")
    assert (absent["am_code"], absent["pm_code"]) == ("N", "N")

    recorded = await collections(harness)
    assert len(recorded) == before + 2
    latest = recorded[0]
    assert (latest["collection"], latest["channel"], latest["row_count"]) == ("afternoon", "api", 12)
    assert latest["collected_by"] == "test-dfe_collector"
    assert sorted(latest["school_urns"]) == ["900001", "900002"]
    assert latest["content_sha256"] == hashlib.sha256(afternoon.content).hexdigest()
    assert recorded[1]["collection"] == "morning"


async def test_one_schools_share_and_who_may_collect(harness: Harness) -> None:
    populate(harness)
    harness.at(AFTERNOON)
    collector = harness.headers(Role.DFE_COLLECTOR)
    one = await harness.client.get(f"{SHARE}?school=900002&collection=morning", headers=collector)
    assert one.status_code == 200
    assert {r["school_urn"] for r in rows_of(one.content)} == {"900002"}
    assert (await collections(harness))[0]["school_urns"] == ["900002"]
    # Officers do not collect the share: it goes to the DfE's collector.
    officer = harness.headers(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    assert (await harness.client.get(f"{SHARE}?school=900001", headers=officer)).status_code == 403
    # The collector's token opens no other door.
    for path in ("/api/v1/schools/900001/dfe-daily-extract.csv?date=2026-11-02", "/api/v1/returns",
                 "/api/v1/las/999/dfe-collections", "/api/v1/las/999/dashboard"):
        assert (await harness.client.get(path, headers=collector)).status_code == 403, path
    # A collector limited to another LA sees nothing of this one.
    other = harness.headers(Role.DFE_COLLECTOR, la_code="888")
    assert (await harness.client.get(f"{SHARE}?la=999", headers=other)).status_code == 403
    both = await harness.client.get(f"{SHARE}?la=999&school=900001", headers=collector)
    assert both.status_code == 422
    assert both.json()["errors"][0]["field"] == "la"
    assert (await harness.client.get(f"{SHARE}?la=999&collection=evening", headers=collector)).status_code == 422
    # Only the LA's own officers list the collections.
    school = harness.headers(Role.HEADTEACHER, school_urns=["900001"])
    assert (await harness.client.get("/api/v1/las/999/dfe-collections", headers=school)).status_code == 403


async def test_independent_schools_only_when_the_setting_says_so(harness: Harness) -> None:
    populate(harness)
    harness.at(AFTERNOON)
    harness.worlds["900002"].independent = True
    collector = harness.headers(Role.DFE_COLLECTOR)
    rows = rows_of((await harness.client.get(f"{SHARE}?la=999", headers=collector)).content)
    assert {r["school_urn"] for r in rows} == {"900001"}
    assert (await harness.client.get(f"{SHARE}?school=900002", headers=collector)).status_code == 404
    harness.app.state.settings.dfe_share_include_independent = True
    try:
        rows = rows_of((await harness.client.get(f"{SHARE}?la=999", headers=collector)).content)
        assert {r["school_urn"] for r in rows} == {"900001", "900002"}
    finally:
        harness.app.state.settings.dfe_share_include_independent = False


async def test_the_file_drop_writes_the_same_share_and_records_it(harness: Harness, tmp_path: Path) -> None:
    populate(harness)
    harness.at(AFTERNOON)
    body = {"la_code": "999", "share_date": "2026-11-02", "collection": "afternoon"}
    not_configured = await harness.client.post("/internal/dfe/daily-share/drop", json=body,
                                               headers=service_headers(harness.settings, "returns-worker", "returns"))
    assert not_configured.json() == {"written": False, "file_name": None, "row_count": 0, "collection_id": None}
    harness.app.state.settings.dfe_share_drop_dir = str(tmp_path / "drop")
    try:
        dropped = await harness.client.post("/internal/dfe/daily-share/drop", json=body,
                                            headers=service_headers(harness.settings, "returns-worker", "returns"))
    finally:
        harness.app.state.settings.dfe_share_drop_dir = ""
    assert dropped.status_code == 200, dropped.text
    result = dropped.json()
    assert result["written"]
    assert result["row_count"] == 12
    written = (tmp_path / "drop" / result["file_name"]).read_bytes()
    served = await harness.client.get(f"{SHARE}?la=999&date=2026-11-02&collection=afternoon",
                                      headers=harness.headers(Role.DFE_COLLECTOR))
    assert written == served.content
    drop = next(c for c in await collections(harness) if c["id"] == result["collection_id"])
    assert (drop["channel"], drop["file_name"]) == ("file_drop", result["file_name"])
    assert drop["content_sha256"] == hashlib.sha256(written).hexdigest()
    officer = harness.headers(Role.LA_EWO, la_code="999")
    assert (await harness.client.post("/internal/dfe/daily-share/drop", json=body,
                                      headers=officer)).status_code == 403


def test_no_free_text_column() -> None:
    free_text = {"details", "reasons", "notes", "comments", "address", "grounds"}
    assert not free_text & {c.split("_")[-1] for c in DFE_COLUMNS}
    assert not free_text & set(DFE_COLUMNS)


def _dependency_calls(dependant: Any) -> set[Any]:
    calls = {dependant.call}
    for sub in dependant.dependencies:
        calls |= _dependency_calls(sub)
    return calls


async def test_only_the_collection_route_lets_the_collector_in(harness: Harness) -> None:
    collector_routes, others = set(), 0
    for route in api_routes(harness.app.routes):
        calls = _dependency_calls(route.dependant)
        if dfe_collector in calls:
            collector_routes.add(route.path)
        elif current_identity in calls:
            others += 1  # current_identity refuses the collector's role
    assert collector_routes == {SHARE}
    assert others > 10
