"""FastAPI dependencies: the `Casework` service object for each request (the app-wide part held on app.state and
the request's unit of work), the caller with a social worker's current allocation, returns' sickness expectations
client, and today's date."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from typing import Annotated
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import Depends, Query, Request

from services.casework.service import Casework, CaseworkApp
from services.casework.service.permissions import PRIOR_PENALTY_NOTICE, roles_for
from services.casework.service.scope import reject_governors, visible_case
from services.casework.settings import get_settings
from shared import clock
from shared.auth import CurrentIdentity, Identity, Role
from shared.callers import PERSON_ROLES, callers
from shared.clients.returns_expectations import SicknessExpectationsClient
from shared.contracts.journey import ActionName
from shared.unit_of_work import UnitOfWork, unit_of_work


# Dependencies are coroutines even where they await nothing: FastAPI runs a plain function in a worker thread.
async def casework_app(request: Request) -> CaseworkApp:
    """Settings, clients and caches made once at start-up."""
    app: CaseworkApp = request.app.state.casework
    return app


async def request_unit_of_work(request: Request) -> AsyncIterator[UnitOfWork]:
    """One unit of work per request; what it left uncommitted is rolled back when the request ends."""
    app: CaseworkApp = request.app.state.casework
    async with asynccontextmanager(unit_of_work)(app.sessions) as uow:
        yield uow


async def get_casework(app: Annotated[CaseworkApp, Depends(casework_app)],
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


async def get_sickness_expectations(request: Request) -> SicknessExpectationsClient:
    """Returns' sickness expectations API, called as the signed-in officer (the client holds no token)."""
    client: SicknessExpectationsClient = request.app.state.sickness_expectations
    return client


SicknessExpectationsDep = Annotated[SicknessExpectationsClient, Depends(get_sickness_expectations)]


# Paging of the lists.
Offset = Annotated[int, Query(ge=0, le=1_000_000)]
Limit = Annotated[int | None, Query(ge=1, le=200)]


LONDON = ZoneInfo("Europe/London")


async def today() -> date:
    """The English calendar date, for what is overdue (a dependency so tests can pin it)."""
    return clock.today()


Today = Annotated[date, Depends(today)]


# Who may call each operation (the OpenAPI document lists them; shared/callers.py). Governors see figures only:
# reject_governors is the service's own check, run here first with the same refusal.
def _step_roles(*actions: str) -> Callable[[], list[Role]]:
    """The roles casework's step matrix (CASEWORK_STEP_ROLES) gives these steps, as the service checks them."""
    def resolve() -> list[Role]:
        settings = get_settings()
        return sorted({role for action in actions or ActionName for role in roles_for(settings, action)})
    return resolve


CASE_READERS = callers(PERSON_ROLES - {Role.GOVERNOR}, "their school, LA or allocated pupils; governors see "
                       "figures only", check=reject_governors)
# permissions.require_step: an officer's step is a person's, never a service's.
STEP_TAKERS = callers((), "each step its own roles in the step matrix (CASEWORK_STEP_ROLES), within the case's "
                          "school or LA", resolve=_step_roles(), services=False)
CASE_OPENERS = callers((), "the pupil's school or LA", resolve=_step_roles(ActionName.OPEN_CASE), services=False)
DECISION_RECORDERS = callers((), "the case's school or LA", resolve=_step_roles(ActionName.RECORD_DECISION),
                             services=False)
PRIOR_NOTICE_RECORDERS = callers((), "the case's school or LA", resolve=_step_roles(PRIOR_PENALTY_NOTICE),
                                 services=False)
# audit.list_audit: the LA's data protection lead only.
AUDIT_READERS = callers({Role.DATA_PROTECTION_LEAD}, "their own LA's log", services=False)
