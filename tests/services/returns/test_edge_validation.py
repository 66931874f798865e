"""Returns at its edge: identifiers and dates refused in their own words before register is asked, register's
404 kept as 404 and only a register that does not answer as 503, and the internal API for services only."""

from __future__ import annotations

import httpx

from shared.auth import Role
from shared.clients.register_extract import RegisterExtractClient
from tests.services.returns.conftest import NOV, Harness
from tests.services.returns.test_returns_reports_api import TERM, populate

PROBLEM = "application/problem+json"


def fields(response: httpx.Response) -> list[str]:
    assert response.headers["content-type"].startswith(PROBLEM), response.text
    return [e["field"] for e in response.json().get("errors", [])]


async def test_a_urn_with_a_control_character_or_a_query_is_refused_before_register_is_asked(
        harness: Harness) -> None:
    assert harness.register is not None
    ewo = harness.headers(Role.LA_EWO, la_code="999")
    for urn in ("9000%07", "900001%3F", "900001%0A", "90000%20"):
        response = await harness.client.get(f"/api/v1/schools/{urn}/governor-report.json?{TERM}", headers=ewo)
        assert response.status_code == 422, (urn, response.text)
        assert fields(response) == ["urn"]
    assert harness.register.state.calls == []


async def test_dates_out_of_any_school_year_are_named(harness: Harness) -> None:
    far = await harness.generate({**NOV, "period_end": "3345-01-01"})
    assert far.status_code == 422
    assert fields(far) == ["period_end"]
    too_long = await harness.generate({**NOV, "period_start": "2024-09-01"})
    assert too_long.status_code == 422
    ewo = harness.headers(Role.LA_EWO, la_code="999")
    report = await harness.client.get("/api/v1/schools/900001/governor-report.json?term_end=3345-01-01",
                                      headers=ewo)
    assert report.status_code == 422
    assert fields(report) == ["term_end"]
    listed = await harness.client.get("/api/v1/returns?school_urn=9&period=last", headers=ewo)
    assert listed.status_code == 422
    assert sorted(fields(listed)) == ["period", "school_urn"]


async def test_a_school_register_does_not_know_is_404_and_a_register_down_is_503(harness: Harness) -> None:
    populate(harness)
    ewo = harness.headers(Role.LA_EWO, la_code="999")
    unknown = await harness.client.get(f"/api/v1/schools/900009/governor-report.json?{TERM}", headers=ewo)
    assert unknown.status_code == 404

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("register is down", request=request)

    harness.app.state.register_source = RegisterExtractClient("http://register", "token",
                                                              transport=httpx.MockTransport(refuse))
    down = await harness.client.get(f"/api/v1/schools/900001/governor-report.json?{TERM}", headers=ewo)
    assert down.status_code == 503
    assert int(down.headers["retry-after"]) > 0


async def test_the_internal_api_tells_a_person_nothing_about_its_body(harness: Harness) -> None:
    ewo = harness.headers(Role.LA_EWO, la_code="999")
    for body in (NOV, {"unknown": 1}):
        response = await harness.client.post("/internal/returns/generate", json=body, headers=ewo)
        assert response.status_code == 403, response.text
        assert "errors" not in response.json()
    anonymous = await harness.client.post("/internal/returns/generate", content=b"{",
                                          headers={"content-type": "application/json"})
    assert anonymous.status_code == 401
