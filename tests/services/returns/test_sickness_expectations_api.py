"""Sickness expectations over HTTP against the real database, with register answered by known registers: who may
record, list and withdraw them, the checks, and a generated sickness return that reports a period on one."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import delete

from services.returns.main import create_app
from services.returns.models import SicknessExpectation
from services.returns.settings import ReturnsSettings
from shared.auth import Role
from shared.settings import PlatformSettings

if TYPE_CHECKING:
    from tests.services.returns.conftest import Harness

pytestmark = pytest.mark.services

PATH = "/api/v1/schools/{urn}/sickness-expectations"
NOV: dict[str, Any] = {"la_code": "999", "period_start": "2026-11-01", "period_end": "2026-11-30"}
ON_24_NOVEMBER = datetime(2026, 11, 24, 9, tzinfo=UTC)
IN_NOVEMBER = datetime(2026, 11, 30, 12, tzinfo=UTC)


@pytest.fixture
async def api(harness: Harness) -> AsyncIterator[Harness]:
    """The harness with no expectations before or after (the database is shared by the returns tests)."""
    async def clear() -> None:
        async with harness.app.state.engine.begin() as connection:
            await connection.execute(delete(SicknessExpectation))
    await clear()
    yield harness
    await clear()


def body(pupil_id: uuid.UUID, **fields: Any) -> dict[str, Any]:
    return {"pupil_id": str(pupil_id), "sickness_start": "2026-11-23", "expected_return": "2026-12-14",
            "grounds": "hospital letter: surgery and 4 weeks' recovery", **fields}


def officer(api: Harness, urn: str = "900001") -> dict[str, str]:
    return api.headers(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[urn])


async def test_record_list_and_withdraw(api: Harness) -> None:
    pupil = api.worlds["900001"].pupil()
    api.at(ON_24_NOVEMBER)
    created = await api.client.post(PATH.format(urn="900001"), json=body(pupil.pupil_id), headers=officer(api))
    assert created.status_code == 201, created.text
    expectation = created.json()
    assert {k: v for k, v in expectation.items() if k != "id"} == {
        "school_urn": "900001", "la_code": "999", "pupil_id": str(pupil.pupil_id), "sickness_start": "2026-11-23",
        "expected_return": "2026-12-14", "grounds": "hospital letter: surgery and 4 weeks' recovery",
        "recorded_by": "test-school_attendance_officer", "recorded_by_name": "Test User",
        "recorded_at": "2026-11-24T09:00:00Z", "withdrawn_at": None, "withdrawn_by": None, "withdrawn_by_name": None}
    assert api.register is not None
    assert ("900001", date(2026, 11, 23), date(2026, 11, 23)) in api.register.state.calls  # on roll that day

    ewo = api.headers(Role.LA_EWO, la_code="999")
    for headers in (officer(api), ewo, api.headers(Role.HEADTEACHER, school_urns=["900001"])):
        listed = await api.client.get(PATH.format(urn="900001"), headers=headers)
        assert listed.json() == [expectation]
    assert (await api.client.get(PATH.format(urn="900002"), headers=ewo)).json() == []

    withdraw = f"{PATH.format(urn='900001')}/{expectation['id']}/withdraw"
    api.at(IN_NOVEMBER)
    withdrawn = await api.client.post(withdraw, headers=ewo)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json() == {**expectation, "withdrawn_at": "2026-11-30T12:00:00Z", "withdrawn_by": "test-la_ewo",
                                "withdrawn_by_name": "Test User"}
    assert (await api.client.get(PATH.format(urn="900001"), headers=officer(api))).json() == []
    again = await api.client.post(withdraw, headers=officer(api))
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    elsewhere = f"{PATH.format(urn='900002')}/{expectation['id']}/withdraw"
    assert (await api.client.post(elsewhere, headers=ewo)).status_code == 404
    unknown = f"{PATH.format(urn='900001')}/{uuid.uuid4()}/withdraw"
    assert (await api.client.post(unknown, headers=officer(api))).status_code == 404


async def test_a_second_expectation_of_the_same_sickness_is_a_conflict(api: Harness) -> None:
    pupil = api.worlds["900001"].pupil()
    url = PATH.format(urn="900001")
    first = await api.client.post(url, json=body(pupil.pupil_id), headers=officer(api))
    assert first.status_code == 201
    duplicate = await api.client.post(url, json=body(pupil.pupil_id, expected_return="2027-01-11"),
                                      headers=api.headers(Role.LA_EWO, la_code="999"))
    assert duplicate.status_code == 409
    assert duplicate.headers["content-type"].startswith("application/problem+json")
    # Withdrawn, it is kept as history, and a corrected one may be recorded for the same first day.
    await api.client.post(f"{url}/{first.json()['id']}/withdraw", headers=officer(api))
    corrected = await api.client.post(url, json=body(pupil.pupil_id, expected_return="2027-01-11"),
                                      headers=officer(api))
    assert corrected.status_code == 201, corrected.text
    assert (await api.client.post(url, json=body(pupil.pupil_id), headers=officer(api))).status_code == 409
    listed = (await api.client.get(url, headers=officer(api))).json()
    assert [(e["id"], e["expected_return"]) for e in listed] == [(corrected.json()["id"], "2027-01-11")]
    # Another period of sickness of the same pupil is another expectation.
    later = await api.client.post(url, json=body(pupil.pupil_id, sickness_start="2027-02-01",
                                                 expected_return="2027-03-01"), headers=officer(api))
    assert later.status_code == 201


@pytest.mark.parametrize(("change", "field"), [
    ({"expected_return": "2026-11-23"}, "expected_return"),
    ({"expected_return": "2026-11-20"}, "expected_return"),
    ({"pupil_id": str(uuid.uuid4())}, "pupil_id"),
    ({"grounds": "   "}, "grounds"),
    ({"grounds": "x" * 501}, "grounds"),
    ({"grounds": None}, "grounds"),
    ({"sickness_start": "1900-01-01"}, "sickness_start"),
    ({"expected_return": "not a date"}, "expected_return"),
])
async def test_invalid_expectations_name_the_field(api: Harness, change: dict[str, Any], field: str) -> None:
    pupil = api.worlds["900001"].pupil()
    response = await api.client.post(PATH.format(urn="900001"), json={**body(pupil.pupil_id), **change},
                                     headers=officer(api))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_an_over_long_urn_is_invalid_not_a_failure(api: Harness) -> None:
    response = await api.client.get(PATH.format(urn="9" * 11), headers=api.headers(Role.LA_EWO, la_code="999"))
    assert response.status_code == 422


async def test_only_the_schools_staff_and_its_las_officers(api: Harness) -> None:
    pupil = api.worlds["900001"].pupil()
    url = PATH.format(urn="900001")
    created = await api.client.post(url, json=body(pupil.pupil_id), headers=officer(api))
    withdraw = f"{url}/{created.json()['id']}/withdraw"
    refused = {
        "another school's officer": officer(api, "900002"),
        "a governor": api.headers(Role.GOVERNOR, school_urns=["900001"]),
        "another LA's officer": api.headers(Role.LA_EWO, la_code="998"),
        "a social worker": api.headers(Role.SOCIAL_WORKER, pupil_ids=[pupil.pupil_id]),
    }
    protection_lead = api.headers(Role.DATA_PROTECTION_LEAD, la_code="999")
    assert (await api.client.get(url, headers=protection_lead)).status_code == 200
    assert (await api.client.post(url, json=body(pupil.pupil_id, sickness_start="2026-11-24"),
                                  headers=protection_lead)).status_code == 403
    assert (await api.client.post(withdraw, headers=protection_lead)).status_code == 403
    for who, headers in refused.items():
        for response in (
                await api.client.post(url, json=body(pupil.pupil_id, sickness_start="2026-11-24"), headers=headers),
                await api.client.get(url, headers=headers),
                await api.client.post(withdraw, headers=headers)):
            assert response.status_code == 403, (who, response.request.method, response.request.url.path)
            assert response.headers["content-type"].startswith("application/problem+json")
    assert (await api.client.get(url)).status_code == 401
    still = await api.client.get(url, headers=officer(api))
    assert [(e["id"], e["withdrawn_at"]) for e in still.json()] == [(created.json()["id"], None)]


async def test_register_unreachable_is_503(api: Harness, returns_database_url: str,
                                           platform_settings: PlatformSettings) -> None:
    settings = ReturnsSettings(database_url=returns_database_url,
                               platform=platform_settings.model_copy(update={"register_url": "http://127.0.0.1:9"}))
    app = create_app(settings)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        url = PATH.format(urn="900001")
        down = await client.post(url, json=body(uuid.uuid4()), headers=officer(api))
        assert down.status_code == 503
        assert down.headers["content-type"].startswith("application/problem+json")
        listed = await client.get(url, headers=api.headers(Role.LA_EWO, la_code="999"))
        assert listed.status_code == 503
        assert (await client.get(url, headers=officer(api))).json() == []  # the school's own list needs no register


async def test_generation_reports_a_period_on_the_schools_expectation(api: Harness) -> None:
    world = api.worlds["900001"]
    pupil = world.pupil(legal_forename="Sam", legal_surname="Surgery")
    world.mark(pupil, world.days(date(2026, 11, 23), date(2026, 11, 30)), "I")  # 6 school days so far
    api.at(ON_24_NOVEMBER)
    created = await api.client.post(PATH.format(urn="900001"), json=body(pupil.pupil_id), headers=officer(api))
    assert created.status_code == 201, created.text

    api.at(IN_NOVEMBER)
    generated = await api.generate(NOV)
    assert generated.status_code == 200, generated.text
    sickness = next(r for r in generated.json()["returns"] if r["kind"] == "sickness" and r["school_urn"] == "900001")
    assert sickness["row_count"] == 1
    # 23 November to 13 December is 15 school days: register's days after the period were read for the count.
    assert api.register is not None
    assert ("900001", date(2026, 12, 1), date(2026, 12, 13)) in api.register.state.calls
    detail = (await api.client.get(f"/api/v1/returns/{sickness['id']}", headers=officer(api))).json()
    assert [(r["pupil_id"], r["basis"], r["sickness_start"], r["sickness_end"], r["school_days_in_period_of_sickness"],
             r["school_days_of_sickness_in_school_year"], r["expected_return"]) for r in detail["content"]] == [
        (str(pupil.pupil_id), "expected", "2026-11-23", "2026-11-30", 6, 6, "2026-12-14")]

    csv_file = await api.client.get(f"/api/v1/returns/{sickness['id']}.csv", headers=officer(api))
    (row,) = csv.DictReader(io.StringIO(csv_file.content.decode("utf-8-sig")))
    assert (row["legal_surname"], row["basis"], row["expected_return"]) == ("Surgery", "expected", "2026-12-14")
    xlsx = await api.client.get(f"/api/v1/returns/{sickness['id']}.xlsx", headers=officer(api))
    header, values = list(load_workbook(io.BytesIO(xlsx.content))["sickness"].values)
    record = dict(zip(header, values, strict=True))
    assert (record["basis"], record["expected_return"]) == ("expected", "2026-12-14")

    # The daily event returns do not read the days ahead.
    api.register.state.calls.clear()
    await api.generate({**NOV, "kinds": ["new_pupil", "deletion"]})
    assert [c for c in api.register.state.calls if c[1] > date(2026, 11, 30)] == []

    # Withdrawn before the return is submitted: regenerating leaves the period out.
    await api.client.post(f"{PATH.format(urn='900001')}/{created.json()['id']}/withdraw", headers=officer(api))
    regenerated = await api.generate(NOV)
    assert [r["row_count"] for r in regenerated.json()["returns"]
            if r["kind"] == "sickness" and r["school_urn"] == "900001"] == [0]


async def test_a_period_submitted_on_expectation_is_not_reported_again(api: Harness) -> None:
    world = api.worlds["900001"]
    pupil = world.pupil(legal_forename="Kai", legal_surname="Recovery")
    world.mark(pupil, world.days(date(2026, 11, 23), date(2026, 11, 30)), "I")
    api.at(ON_24_NOVEMBER)
    created = await api.client.post(PATH.format(urn="900001"), json=body(pupil.pupil_id), headers=officer(api))
    api.at(IN_NOVEMBER)
    november = next(r for r in (await api.generate(NOV)).json()["returns"]
                    if r["kind"] == "sickness" and r["school_urn"] == "900001")
    assert november["row_count"] == 1
    assert (await api.client.post(f"/api/v1/returns/{november['id']}/submit", headers=officer(api))
            ).status_code == 200
    # The school withdraws its expectation, but the sickness goes on and reaches 15 days in December.
    await api.client.post(f"{PATH.format(urn='900001')}/{created.json()['id']}/withdraw", headers=officer(api))
    world.mark(pupil, world.days(date(2026, 12, 1), date(2026, 12, 18)), "I")
    api.at(datetime(2026, 12, 31, 12, tzinfo=UTC))
    december = await api.generate({"la_code": "999", "period_start": "2026-12-01", "period_end": "2026-12-31"})
    assert [r["row_count"] for r in december.json()["returns"]
            if r["kind"] == "sickness" and r["school_urn"] == "900001"] == [0]
