"""The case files a caller may read: governors none (figures only), everyone else those in their scope. A case that
followed the pupil to another school is the new school's; each earlier school may still read it as it stood when
the pupil moved on, and take no step (service/transfers.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from services.casework import repository
from services.casework.exceptions import AggregateFiguresOnly, CaseNotFound, EarlierSchoolReadOnly
from services.casework.models import CaseAdmission, CaseFile
from services.casework.service.context import Casework
from shared.auth import LA_ROLES, Identity, Role
from shared.contracts.journey import Stage
from shared.errors import InvalidInput


def reject_governors(identity: Identity) -> None:
    if identity.role is Role.GOVERNOR:
        raise AggregateFiguresOnly("Governors see their school's aggregate figures, not pupils' records.")


@dataclass(frozen=True)
class CaseAccess:
    case: CaseFile
    # For an earlier school: the moment the case moved on from it, after which it sees nothing.
    read_only_until: datetime | None = None
    admission_ids: tuple[UUID, ...] = ()
    # The admissions the case followed, as read for the check (the case file lists them).
    admissions: tuple[CaseAdmission, ...] = ()


def _may_act(identity: Identity, case: CaseFile, admissions: list[CaseAdmission]) -> bool:
    # Register allocates a social worker to the admission the pupil is on, which may have joined this case.
    return any(identity.can_see_pupil(pupil_id=pupil_id, school_urn=case.school_urn, la_code=case.la_code,
                                      looked_after=case.looked_after)
               for pupil_id in {case.pupil_id, *(a.admission_pupil_id for a in admissions)})


def _earlier_school_until(identity: Identity, case: CaseFile, admissions: list[CaseAdmission]) -> datetime | None:
    left = [a.left_at for a in admissions if a.left_at is not None
            and identity.can_see_pupil(pupil_id=a.admission_pupil_id, school_urn=a.school_urn, la_code=case.la_code)]
    return max(left) if left else None


async def case_access(cw: Casework, identity: Identity, pupil_id: UUID) -> CaseAccess:
    """The case file of this pupil id (the case's own, or an admission that continued it) as this caller may
    read it; 403 out of scope, as before."""
    reject_governors(identity)
    async with cw.uow.reading() as db:
        case = await repository.get_case(db, pupil_id)
        if case is None and (followed := await repository.case_id_for_admission(db, pupil_id)) is not None:
            case = await repository.get_case(db, followed)
        admissions = await repository.case_admissions(db, case.pupil_id) if case is not None else []
    if case is None:
        raise CaseNotFound("There is no case file for this pupil.")
    ids = tuple(a.admission_pupil_id for a in admissions) or (case.pupil_id,)
    if _may_act(identity, case, admissions):
        return CaseAccess(case, admission_ids=ids, admissions=tuple(admissions))
    if (until := _earlier_school_until(identity, case, admissions)) is not None:
        return CaseAccess(case, read_only_until=until, admission_ids=ids, admissions=tuple(admissions))
    identity.require_pupil(pupil_id=case.pupil_id, school_urn=case.school_urn, la_code=case.la_code,
                           looked_after=case.looked_after)
    return CaseAccess(case, admission_ids=ids, admissions=tuple(admissions))


async def visible_case(cw: Casework, identity: Identity, pupil_id: UUID) -> CaseFile:
    """The case file for a caller who may work on it (an earlier school may only read it)."""
    access = await case_access(cw, identity, pupil_id)
    if access.read_only_until is not None:
        raise EarlierSchoolReadOnly("The pupil has moved on from your school: the case is now the new school's. "
                                    "You can read it as it stood when the pupil left, but take no step.")
    return access.case


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
