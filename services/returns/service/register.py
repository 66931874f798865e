"""Calls to register, their failures said in returns' words."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from services.returns.exceptions import RegisterUnavailable
from shared.http import ServiceCallFailed

T = TypeVar("T")


async def from_register(call: Awaitable[T]) -> T:
    """A call to register, its failures said in returns' words: 404 for a school or LA it does not know, 503
    when it could not answer."""
    try:
        return await call
    except ServiceCallFailed as exc:
        if exc.status is None or exc.status >= 500:
            raise RegisterUnavailable(f"The register could not be read: {exc.detail}") from exc
        raise exc.for_caller(not_found="The register does not know that school or local authority.",
                             unavailable="The register could not be read.") from exc
