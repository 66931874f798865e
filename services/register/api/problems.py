"""The problem responses every public route may answer with, for the OpenAPI document."""

from __future__ import annotations

from typing import Any

PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not signed in"}, 403: {"description": "Outside your scope"},
    404: {"description": "Not found"}, 422: {"description": "Invalid input; errors name each field"}}
