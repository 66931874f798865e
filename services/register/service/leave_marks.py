"""What leave of absence means when a session's register is taken: granted leave pre-fills its code for pupils
not yet marked, and G for a session of refused leave tells casework the leave was taken anyway."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import date

from services.register import repository
from services.register.domain.leave import HOLIDAY_NOT_GRANTED_CODE, LeavePeriod, LeaveStatus
from services.register.domain.sessions import Session
from services.register.models import LeaveRequest, Pupil, School
from services.register.service import events
from shared.contracts.register import PupilSummary, RegisterEventType, SessionName
from shared.db import utcnow
from shared.unit_of_work import Db

SUPPORT_NOT_APPROPRIATE = (
    "Leave was refused and taken anyway: a term-time holiday is not an exceptional circumstance, and support is "
    "not the appropriate response; the case follows the penalty route.")


def period_of(row: LeaveRequest) -> LeavePeriod:
    return LeavePeriod(row.start_date, Session(row.start_session), row.end_date, Session(row.end_session))


async def leave_to_prefill(db: Db, school: School, day: date, session_name: str,
                           exclude: set[uuid.UUID]) -> list[tuple[Pupil, str]]:
    """Pupils on granted leave for the session, not in the request and not yet marked, with the leave's code."""
    granted = [r for r in await repository.leave.granted_leave_in_school(db, school.urn, day)
               if r.pupil_id not in exclude and period_of(r).covers(day, session_name)]
    if not granted:
        return []
    marked = await repository.marks.marks_for_session(db, (r.pupil_id for r in granted), day, session_name)
    pupils = await repository.pupils.pupils_by_id(db, (r.pupil_id for r in granted if r.pupil_id not in marked))
    found: dict[uuid.UUID, tuple[Pupil, str]] = {}
    for row in granted:
        pupil = pupils.get(row.pupil_id)
        if pupil is not None and pupil.admission_date <= day and row.pupil_id not in found:
            found[row.pupil_id] = (pupil, row.code)
    return list(found.values())


async def report_refused_leave_taken(db: Db, written: Iterable[tuple[Pupil, str]], day: date,
                                     session_name: SessionName | str,
                                     summary_of: Callable[[Pupil], PupilSummary]) -> None:
    """One event per refused request the first time a G lands inside it (not one per session of the holiday)."""
    holiday = {p.id: p for p, code in written if code == HOLIDAY_NOT_GRANTED_CODE}
    if not holiday:
        return
    refused = await repository.leave.leave_covering(db, holiday, day, LeaveStatus.REFUSED)
    for row in refused:
        if row.taken_reported_at is not None or not period_of(row).covers(day, session_name):
            continue
        row.taken_reported_at = utcnow()
        events.emit(db, RegisterEventType.REFUSED_LEAVE_TAKEN, summary_of(holiday[row.pupil_id]),
                    session_date=day, session=session_name, code=HOLIDAY_NOT_GRANTED_CODE, details={
                        "leave_request_id": str(row.id), "ground": row.ground,
                        "leave_start_date": row.start_date.isoformat(), "leave_end_date": row.end_date.isoformat(),
                        "refused_by": row.decided_by_name, "support_appropriate": False,
                        "route": "penalty", "note": SUPPORT_NOT_APPROPRIATE})
