"""Every route of an app, including those of included routers (which newer FastAPI keeps behind a wrapper)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from fastapi.routing import APIRoute


def api_routes(routes: Iterable[Any]) -> Iterator[APIRoute]:
    for route in routes:
        original = getattr(route, "original_router", None)
        if original is not None:
            yield from api_routes(original.routes)
        elif isinstance(route, APIRoute):
            yield route
