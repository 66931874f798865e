"""The case file follows the child. Register gives every admission a new pupil id; when it admits a child whose
earlier admission in the same LA (the same UPN, which register matches and casework never sees here) has a case
file, the new admission continues that case: the same journey with its history, notices, contract and plans, now
at the new school. The new school gains the case; each earlier school keeps read-only access to the case as it
stood when the pupil moved on (scope.py)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from services.casework import repository
from services.casework.models import CaseFile
from shared.contracts.register import RegisterEvent, RegisterEventType
from shared.db import utcnow
from shared.unit_of_work import Db


def _earlier_admission_ids(details: dict[str, Any]) -> list[uuid.UUID]:
    """Register lists the child's earlier admissions latest first; anything malformed is skipped, not fatal."""
    found: list[uuid.UUID] = []
    earlier = details.get("earlier_admissions")
    for item in earlier if isinstance(earlier, list) else []:
        try:
            found.append(uuid.UUID(str(item.get("pupil_id"))))
        except (AttributeError, ValueError):
            continue
    return found


async def case_id_for(db: Db, admission_pupil_id: uuid.UUID) -> uuid.UUID:
    """The case file an admission's events belong to: the one it continues, else its own."""
    return await repository.case_id_for_admission(db, admission_pupil_id) or admission_pupil_id


async def _case_to_continue(db: Db, event: RegisterEvent) -> CaseFile | None:
    for earlier in _earlier_admission_ids(event.details):
        case = await repository.get_case(db, await case_id_for(db, earlier), for_update=True)
        # A case in another LA is that LA's record: the child starts afresh here (the notice ledger still counts
        # the notices of every LA it knows of).
        if case is not None and case.la_code == event.pupil.la_code:
            return case
    return None


async def case_for_event(db: Db, event: RegisterEvent) -> uuid.UUID:
    """The case an event belongs to; an admission of a child whose earlier admission has a case joins it now."""
    admission = event.pupil.pupil_id
    linked = await repository.case_id_for_admission(db, admission)
    if linked is not None or event.event_type is not RegisterEventType.PUPIL_ADMITTED:
        return linked or admission
    case = await _case_to_continue(db, event)
    if case is None or case.pupil_id == admission:
        return admission
    await follow(db, case, admission, event.pupil.school_urn, event.occurred_at)
    return case.pupil_id


async def follow(db: Db, case: CaseFile, admission: uuid.UUID, school_urn: str,
                 moment: datetime) -> None:
    """Move the case on to a new admission: earlier schools keep what was recorded up to this moment."""
    await repository.add_case_admission(db, {
        "admission_pupil_id": case.pupil_id, "case_pupil_id": case.pupil_id, "school_urn": case.school_urn,
        "joined_at": case.opened_at, "left_at": None})
    await repository.leave_case_admissions(db, case.pupil_id, moment)
    await repository.add_case_admission(db, {
        "admission_pupil_id": admission, "case_pupil_id": case.pupil_id, "school_urn": school_urn,
        "joined_at": moment, "left_at": None})
    moved_from = case.school_urn
    case.admission_pupil_id, case.school_urn = admission, school_urn
    title = (f"Readmitted to school {school_urn}: the case continues" if moved_from == school_urn
             else f"The case followed the pupil from school {moved_from} to school {school_urn}")
    await repository.add_timeline_entries(db, case.pupil_id, [{
        "entry_key": f"admission:{admission}", "kind": "case_followed", "title": title,
        "occurred_at": moment, "actor": "Register", "recorded_at": utcnow(),
        "details": {"from_school_urn": moved_from, "to_school_urn": school_urn}}])
