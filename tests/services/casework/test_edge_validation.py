"""Casework at its edge: events and projections with identifiers out of format or fields it does not know are
refused and create nothing; filters that can match nothing are named; register's 404 stays 404; a caller
outside a case hears 403 before anything about the body."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI, HTTPException

from shared.auth import Role, service_token
from shared.clients.register import RegisterClient
from tests.services.casework.conftest import Harness, register_event
from tests.services.casework.test_projection import projection

pytestmark = pytest.mark.services
PROBLEM = "application/problem+json"


def fields(response: httpx.Response) -> list[str]:
    assert response.headers["content-type"].startswith(PROBLEM), response.text
    return [e["field"] for e in response.json().get("errors", [])]


async def no_case(harness: Harness, pupil_id: str | UUID) -> bool:
    response = await harness.http.get(f"/api/v1/cases/{pupil_id}", headers=harness.as_(Role.LA_EWO, la_code="999"))
    return response.status_code == 404


async def test_an_event_with_a_garbage_urn_or_la_code_creates_no_case(harness: Harness) -> None:
    for school_urn, la_code, field in (("'; DROP", "999", "pupil.school_urn"), ("900001", "9x9", "pupil.la_code")):
        event = register_event(school_urn=school_urn, la_code=la_code)
        response = await harness.http.post("/internal/events", json=event, headers=harness.service())
        assert response.status_code == 422
        assert fields(response) == [field]
        assert await no_case(harness, event["pupil"]["pupil_id"])
    unknown_field = {**register_event(), "school_urn": "garbage"}
    response = await harness.http.post("/internal/events", json=unknown_field, headers=harness.service())
    assert response.status_code == 422
    assert fields(response) == ["school_urn"]


async def test_a_projection_with_a_field_casework_does_not_know_creates_no_case(harness: Harness) -> None:
    pupil_id = uuid4()
    body: dict[str, Any] = {**projection(pupil_id, 1, "at_risk"), "school_urn": "garbage"}
    response = await harness.http.post(f"/internal/cases/{pupil_id}/projection", json=body,
                                       headers=harness.service("journey-worker"))
    assert response.status_code == 422
    assert fields(response) == ["school_urn"]
    assert await no_case(harness, pupil_id)


async def test_case_list_filters_that_match_nothing_are_named(harness: Harness) -> None:
    officer = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    for query, field in (("school=900002", "school"), ("school=90000%3F", "school"), ("stage=nonsense", "stage")):
        response = await harness.http.get(f"/api/v1/cases?{query}", headers=officer)
        assert response.status_code == 422, query
        assert fields(response) == [field]
    assert (await harness.http.get("/api/v1/cases?school=900001", headers=officer)).status_code == 200


def _register_knowing_no_pupil() -> FastAPI:
    app = FastAPI()

    @app.get("/internal/pupils/{pupil}/marks")
    async def marks(pupil: UUID) -> list[dict[str, object]]:
        raise HTTPException(404, "no such pupil")

    return app


async def test_an_evidence_bundle_register_knows_nothing_of_is_404(harness: Harness) -> None:
    event = register_event()
    assert (await harness.http.post("/internal/events", json=event, headers=harness.service())).status_code == 200
    pupil_id = UUID(event["pupil"]["pupil_id"])
    officer = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    down = await harness.http.get(f"/api/v1/cases/{pupil_id}/evidence-bundle", headers=officer)
    assert down.status_code == 503
    assert int(down.headers["retry-after"]) > 0
    cw = harness.app.state.casework
    cw.register = RegisterClient("http://register", service_token("casework", "register", harness.platform),
                                 transport=httpx.ASGITransport(app=_register_knowing_no_pupil()))
    gone = await harness.http.get(f"/api/v1/cases/{pupil_id}/evidence-bundle", headers=officer)
    assert gone.status_code == 404
    assert gone.headers["content-type"].startswith(PROBLEM)


async def test_a_caller_outside_the_case_hears_403_before_anything_about_the_body(harness: Harness) -> None:
    event = register_event()
    assert (await harness.http.post("/internal/events", json=event, headers=harness.service())).status_code == 200
    pupil_id = event["pupil"]["pupil_id"]
    outsider = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900002"])
    for path in ("actions", "decisions"):
        response = await harness.http.post(f"/api/v1/cases/{pupil_id}/{path}", json={"unknown": 1},
                                           headers=outsider)
        assert response.status_code == 403, response.text
        assert "errors" not in response.json()
    officer = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    for body in ({"unknown": 1}, register_event()):
        response = await harness.http.post("/internal/events", json=body, headers=officer)
        assert response.status_code == 403
        assert "errors" not in response.json()
    garbled = await harness.http.post(f"/api/v1/cases/{pupil_id}/actions", content=b"{",
                                      headers={"content-type": "application/json"})
    assert garbled.status_code == 401


async def test_a_reason_of_only_spaces_is_no_reason(harness: Harness) -> None:
    event = register_event()
    assert (await harness.http.post("/internal/events", json=event, headers=harness.service())).status_code == 200
    officer = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    for action in ("close_case", "record_support_inappropriate"):
        response = await harness.http.post(f"/api/v1/cases/{event['pupil']['pupil_id']}/actions", headers=officer,
                                           json={"action": action, "details": {"reason": "   "}})
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "details.reason"
