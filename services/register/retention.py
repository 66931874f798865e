"""The register's retention job (rules.md s3 [H]: every entry is kept at least 6 years from its date).

A pupil's admission register entry goes, with everything hung on it (marks and their amendments, contacts,
deletions, leave requests, part-time timetables, tallies, outbox events), only when the pupil left more than the
retention period before `as_of` AND every entry about them is older than the period: a mark corrected later is an
entry of that later date, so one recent entry keeps the whole pupil. A pupil still on roll keeps their history.
The cut-off is `as_of` less `REGISTER_RETENTION_YEARS` (never less than 6): an entry dated on the cut-off stays.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

from sqlalchemy import Delete, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

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
from shared import clock
from shared.contracts.retention import REGISTER_MINIMUM_YEARS, years_before
from shared.retention import Removal, delete_counting

KINDS = ("admissions", "contacts", "marks", "amendments", "deletions", "leave_requests", "part_time_timetables",
         "prior_attendance")


def start_of(day: date) -> datetime:
    """The first moment of an English day: a moment before it is an entry of an earlier day."""
    return datetime.combine(day, time(), clock.ENGLAND)


async def _latest(session: AsyncSession, column: object, where: object) -> datetime | None:
    return await session.scalar(select(func.max(column)).where(where))  # type: ignore[arg-type]


async def _all_entries_before(session: AsyncSession, pupil: Pupil, cut: datetime) -> bool:
    moments = [pupil.updated_at, pupil.created_at,
               await _latest(session, AttendanceMark.recorded_at, AttendanceMark.pupil_id == pupil.id),
               await _latest(session, MarkAmendment.amended_at, MarkAmendment.mark_id.in_(
                   select(AttendanceMark.id).where(AttendanceMark.pupil_id == pupil.id))),
               await _latest(session, PupilDeletion.recorded_at, PupilDeletion.pupil_id == pupil.id),
               await _latest(session, AttendanceMark.session_date, AttendanceMark.pupil_id == pupil.id)]
    for moment in moments:
        if moment is None:
            continue
        if isinstance(moment, datetime):
            if moment.tzinfo is None:  # SQLite hands back naive UTC
                moment = moment.replace(tzinfo=UTC)
            if moment >= cut:
                return False
        elif isinstance(moment, date) and moment >= cut.date():
            return False
    return True


async def run_register_retention(session: AsyncSession, as_of: date, pupil_ids: list[uuid.UUID] | None, *,
                                 years: int) -> Removal:
    if years < REGISTER_MINIMUM_YEARS:  # the setting refuses it too; a caller building its own must not slip
        raise ValueError(f"Register entries are kept at least {REGISTER_MINIMUM_YEARS} years.")
    cutoff = years_before(as_of, years)
    removal = Removal(cutoffs={"register_entries": cutoff}, removed=dict.fromkeys(KINDS, 0))
    query = select(Pupil).where(Pupil.on_roll.is_(False), Pupil.leaving_date.is_not(None),
                                Pupil.leaving_date < cutoff, Pupil.admission_date < cutoff)
    if pupil_ids is not None:
        query = query.where(Pupil.id.in_(pupil_ids))
    cut = start_of(cutoff)
    for pupil in (await session.scalars(query)).all():
        if not await _all_entries_before(session, pupil, cut):
            continue
        await _remove_pupil(session, pupil.id, removal.removed)
    return removal


async def _remove_pupil(session: AsyncSession, pupil_id: uuid.UUID, counts: dict[str, int]) -> None:
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
        count = await delete_counting(session, statement)
        if kind is not None:
            counts[kind] += count
