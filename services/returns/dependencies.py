"""FastAPI dependencies: the `Returns` service object of a request, built on a unit of work, and the clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from services.returns.service import Returns, governor_reports, la_returns
from services.returns.settings import ReturnsSettings
from shared.auth import LA_ROLES, SCHOOL_ROLES, Role
from shared.callers import callers
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


# Who may call each operation, as the service's checks have it (the OpenAPI document lists them; shared/callers.py).
# la_returns._require_reader, run here first with the same refusal: returns name pupils.
RETURN_READERS = callers(SCHOOL_ROLES | LA_ROLES, "their own school's returns, or their LA's",
                         check=la_returns._require_reader)
# la_returns.submit: only the school submits its returns.
RETURN_SUBMITTERS = callers(SCHOOL_ROLES, "their own school's returns")
# expectations.require_caller(writing=True): the data protection lead may read them but records nothing.
EXPECTATION_WRITERS = callers(SCHOOL_ROLES | {Role.LA_EWO}, "their own school, or its LA for LA officers")
# governor_reports._require_reader: a school's stored governor reports.
STORED_REPORT_READERS = callers(governor_reports.READERS, "their own school")
