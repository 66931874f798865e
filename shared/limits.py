"""The request body size limit every service app applies before anything reads the body.

A body whose declared Content-Length is over the limit is refused at once; a body sent without one (chunked) is
counted as it arrives and refused as soon as it passes the limit, so a 25 MB upload is never read in full.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.errors import PROBLEM_JSON


class BodyTooLarge(HTTPException):
    """Raised while the body is read; an HTTPException so that FastAPI passes it on instead of calling it a bad
    body, and the problem handler answers it."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is larger than the {limit} bytes this endpoint accepts.")


def _problem(limit: int, path: str) -> bytes:
    return json.dumps({"type": "/problems/ContentTooLarge", "title": "Content too large", "status": 413,
                       "detail": f"The request body is larger than the {limit} bytes this endpoint accepts.",
                       "instance": path}).encode()


class BodySizeLimit:
    """ASGI middleware: `max_bytes` for every request, or the limit of the first (path pattern, bytes) that
    matches the path (file uploads take more than JSON)."""

    def __init__(self, app: ASGIApp, max_bytes: int, per_path: Sequence[tuple[str, int]] = ()) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.per_path = [(re.compile(pattern), limit) for pattern, limit in per_path]

    def limit_for(self, path: str) -> int:
        return next((limit for pattern, limit in self.per_path if pattern.match(path)), self.max_bytes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(limit, scope, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            # Raised where no exception handler runs (a middleware reading the body): answered here.
            if started:
                raise
            await self._refuse(limit, scope, send)

    @staticmethod
    async def _refuse(limit: int, scope: Scope, send: Send) -> None:
        body = _problem(limit, scope["path"])
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", PROBLEM_JSON.encode()), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
