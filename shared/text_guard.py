"""Text a database cannot store is refused at the edge: a NUL character (PostgreSQL refuses it in any text
column, so it would surface as a 500) in the path, a query parameter, a JSON body or a form is a 422 naming
where it was, before the app sees the request."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import PROBLEM_JSON

NUL = "\x00"


def _nul_fields(value: Any, path: str = "") -> Iterator[str]:
    if isinstance(value, str):
        if NUL in value:
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                yield name
            yield from _nul_fields(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _nul_fields(item, f"{path}[{index}]" if path else f"[{index}]")


def _in_query(raw: bytes) -> list[str]:
    pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    return [key for key, value in pairs if NUL in key or NUL in value]


def _in_body(body: bytes, content_type: str) -> list[str]:
    if b"\x00" in body:
        return ["body"]
    if "json" in content_type and b"\\u0000" in body:
        try:
            return list(_nul_fields(json.loads(body)))  # "\\u0000" written out as text is no NUL
        except ValueError:
            return []  # not JSON: FastAPI says so itself
    if "x-www-form-urlencoded" in content_type and b"%00" in body:
        return _in_query(body)
    return []


def _problem(fields: list[str], path: str) -> bytes:
    return json.dumps({
        "type": "/problems/InvalidInput", "title": "Invalid input", "status": 422,
        "detail": f"These fields hold a NUL character, which is never valid text: {', '.join(fields)}",
        "instance": path, "errors": [{"field": f, "message": "must not contain a NUL character"} for f in fields],
    }).encode()


class RefuseNulText:
    """ASGI middleware; bodies are read here only when they could hold text (JSON or a form)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        fields = (["path"] if NUL in unquote(scope.get("raw_path", b"").decode("latin-1")) else []) + \
            _in_query(scope.get("query_string", b""))
        headers = dict(scope.get("headers") or [])
        content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
        reads_text = "json" in content_type or "x-www-form-urlencoded" in content_type
        if fields or not reads_text:
            if fields:
                await self._refuse(fields, scope, send)
            else:
                await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        body = b""
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        found = _in_body(body, content_type)
        if found:
            await self._refuse(found, scope, send)
            return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _refuse(fields: list[str], scope: Scope, send: Send) -> None:
        body = _problem(fields, scope["path"])
        await send({"type": "http.response.start", "status": 422,
                    "headers": [(b"content-type", PROBLEM_JSON.encode()),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
