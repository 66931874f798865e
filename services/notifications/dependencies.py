"""FastAPI dependencies: the `Notifier` of a request, built on a unit of work, and the Notify callback check."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Request

from services.notifications.service import Notifier
from shared.auth import token_from_request
from shared.errors import NotAuthenticated, NotFound
from shared.unit_of_work import UnitOfWork


def notifier_for(state: Any, uow: UnitOfWork) -> Notifier:
    """A `Notifier` on this unit of work, with the register client, templates, channels and settings of the app."""
    return Notifier(uow=uow, register=state.register, renderer=state.renderer, senders=state.senders,
                    settings=state.settings)


async def get_notifier(request: Request) -> AsyncIterator[Notifier]:
    uow = UnitOfWork(request.app.state.sessions)
    try:
        yield notifier_for(request.app.state, uow)
    finally:
        await uow.close()


NotifierDep = Annotated[Notifier, Depends(get_notifier)]


async def notify_callback_caller(request: Request, notifier: NotifierDep) -> None:
    """Notify's callbacks carry the bearer token configured in both places; nothing else may post receipts."""
    expected = notifier.settings.notify_callback_token
    if not expected:
        raise NotFound("GOV.UK Notify callbacks are not configured.")
    presented = token_from_request(request) or ""
    if not hmac.compare_digest(presented.encode(), expected.encode()):
        raise NotAuthenticated("The callback token is missing or wrong.")
