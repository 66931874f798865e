"""FastAPI dependencies: the casework context held on app.state, the caller with a social worker's current
allocation, returns' sickness expectations client, and today's date."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import Depends, Request

from services.casework.service import Casework
from services.casework.service.scope import visible_case
from shared import clock
from shared.auth import CurrentIdentity, Identity
from shared.clients.returns_expectations import SicknessExpectationsClient


def get_casework(request: Request) -> Casework:
    casework: Casework = request.app.state.casework
    return casework


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


LONDON = ZoneInfo("Europe/London")


def today() -> date:
    """The English calendar date, for what is overdue (a dependency so tests can pin it)."""
    return clock.today()


Today = Annotated[date, Depends(today)]
