"""A NUL character is refused wherever a request carries text (PostgreSQL cannot store it), naming where."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from shared.limits import BodySizeLimit
from shared.text_guard import RefuseNulText

pytestmark = pytest.mark.unit


class Note(BaseModel):
    parent: str
    tags: list[str] = []


def app() -> FastAPI:
    service = FastAPI()
    service.add_middleware(RefuseNulText)
    service.add_middleware(BodySizeLimit, max_bytes=2048)

    @service.post("/notes/{name}")
    async def note(name: str, body: Note, q: str = "") -> dict[str, str]:
        return {"name": name, "parent": body.parent, "q": q}

    return service


@pytest.mark.parametrize(("url", "body", "field"), [
    ("/notes/a", {"parent": "Jo\u0000"}, "parent"),
    ("/notes/a", {"parent": "Jo", "tags": ["x", "\u0000"]}, "tags[1]"),
    ("/notes/a?q=%00", {"parent": "Jo"}, "q"),
    ("/notes/a%00b", {"parent": "Jo"}, "path"),
])
async def test_nul_is_refused_naming_where(url: str, body: dict[str, object], field: str) -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app()), base_url="http://t") as client:
        response = await client.post(url, json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_ordinary_text_passes_and_an_oversized_body_is_413() -> None:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app()), base_url="http://t") as client:
        ok = await client.post("/notes/a?q=b", json={"parent": "Jo Stone \\u0000 is not a NUL"})
        assert ok.status_code == 200
        assert ok.json()["parent"] == "Jo Stone \\u0000 is not a NUL"

        async def chunks() -> object:
            for _ in range(4):
                yield b" " * 1024

        big = await client.post("/notes/a", content=chunks(), headers={"content-type": "application/json"})
        assert big.status_code == 413
