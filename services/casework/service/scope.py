"""The case files a caller may read: governors none (figures only), everyone else those in their scope."""

from __future__ import annotations

from uuid import UUID

from services.casework import repository
from services.casework.exceptions import AggregateFiguresOnly, CaseNotFound
from services.casework.models import CaseFile
from services.casework.service.context import Casework
from shared.auth import Identity, Role


def reject_governors(identity: Identity) -> None:
    if identity.role is Role.GOVERNOR:
        raise AggregateFiguresOnly("Governors see their school's aggregate figures, not pupils' records.")


async def visible_case(cw: Casework, identity: Identity, pupil_id: UUID) -> CaseFile:
    reject_governors(identity)
    async with cw.sessions() as session:
        case = await repository.get_case(session, pupil_id)
    if case is None:
        raise CaseNotFound("There is no case file for this pupil.")
    identity.require_pupil(pupil_id=case.pupil_id, school_urn=case.school_urn, la_code=case.la_code,
                           looked_after=case.looked_after)
    return case
