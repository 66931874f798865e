"""Request-scoped dependencies: settings, today's date, and the `Register` service object every route works with,
built on a unit of work (one transaction per request, committed by the rule that writes)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated

from fastapi import Depends, Request

from services.register.models import Pupil, School
from services.register.service import Register, access, admissions
from services.register.service.outbox import wake_after_commit
from services.register.settings import RegisterSettings
from shared import clock
from shared.auth import LA_ROLES, CurrentIdentity, Role
from shared.callers import PERSON_ROLES, callers, checked_by
from shared.contracts.identifiers import Urn
from shared.unit_of_work import UnitOfWork


def get_register_settings(request: Request) -> RegisterSettings:
    settings: RegisterSettings = request.app.state.settings
    return settings


def today() -> date:
    """The register's idea of today (a dependency so tests can pin it)."""
    return clock.today()


Settings = Annotated[RegisterSettings, Depends(get_register_settings)]
Today = Annotated[date, Depends(today)]


async def register_service(request: Request, settings: Settings) -> AsyncIterator[Register]:
    """The request's Register; its unit of work wakes the outbox relay after a commit that wrote events, and
    rolls back whatever was not committed when the request ends."""
    uow = UnitOfWork(request.app.state.session_factory)
    uow.after_commit(wake_after_commit(getattr(request.app.state, "outbox_relay", None)))
    try:
        yield Register(uow, settings)
    finally:
        await uow.close()


RegisterDep = Annotated[Register, Depends(register_service)]


# Who may call each operation, as the service's checks have it (the OpenAPI document lists them; shared/callers.py).
# access.require_register_keeper: the school's own staff.
REGISTER_KEEPERS = callers(access.REGISTER_KEEPERS, "their own school's registers")
# leave.decide: a register keeper whom the proprietor authorises (REGISTER_LEAVE_DECIDER_ROLES).
LEAVE_DECIDERS = callers((), "their own school; the roles the proprietor authorises (REGISTER_LEAVE_DECIDER_ROLES)",
                         resolve=lambda: [r for r in RegisterSettings().leave_decider_roles
                                          if r in access.REGISTER_KEEPERS], services=False)
# school_duties.require_la_officer: an education welfare officer of the school's LA.
LA_CONTACT_NAMERS = callers({Role.LA_EWO}, "the school's own LA")
# The list of schools refuses nobody: each sees the schools whose figures they may see (can_see_school_figures).
SCHOOL_LIST = callers(PERSON_ROLES, "each sees the schools whose figures they may see: their own for school staff "
                                    "and governors, their LA's for LA officers and the virtual school head, none "
                                    "for a social worker")
# school_figures.la_figures: the LA's officers and its virtual school head.
LA_FIGURES = callers(LA_ROLES | {Role.VIRTUAL_SCHOOL_HEAD}, "their own LA")


# Writes check who may write before FastAPI validates the body: a caller outside the school hears 403, never
# which fields the body lacks.
@checked_by(REGISTER_KEEPERS)
async def kept_school(urn: Urn, identity: CurrentIdentity, reg: RegisterDep) -> School:
    """The school in the path, if the caller keeps its registers."""
    school = await admissions.school_or_404(reg, urn)
    access.require_register_keeper(identity, school)
    return school


@checked_by(REGISTER_KEEPERS)
async def kept_pupil(pupil_id: uuid.UUID, identity: CurrentIdentity, reg: RegisterDep) -> tuple[Pupil, School]:
    """The pupil in the path and their school, if the caller keeps that school's registers."""
    pupil, school = await admissions.readable_pupil(reg, identity, pupil_id)
    access.require_register_keeper(identity, school)
    return pupil, school


KeptSchool = Annotated[School, Depends(kept_school)]
KeptPupil = Annotated[tuple[Pupil, School], Depends(kept_pupil)]
