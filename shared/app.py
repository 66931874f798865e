"""What every service app has in common: problem+json errors, /healthz, request ids in logs."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

from shared.errors import install_error_handlers

HealthCheck = Callable[[], Awaitable[bool]]
logger = logging.getLogger("attendance.http")


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")


def create_service_app(name: str, *, description: str,
                       lifespan: Callable[[FastAPI], AbstractAsyncContextManager[Any]],
                       health_checks: Callable[[FastAPI], dict[str, HealthCheck]]) -> FastAPI:
    app = FastAPI(title=f"{name.capitalize()} service", description=description, lifespan=lifespan,
                  version="0.1.0")
    install_error_handlers(app)

    @app.middleware("http")
    async def _request_id(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request_id = request.headers.get("x-request-id") or str(uuid.uuid4())
        response = await call_next(request)
        response.headers["X-Request-Id"] = request_id
        # Paths only, never query strings: they could carry names or UPNs typed into a search box.
        logger.info("%s %s %s %s", name, request.method, request.url.path, response.status_code)
        return response

    @app.get("/healthz", tags=["operations"], summary="Liveness and dependencies")
    async def healthz() -> JSONResponse:
        results = {check: await probe() for check, probe in health_checks(app).items()}
        healthy = all(results.values())
        body = {"service": name, "status": "ok" if healthy else "degraded",
                "checks": {k: "ok" if v else "unavailable" for k, v in results.items()}}
        return JSONResponse(body, status_code=200 if healthy else 503)

    return app
