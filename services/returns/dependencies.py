"""Request-scoped dependencies: the unit of work, settings, the clients of other services and the clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Request

from services.returns import service as returns_service
from services.returns.register_source import RegisterExtractClient
from services.returns.reports import termly
from services.returns.repository import ReturnRepository
from services.returns.settings import ReturnsSettings
from shared.auth import LA_ROLES, SCHOOL_ROLES, Role
from shared.callers import callers
from shared.clients.casework import CaseworkClient
from shared.clients.notifications import NotificationsClient
from shared.db import utcnow

LONDON = ZoneInfo("Europe/London")


async def repository(request: Request) -> AsyncIterator[ReturnRepository]:
    """One transaction per request: committed when the handler succeeds, rolled back otherwise."""
    async with request.app.state.session_factory() as session, session.begin():
        yield ReturnRepository(session)


def settings(request: Request) -> ReturnsSettings:
    return request.app.state.settings  # type: ignore[no-any-return]


def register_source(request: Request) -> RegisterExtractClient:
    return request.app.state.register_source  # type: ignore[no-any-return]


def casework(request: Request) -> CaseworkClient:
    return request.app.state.casework  # type: ignore[no-any-return]


def notifications(request: Request) -> NotificationsClient:
    return request.app.state.notifications  # type: ignore[no-any-return]


def now() -> datetime:
    return utcnow()


def today(moment: datetime = Depends(now)) -> date:
    """Due dates are English calendar dates."""
    return moment.astimezone(LONDON).date()


Repository = Annotated[ReturnRepository, Depends(repository)]
Settings = Annotated[ReturnsSettings, Depends(settings)]
RegisterSource = Annotated[RegisterExtractClient, Depends(register_source)]
Casework = Annotated[CaseworkClient, Depends(casework)]
Notifications = Annotated[NotificationsClient, Depends(notifications)]
Now = Annotated[datetime, Depends(now)]
Today = Annotated[date, Depends(today)]


# Who may call each operation, as the service's checks have it (the OpenAPI document lists them; shared/callers.py).
# service._require_reader, run here first with the same refusal: returns name pupils.
RETURN_READERS = callers(SCHOOL_ROLES | LA_ROLES, "their own school's returns, or their LA's",
                         check=returns_service._require_reader)
# service.submit: only the school submits its returns.
RETURN_SUBMITTERS = callers(SCHOOL_ROLES, "their own school's returns")
# expectations.require_caller(writing=True): the data protection lead may read them but records nothing.
EXPECTATION_WRITERS = callers(SCHOOL_ROLES | {Role.LA_EWO}, "their own school, or its LA for LA officers")
# termly._require_reader: a school's stored governor reports.
STORED_REPORT_READERS = callers(termly.READERS, "their own school")
