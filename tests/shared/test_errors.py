"""Every failure is problem+json naming what was wrong; nothing escapes as a bare 500."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel, Field

from shared.errors import Conflict, InvalidInput, install_error_handlers

pytestmark = pytest.mark.unit


class Mark(BaseModel):
    code: str = Field(min_length=1, max_length=2)
    minutes_late: int | None = Field(default=None, ge=0)


def make_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/marks")
    async def post(marks: list[Mark]) -> dict[str, int]:
        return {"count": len(marks)}

    @app.get("/conflict")
    async def conflict() -> None:
        raise Conflict("This mark already has a different code; amend it instead.")

    @app.get("/invalid")
    async def invalid() -> None:
        raise InvalidInput("Not a school day", field="session_date")

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("bug")

    return app


@pytest.fixture
async def client() -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=make_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def test_validation_errors_name_each_field(client: httpx.AsyncClient) -> None:
    response = await client.post("/marks", json=[{"code": "N"}, {"code": "", "minutes_late": -1}])
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"1.code", "1.minutes_late"}


async def test_service_errors_carry_status_type_and_field(client: httpx.AsyncClient) -> None:
    conflict = await client.get("/conflict")
    assert conflict.status_code == 409
    assert conflict.json()["type"] == "/problems/Conflict"
    invalid = await client.get("/invalid")
    assert invalid.json()["errors"] == [{"field": "session_date", "message": "Not a school day"}]


async def test_unexpected_errors_are_problem_json_without_internals(client: httpx.AsyncClient) -> None:
    response = await client.get("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "bug" not in response.text


async def test_malformed_json_is_a_422_not_a_500(client: httpx.AsyncClient) -> None:
    response = await client.post("/marks", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422
