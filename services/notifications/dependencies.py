"""FastAPI dependencies: the read session, the notifier held on app.state and the Notify callback check."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifications.service import Notifier
from shared.auth import token_from_request
from shared.errors import NotAuthenticated, NotFound


def get_notifier(request: Request) -> Notifier:
    notifier: Notifier = request.app.state.notifier
    return notifier


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One read transaction per request; writes go through the notifier's own short transactions."""
    async with request.app.state.sessions() as session:
        yield session


NotifierDep = Annotated[Notifier, Depends(get_notifier)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]


async def notify_callback_caller(request: Request, notifier: NotifierDep) -> None:
    """Notify's callbacks carry the bearer token configured in both places; nothing else may post receipts."""
    expected = notifier.settings.notify_callback_token
    if not expected:
        raise NotFound("GOV.UK Notify callbacks are not configured.")
    presented = token_from_request(request) or ""
    if not hmac.compare_digest(presented.encode(), expected.encode()):
        raise NotAuthenticated("The callback token is missing or wrong.")
