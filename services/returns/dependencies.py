"""FastAPI dependencies: the `Returns` service object of a request, built on a unit of work, and the clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from services.returns.service import Returns
from services.returns.settings import ReturnsSettings
from shared.db import utcnow
from shared.unit_of_work import UnitOfWork


def now() -> datetime:
    """The moment of the request (a dependency so tests can pin it)."""
    return utcnow()


def settings(request: Request) -> ReturnsSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


async def returns_service(request: Request, moment: datetime = Depends(now)) -> AsyncIterator[Returns]:
    """The request's `Returns`: what it wrote lasts only if a rule committed it; the rest is rolled back."""
    state = request.app.state
    uow = UnitOfWork(state.session_factory)
    try:
        yield Returns(uow=uow, register=state.register_source, casework=state.casework,
                      notifications=state.notifications, settings=state.settings, now=moment)
    finally:
        await uow.close()


ReturnsDep = Annotated[Returns, Depends(returns_service)]
Settings = Annotated[ReturnsSettings, Depends(settings)]
