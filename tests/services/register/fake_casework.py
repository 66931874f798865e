"""A stand-in for casework's internal events and register-changes endpoints, served by uvicorn on a free port."""

from __future__ import annotations

import asyncio
from typing import Any

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from tests.support.net import free_port


class FakeCasework:
    def __init__(self) -> None:
        self.port = free_port()
        self.failing = False
        self.accepted: list[dict[str, Any]] = []  # every 2xx answer, duplicates included
        self.refused = 0
        self.seen: set[str] = set()
        self.changes: list[dict[str, Any]] = []  # register changes (case views to rebuild), as posted
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        app = FastAPI()

        @app.post("/internal/events")
        async def events(request: Request) -> JSONResponse:
            if self.failing:
                self.refused += 1
                return JSONResponse({"detail": "down for maintenance"}, status_code=503)
            body = await request.json()
            duplicate = body["event_id"] in self.seen
            self.seen.add(body["event_id"])
            self.accepted.append(body)
            return JSONResponse({"event_id": body["event_id"], "duplicate": duplicate,
                                 "workflow_id": f"journey-{body['pupil']['pupil_id']}"})

        @app.post("/internal/register-changes")
        async def register_changes(request: Request) -> JSONResponse:
            if self.failing:
                self.refused += 1
                return JSONResponse({"detail": "down for maintenance"}, status_code=503)
            body = await request.json()
            self.changes.append(body)
            return JSONResponse({"change_id": body["change_id"], "case_views_marked_stale": 0})

        self.app = app

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
            self._server = None
            self._task = None
