"""The retention job's queries: leavers past the cut-off, the latest entry about each, and removing a pupil."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Delete, delete, func, select

from services.register.models import (
    AttendanceMark,
    LeaveRequest,
    MarkAmendment,
    OutboxEvent,
    PartTimeTimetable,
    PriorAttendance,
    Pupil,
    PupilContact,
    PupilDeletion,
    PupilTally,
)
from shared.retention import delete_counting
from shared.unit_of_work import Db


async def leavers_before(db: Db, cutoff: date, pupil_ids: list[uuid.UUID] | None) -> Sequence[Pupil]:
    """Pupils off roll who were admitted and left before the cut-off (of those named, when pupil_ids is given)."""
    query = select(Pupil).where(Pupil.on_roll.is_(False), Pupil.leaving_date.is_not(None),
                                Pupil.leaving_date < cutoff, Pupil.admission_date < cutoff)
    if pupil_ids is not None:
        query = query.where(Pupil.id.in_(pupil_ids))
    return (await db.scalars(query)).all()


async def _latest(db: Db, column: object, where: object) -> datetime | None:
    return await db.scalar(select(func.max(column)).where(where))  # type: ignore[arg-type]


async def latest_entries(db: Db, pupil: Pupil) -> list[datetime | date | None]:
    """When each kind of entry about the pupil was last made (None where there is none)."""
    return [pupil.updated_at, pupil.created_at,
            await _latest(db, AttendanceMark.recorded_at, AttendanceMark.pupil_id == pupil.id),
            await _latest(db, MarkAmendment.amended_at, MarkAmendment.mark_id.in_(
                select(AttendanceMark.id).where(AttendanceMark.pupil_id == pupil.id))),
            await _latest(db, PupilDeletion.recorded_at, PupilDeletion.pupil_id == pupil.id),
            await _latest(db, AttendanceMark.session_date, AttendanceMark.pupil_id == pupil.id)]


async def remove_pupil(db: Db, pupil_id: uuid.UUID, counts: dict[str, int]) -> None:
    """Delete the pupil and everything hung on them, adding what went to `counts` by kind."""
    marks = select(AttendanceMark.id).where(AttendanceMark.pupil_id == pupil_id)
    steps: list[tuple[str | None, Delete]] = [
        ("amendments", delete(MarkAmendment).where(MarkAmendment.mark_id.in_(marks))),
        ("marks", delete(AttendanceMark).where(AttendanceMark.pupil_id == pupil_id)),
        ("contacts", delete(PupilContact).where(PupilContact.pupil_id == pupil_id)),
        ("deletions", delete(PupilDeletion).where(PupilDeletion.pupil_id == pupil_id)),
        ("leave_requests", delete(LeaveRequest).where(LeaveRequest.pupil_id == pupil_id)),
        ("part_time_timetables", delete(PartTimeTimetable).where(PartTimeTimetable.pupil_id == pupil_id)),
        ("prior_attendance", delete(PriorAttendance).where(PriorAttendance.pupil_id == pupil_id)),
        (None, delete(PupilTally).where(PupilTally.pupil_id == pupil_id)),
        (None, delete(OutboxEvent).where(OutboxEvent.pupil_id == pupil_id)),
        ("admissions", delete(Pupil).where(Pupil.id == pupil_id)),
    ]
    for kind, statement in steps:
        count = await delete_counting(db, statement)
        if kind is not None:
            counts[kind] += count
