"""Queries for leave of absence requests and part-time timetable agreements."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import select

from services.register.domain.leave import LeaveStatus
from services.register.models import LeaveRequest, PartTimeTimetable, Pupil
from shared.unit_of_work import Db


async def leave_requests_of(db: Db, pupil_id: uuid.UUID) -> Sequence[LeaveRequest]:
    return (await db.scalars(select(LeaveRequest).where(LeaveRequest.pupil_id == pupil_id)
                                  .order_by(LeaveRequest.start_date, LeaveRequest.recorded_at))).all()


async def get_leave_request(db: Db, leave_id: uuid.UUID) -> LeaveRequest | None:
    return await db.get(LeaveRequest, leave_id)


async def leave_covering(db: Db, pupil_ids: Iterable[uuid.UUID], day: date,
                         status: LeaveStatus) -> list[LeaveRequest]:
    """Requests in a status whose dates hold the day (sessions are checked by the caller)."""
    ids = list(set(pupil_ids))
    found: list[LeaveRequest] = []
    for start in range(0, len(ids), 500):
        found += (await db.scalars(select(LeaveRequest).where(
            LeaveRequest.pupil_id.in_(ids[start:start + 500]), LeaveRequest.status == status.value,
            LeaveRequest.start_date <= day, LeaveRequest.end_date >= day))).all()
    return found


async def granted_leave_in_school(db: Db, school_urn: str, day: date) -> list[LeaveRequest]:
    """Granted leave of pupils still on the school's roll whose dates hold the day."""
    return list((await db.scalars(select(LeaveRequest).join(Pupil, Pupil.id == LeaveRequest.pupil_id).where(
        LeaveRequest.school_urn == school_urn, LeaveRequest.status == LeaveStatus.GRANTED.value,
        LeaveRequest.start_date <= day, LeaveRequest.end_date >= day, Pupil.on_roll.is_(True)))).all())


async def last_granted_leave_ended_before(db: Db, pupil_id: uuid.UUID,
                                          day: date) -> LeaveRequest | None:
    return await db.scalar(select(LeaveRequest).where(
        LeaveRequest.pupil_id == pupil_id, LeaveRequest.status == LeaveStatus.GRANTED.value,
        LeaveRequest.end_date < day).order_by(LeaveRequest.end_date.desc()).limit(1))


async def part_time_timetables_of(db: Db, pupil_id: uuid.UUID) -> Sequence[PartTimeTimetable]:
    return (await db.scalars(select(PartTimeTimetable).where(PartTimeTimetable.pupil_id == pupil_id)
                                  .order_by(PartTimeTimetable.start_date, PartTimeTimetable.recorded_at))).all()


async def get_part_time_timetable(db: Db, agreement_id: uuid.UUID) -> PartTimeTimetable | None:
    return await db.get(PartTimeTimetable, agreement_id)


async def part_time_covering(db: Db, pupil_ids: Iterable[uuid.UUID],
                             day: date) -> dict[uuid.UUID, list[PartTimeTimetable]]:
    """Agreements whose dates hold the day, by pupil (weekday and session are checked by the caller)."""
    ids = list(set(pupil_ids))
    found: dict[uuid.UUID, list[PartTimeTimetable]] = {}
    for start in range(0, len(ids), 500):
        rows = await db.scalars(select(PartTimeTimetable).where(
            PartTimeTimetable.pupil_id.in_(ids[start:start + 500]), PartTimeTimetable.start_date <= day,
            PartTimeTimetable.end_date >= day))
        for row in rows:
            found.setdefault(row.pupil_id, []).append(row)
    return found


async def running_part_time_timetables(db: Db, school_urn: str,
                                       today: date) -> list[tuple[PartTimeTimetable, Pupil]]:
    """Agreements of pupils on the school's roll that have not yet ended, soonest review first."""
    rows = await db.execute(select(PartTimeTimetable, Pupil).join(Pupil, Pupil.id == PartTimeTimetable.pupil_id)
                                 .where(PartTimeTimetable.school_urn == school_urn,
                                        PartTimeTimetable.end_date >= today, Pupil.on_roll.is_(True))
                                 .order_by(PartTimeTimetable.review_date, PartTimeTimetable.id))
    return [(agreement, pupil) for agreement, pupil in rows]
