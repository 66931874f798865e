"""The case files a caller may read: governors none (figures only), everyone else those in their scope."""

from __future__ import annotations

from uuid import UUID

from services.casework import repository
from services.casework.exceptions import AggregateFiguresOnly, CaseNotFound
from services.casework.models import CaseFile
from services.casework.service.context import Casework
from shared.auth import LA_ROLES, Identity, Role
from shared.contracts.journey import Stage
from shared.errors import InvalidInput


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


async def check_case_filters(cw: Casework, identity: Identity, *, stage: str | None, school_urn: str | None) -> None:
    """A filter that can match nothing is named, not quietly answered with an empty list: an unknown stage, or a
    school that is not among those the caller can see (the same answer for one that does not exist)."""
    if stage is not None and stage not in {s.value for s in Stage}:
        raise InvalidInput(f"There is no stage {stage!r}.", field="stage")
    if not school_urn:
        return
    visible = set(identity.scope.school_urns)
    if not visible:
        schools = await cw.schools.schools()
        # Without register's list (it did not answer) the filter is applied as given.
        visible = {s.urn for s in schools if identity.role not in LA_ROLES or s.la_code == identity.scope.la_code}
        if not schools:
            return
    if school_urn not in visible:
        raise InvalidInput("There is no school with this URN among the schools you can see.", field="school")
