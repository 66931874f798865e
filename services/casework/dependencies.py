"""FastAPI dependencies: the `Casework` service object for each request (the app-wide part held on app.state and
the request's unit of work), the caller with a social worker's current allocation, returns' sickness expectations
client, and today's date."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import Depends, Query, Request

from services.casework.service import Casework, CaseworkApp
from services.casework.service.scope import visible_case
from shared import clock
from shared.auth import CurrentIdentity, Identity
from shared.clients.returns_expectations import SicknessExpectationsClient
from shared.unit_of_work import UnitOfWork, unit_of_work


def casework_app(request: Request) -> CaseworkApp:
    """Settings, clients and caches made once at start-up."""
    app: CaseworkApp = request.app.state.casework
    return app


async def request_unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    """One unit of work per request; what it left uncommitted is rolled back when the request ends."""
    async with asynccontextmanager(unit_of_work)(casework_app(request).sessions) as uow:
        yield uow


def get_casework(app: Annotated[CaseworkApp, Depends(casework_app)],
                 uow: Annotated[UnitOfWork, Depends(request_unit_of_work)]) -> Casework:
    """The service object a route hands to casework's rules (service functions commit their own work)."""
    return Casework(app=app, uow=uow)


CaseworkDep = Annotated[Casework, Depends(get_casework)]


async def casework_identity(request: Request, identity: CurrentIdentity, cw: CaseworkDep) -> Identity:
    """The officer calling, a social worker with the pupils allocated to her now (503 if register cannot say)."""
    resolved = await cw.allocations.resolve(identity)
    request.state.identity = resolved
    return resolved


CaseworkIdentity = Annotated[Identity, Depends(casework_identity)]


async def case_in_scope(pupil_id: UUID, identity: CaseworkIdentity, cw: CaseworkDep) -> UUID:
    """The pupil in the path, if the caller may read their case file: checked before FastAPI validates the body,
    so a caller outside the case hears 403 (or 404) and nothing about the fields it takes."""
    await visible_case(cw, identity, pupil_id)
    return pupil_id


CaseInScope = Annotated[UUID, Depends(case_in_scope)]


def get_sickness_expectations(request: Request) -> SicknessExpectationsClient:
    """Returns' sickness expectations API, called as the signed-in officer (the client holds no token)."""
    client: SicknessExpectationsClient = request.app.state.sickness_expectations
    return client


SicknessExpectationsDep = Annotated[SicknessExpectationsClient, Depends(get_sickness_expectations)]


# Paging of the lists.
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
Limit = Annotated[int | None, Query(ge=1, le=200)]


LONDON = ZoneInfo("Europe/London")


def today() -> date:
    """The English calendar date, for what is overdue (a dependency so tests can pin it)."""
    return clock.today()


Today = Annotated[date, Depends(today)]
