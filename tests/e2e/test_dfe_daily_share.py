"""The DfE daily share on the running system: the DfE's collector takes the LA's share (exactly the rules.md s9
items and the day's codes, no free text) for the morning and afternoon collections, each collection is listed for
the LA with a hash of what was served, the collector's token opens nothing else, and the scheduled file drop writes
the same share into the drop folder and records it."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
from datetime import timedelta
from typing import Any

import httpx
import pytest
from temporalio.service import RPCError

from scripts.embedded import EmbeddedSystem
from services.returns.reports.dfe import DFE_COLUMNS
from shared import clock
from shared.auth import Role
from shared.contracts.returns import dfe_drop_schedule_id
from shared.demo import DEMO_LA_CODE
from shared.settings import PlatformSettings
from shared.temporal import connect
from tests.support.identities import bearer, service_headers, token_for
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

SETTINGS = PlatformSettings(environment="test")
COLLECTOR = bearer(token_for(SETTINGS, Role.DFE_COLLECTOR, name="DfE collector"))
EWO = bearer(token_for(SETTINGS, Role.LA_EWO, la_code=DEMO_LA_CODE, name="Daniel Price"))
S9_ITEMS = {"forename", "surname", "date_of_birth", "upn", "sex", "ethnicity", "looked_after",
            "previously_looked_after", "sen_support", "ehcp", "free_school_meals", "nc_year", "school_urn", "la_code",
            "admission_date", "leaving_date", "child_in_need", "child_protection_plan"}


def share(system: EmbeddedSystem, **params: str) -> httpx.Response:
    return httpx.get(f"{system.config.url('returns')}/api/v1/dfe/daily-share.csv", params=params,
                     headers=COLLECTOR, timeout=120)


def rows_of(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def collections(system: EmbeddedSystem, since: str | None = None) -> list[dict[str, Any]]:
    """The LA's recorded collections of the shares of the days since `since` (share dates; by default the last
    fortnight), newest first."""
    since = since or (clock.today() - timedelta(days=14)).isoformat()
    response = httpx.get(f"{system.config.url('returns')}/api/v1/las/{DEMO_LA_CODE}/dfe-collections",
                         params={"from": since, "to": clock.today().isoformat()}, headers=EWO, timeout=30)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


def latest_school_day_with_rows(system: EmbeddedSystem) -> tuple[str, httpx.Response]:
    """The demo marks every school day up to yesterday: the latest such day has rows. From the last day of a
    school year it lies before the whole summer holiday, so look back ten weeks (weekends are never school days)."""
    for back in range(1, 71):
        if (clock.today() - timedelta(days=back)).weekday() >= 5:
            continue
        day = (clock.today() - timedelta(days=back)).isoformat()
        response = share(system, la=DEMO_LA_CODE, date=day, collection="afternoon")
        assert response.status_code == 200, response.text
        if rows_of(response.content):
            return day, response
    raise AssertionError("no school day with a register in the last ten weeks")


def test_the_collector_takes_the_share_and_each_collection_is_recorded(system: EmbeddedSystem) -> None:
    day, afternoon = latest_school_day_with_rows(system)
    rows = rows_of(afternoon.content)
    assert set(rows[0]) == set(DFE_COLUMNS) == S9_ITEMS | {"session_date", "am_code", "pm_code"}
    assert {r["la_code"] for r in rows} == {DEMO_LA_CODE}
    assert len({r["school_urn"] for r in rows}) == 3  # the demo's three state-funded schools
    assert any(r["pm_code"] for r in rows)
    morning = share(system, la=DEMO_LA_CODE, date=day, collection="morning")
    assert not any(r["pm_code"] for r in rows_of(morning.content))  # the afternoon register is not taken yet
    assert len(rows_of(morning.content)) == len(rows)

    recorded = collections(system, since=day)
    assert [c["collection"] for c in recorded[:2]] == ["morning", "afternoon"]
    taken = recorded[0]
    assert taken["channel"] == "api"
    assert taken["collected_by"] == "test-dfe_collector"
    assert taken["row_count"] == len(rows)
    assert taken["content_sha256"] == hashlib.sha256(morning.content).hexdigest()
    assert len(taken["school_urns"]) == 3
    # No pupil data in what the LA lists.
    assert not any(r["surname"] in str(recorded) for r in rows[:5])

    one = share(system, school=rows[0]["school_urn"], date=day)
    assert {r["school_urn"] for r in rows_of(one.content)} == {rows[0]["school_urn"]}


def test_the_collectors_token_opens_nothing_else(system: EmbeddedSystem) -> None:
    for service, path in (("casework", "/api/v1/cases"), ("register", "/api/v1/schools"),
                          ("returns", "/api/v1/returns"),
                          ("returns", f"/api/v1/las/{DEMO_LA_CODE}/dfe-collections")):
        response = httpx.get(f"{system.config.url(service)}{path}", headers=COLLECTOR, timeout=30)
        assert response.status_code == 403, (service, path, response.text)
    officer = bearer(token_for(SETTINGS, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900002"]))
    refused = httpx.get(f"{system.config.url('returns')}/api/v1/dfe/daily-share.csv",
                        params={"school": "900002"}, headers=officer, timeout=30)
    assert refused.status_code == 403


def test_the_scheduled_file_drop_writes_and_records_the_share(system: EmbeddedSystem) -> None:
    async def trigger() -> None:
        client = await connect(SETTINGS, address=f"127.0.0.1:{system.config.temporal_port}")
        handle = client.get_schedule_handle(f"{dfe_drop_schedule_id(DEMO_LA_CODE)}-afternoon")
        for _ in range(240):  # the worker creates the schedules once it is up (busy while the demo loads)
            try:
                description = await handle.describe()
                break
            except RPCError:
                await asyncio.sleep(0.5)
        else:
            raise AssertionError("the worker never created the DfE share drop schedule")
        assert [r.start for r in description.schedule.spec.calendars[0].hour] == [15]
        await handle.trigger()

    before = {c["id"] for c in collections(system)}
    asyncio.run(trigger())

    def dropped() -> dict[str, Any] | None:
        return next((c for c in collections(system) if c["id"] not in before and c["channel"] == "file_drop"),
                    None)

    drop = wait_for(dropped, timeout=90)
    assert drop["collection"] == "afternoon"
    assert drop["collected_by"].startswith("service:")
    written = (system.config.data_dir / "dfe-share" / drop["file_name"]).read_bytes()
    assert hashlib.sha256(written).hexdigest() == drop["content_sha256"]
    assert len(rows_of(written)) == drop["row_count"]

    # The internal drop answers services only.
    body = {"la_code": DEMO_LA_CODE, "share_date": clock.today().isoformat(), "collection": "morning"}
    url = f"{system.config.url('returns')}/internal/dfe/daily-share/drop"
    assert httpx.post(url, json=body, headers=EWO, timeout=30).status_code == 403
    worker = service_headers(SETTINGS, "returns-worker", "returns")
    result = httpx.post(url, json=body, headers=worker, timeout=120).json()
    assert result["written"] is True
    assert (system.config.data_dir / "dfe-share" / result["file_name"]).exists()
