"""What every service app has in common: problem+json errors, /healthz, request ids in logs."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from shared.auth import current_identity
from shared.errors import ServiceError, install_error_handlers, problem, validation_problem
from shared.limits import BodySizeLimit
from shared.openapi import document_authentication
from shared.settings import PlatformSettings, get_platform_settings
from shared.text_guard import RefuseNulText

HealthCheck = Callable[[], Awaitable[bool]]
logger = logging.getLogger("attendance.http")


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")


def _needs_identity(request: Request) -> bool:
    """Whether the route that failed validation asks who is calling (so the caller must be told 401 first)."""
    dependant = getattr(request.scope.get("route"), "dependant", None)
    stack = [dependant] if dependant is not None else []
    while stack:
        current = stack.pop()
        if current.call is current_identity:
            return True
        stack.extend(current.dependencies)
    return False


def create_service_app(name: str, *, description: str,
                       lifespan: Callable[[FastAPI], AbstractAsyncContextManager[Any]],
                       health_checks: Callable[[FastAPI], dict[str, HealthCheck]],
                       platform: PlatformSettings | None = None, upload_paths: Sequence[str] = ()) -> FastAPI:
    """`upload_paths`: patterns of the paths that take files, which get the larger upload limit."""
    platform = platform or get_platform_settings()
    app = FastAPI(title=f"{name.capitalize()} service", description=description, lifespan=lifespan,
                  version="0.1.0")
    app.state.service_name = name
    # Tokens are verified with the settings the app was created with, whatever the environment says.
    app.state.platform_settings = platform
    install_error_handlers(app)
    document_authentication(app)
    # Added inner first: the size limit applies before anything, the NUL check reads bodies under it.
    app.add_middleware(RefuseNulText)
    app.add_middleware(BodySizeLimit, max_bytes=platform.max_body_bytes,
                       per_path=[(pattern, platform.max_upload_bytes) for pattern in upload_paths])

    @app.exception_handler(RequestValidationError)
    async def _validate_after_authentication(request: Request, exc: RequestValidationError) -> JSONResponse:
        # A body that is not even JSON fails before any dependency has run: who is calling is checked here first,
        # so a caller without a valid token learns nothing about what the endpoint takes.
        if getattr(request.state, "identity", None) is None and _needs_identity(request):
            try:
                await current_identity(request, platform)
            except ServiceError as refusal:
                return problem(refusal.status_code, refusal.title, refusal.detail, refusal.problem_type,
                               instance=request.url.path)
        return validation_problem(request, exc)

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
