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
from shared.auth import CurrentIdentity
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


# Writes check who may write before FastAPI validates the body: a caller outside the school hears 403, never
# which fields the body lacks.
async def kept_school(urn: Urn, identity: CurrentIdentity, reg: RegisterDep) -> School:
    """The school in the path, if the caller keeps its registers."""
    school = await admissions.school_or_404(reg, urn)
    access.require_register_keeper(identity, school)
    return school


async def kept_pupil(pupil_id: uuid.UUID, identity: CurrentIdentity, reg: RegisterDep) -> tuple[Pupil, School]:
    """The pupil in the path and their school, if the caller keeps that school's registers."""
    pupil, school = await admissions.readable_pupil(reg, identity, pupil_id)
    access.require_register_keeper(identity, school)
    return pupil, school


KeptSchool = Annotated[School, Depends(kept_school)]
KeptPupil = Annotated[tuple[Pupil, School], Depends(kept_pupil)]
