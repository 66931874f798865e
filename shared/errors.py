"""Status-coded errors and the one handler that renders them, and every other failure, as problem+json (RFC 9457)."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger(__name__)


class ServiceError(Exception):
    """A failure the caller can act on; its class name becomes the problem type and Temporal error type."""

    status_code = 400
    title = "Bad request"
    # Response headers the status calls for (Retry-After on a 503).
    headers: dict[str, str] = {}

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []

    @property
    def problem_type(self) -> str:
        return type(self).__name__


class InvalidInput(ServiceError):
    status_code = 422
    title = "Invalid input"

    def __init__(self, detail: str, *, field: str | None = None, errors: list[dict[str, Any]] | None = None):
        if field is not None and errors is None:
            errors = [{"field": field, "message": detail}]
        super().__init__(detail, errors=errors)


class NotAuthenticated(ServiceError):
    status_code = 401
    title = "Not signed in"


class OutOfScope(ServiceError):
    status_code = 403
    title = "Not allowed"


class NotFound(ServiceError):
    status_code = 404
    title = "Not found"


class Conflict(ServiceError):
    status_code = 409
    title = "Conflict"


class ContentTooLarge(ServiceError):
    status_code = 413
    title = "Content too large"


class DependencyUnavailable(ServiceError):
    status_code = 503
    title = "A service this request needs is unavailable"
    # Seconds: long enough for a restarted service to come back, short enough that a person retrying by hand
    # is not kept waiting.
    headers = {"Retry-After": "30"}


def problem(status: int, title: str, detail: str, problem_type: str, errors: list[dict[str, Any]] | None = None,
            instance: str | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": f"/problems/{problem_type}", "title": title, "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_name(location: tuple[Any, ...] | list[Any]) -> str:
    # Drop the "body"/"query"/"path" prefix so the name is the one the caller wrote.
    parts = [str(p) for p in location]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [{"field": _field_name(e.get("loc", ())), "message": e.get("msg", "invalid")} for e in exc.errors()]


def validation_problem(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = validation_errors(exc)
    fields = ", ".join(e["field"] for e in errors)
    return problem(422, "Invalid input", f"Check these fields: {fields}", "InvalidInput", errors, request.url.path)


def install_error_handlers(app: FastAPI) -> None:
    """Render every failure as problem+json; nothing escapes as a bare 500 page."""

    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError) -> JSONResponse:
        return problem(exc.status_code, exc.title, exc.detail, exc.problem_type, exc.errors, request.url.path,
                       exc.headers or None)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return validation_problem(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        try:
            title = HTTPStatus(exc.status_code).phrase
        except ValueError:
            title = str(exc.detail)
        return problem(exc.status_code, title, str(exc.detail), f"Http{exc.status_code}",
                       instance=request.url.path, headers=dict(exc.headers) if exc.headers else None)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        logger.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem(500, "Internal error", "Something went wrong; it has been logged.", "InternalError",
                       instance=request.url.path)
