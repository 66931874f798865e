"""The pupil page: who the pupil is (from register), their figures and recent marks, and their case if one
is open. A pupil without a case can be seen too, within scope."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from uuid import UUID

from services.casework import repository
from services.casework.schemas import PupilView
from services.casework.service.audit import audit
from services.casework.service.cases import optional, require_caseworker_or_reader, summary
from services.casework.service.context import Casework
from shared import clock
from shared.auth import Identity
from shared.contracts.register import PupilSummary
from shared.errors import DependencyUnavailable, NotFound
from shared.http import ServiceCallFailed


async def _pupil(cw: Casework, pupil_id: UUID) -> PupilSummary:
    try:
        return await asyncio.wait_for(cw.register.pupil_summary(pupil_id), cw.settings.upstream_timeout_seconds)
    except ServiceCallFailed as exc:
        if exc.status == 404:
            raise NotFound("Register does not know this pupil.") from exc
        raise DependencyUnavailable("Register is unavailable, so the pupil cannot be shown.") from exc
    except TimeoutError as exc:
        raise DependencyUnavailable("Register did not answer in time, so the pupil cannot be shown.") from exc


async def pupil_view(cw: Casework, identity: Identity, pupil_id: UUID) -> PupilView:
    """The pupil's record as register holds it, within the caller's scope (checked on register's answer)."""
    require_caseworker_or_reader(identity)
    pupil = await _pupil(cw, pupil_id)
    identity.require_pupil(pupil_id=pupil_id, school_urn=pupil.school_urn, la_code=pupil.la_code,
                           looked_after=pupil.flags.looked_after)
    missing: list[str] = []
    wait = cw.settings.upstream_timeout_seconds
    recent = clock.today() - timedelta(days=cw.settings.recent_marks_days)
    figures, marks = await asyncio.gather(
        optional("figures", cw.register.pupil_figures(pupil_id), missing, wait),
        optional("recent marks", cw.register.pupil_marks(pupil_id, from_date=recent), missing, wait))
    async with cw.uow.transaction() as db:
        case = await repository.get_case(db, pupil_id)
        await repository.add_audit(
            db, actor_subject=identity.subject, actor_name=identity.name, actor_role=identity.role.value,
            access="read", what="pupil_record", pupil_id=pupil_id, school_urn=pupil.school_urn,
            la_code=pupil.la_code, details=None)
        if case is not None:
            await audit(db, identity, "read", "pupil_case_summary", case)
    return PupilView(pupil=pupil, case=summary(case) if case else None, figures=figures,
                     recent_marks=marks[-40:] if marks else marks, unavailable=missing)
