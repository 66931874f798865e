"""Attendance marks, their amendments, and the figures and N-mark views read from them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Date, Integer, String, Table, Uuid, bindparam, insert, or_, select, text
from sqlalchemy.dialects import postgresql

from services.register.models import (
    AttendanceMark,
    MarkAmendment,
    OutboxEvent,
    Pupil,
)
from services.register.repository.batches import among, is_postgres
from shared.db import UtcDateTime
from shared.unit_of_work import Db

_marks = cast(Table, AttendanceMark.__table__)


async def marks_for_session(db: Db, pupil_ids: Iterable[uuid.UUID], session_date: date,
                            session_name: str) -> dict[uuid.UUID, AttendanceMark]:
    found: dict[uuid.UUID, AttendanceMark] = {}
    for condition in among(db, AttendanceMark.pupil_id, pupil_ids):
        rows = await db.scalars(select(AttendanceMark).where(
            condition, AttendanceMark.session_date == session_date, AttendanceMark.session == session_name))
        found.update({m.pupil_id: m for m in rows})
    return found


async def session_codes(db: Db, pupil_ids: Iterable[uuid.UUID], session_date: date,
                        session_name: str) -> dict[uuid.UUID, tuple[str, int | None]]:
    """(code, minutes late) of the marks these pupils already have for the session, without loading entities."""
    found: dict[uuid.UUID, tuple[str, int | None]] = {}
    for condition in among(db, _marks.c.pupil_id, pupil_ids):
        rows = await db.execute(select(_marks.c.pupil_id, _marks.c.code, _marks.c.minutes_late).where(
            condition, _marks.c.session_date == session_date, _marks.c.session == session_name))
        found.update({pupil_id: (code, late) for pupil_id, code, late in rows})
    return found


async def insert_marks(db: Db, rows: list[dict[str, Any]]) -> None:
    """Bulk insert of complete mark rows of any sessions (the demo's history); one statement per chunk."""
    for start in range(0, len(rows), 2000):
        await db.execute(insert(_marks), rows[start:start + 2000])


@dataclass(frozen=True)
class Recorder:
    """Who wrote a session's new entries, and when: the same for every mark of a request."""

    name: str
    position: str
    at: datetime


# A whole session in one statement on PostgreSQL: the varying columns travel as three arrays, so the statement is
# short, prepared once and never parsed per row (an executemany sends a statement per mark), and the database draws
# the random ids (gen_random_uuid, PostgreSQL 13 on) rather than Python drawing and sending a thousand of them.
_INSERT_UNNEST = text(
    "INSERT INTO attendance_mark (id, pupil_id, school_urn, session_date, session, code, minutes_late,"
    " recorded_by_name, recorded_by_role, recorded_at, amendment_count)"
    " SELECT gen_random_uuid(), m.pupil_id, :school_urn, :session_date, :session, m.code, m.minutes_late,"
    " :recorded_by_name, :recorded_by_role, :recorded_at, 0"
    " FROM unnest(:pupil_ids, :codes, :minutes_late) AS m(pupil_id, code, minutes_late)"
).bindparams(bindparam("pupil_ids", type_=postgresql.ARRAY(Uuid)), bindparam("codes", type_=postgresql.ARRAY(String)),
             bindparam("minutes_late", type_=postgresql.ARRAY(Integer)),
             bindparam("session_date", type_=Date), bindparam("recorded_at", type_=UtcDateTime()))


async def insert_session_marks(db: Db, school_urn: str, session_date: date, session_name: str, recorder: Recorder,
                               marks: Sequence[tuple[uuid.UUID, str, int | None]]) -> None:
    """New current entries, (pupil, code, minutes late) each, for one session of one school."""
    if not marks:
        return
    if is_postgres(db):
        pupil_ids, codes, late = (list(column) for column in zip(*marks, strict=True))
        await db.execute(_INSERT_UNNEST, {
            "pupil_ids": pupil_ids, "codes": codes, "minutes_late": late, "school_urn": school_urn,
            "session_date": session_date, "session": session_name, "recorded_by_name": recorder.name,
            "recorded_by_role": recorder.position, "recorded_at": recorder.at})
        return
    await db.execute(insert(_marks), [
        {"id": uuid.uuid4(), "pupil_id": pupil_id, "school_urn": school_urn, "session_date": session_date,
         "session": session_name, "code": code, "minutes_late": late, "recorded_by_name": recorder.name,
         "recorded_by_role": recorder.position, "recorded_at": recorder.at, "amendment_count": 0}
        for pupil_id, code, late in marks])


async def get_mark(db: Db, pupil_id: uuid.UUID, session_date: date,
                   session_name: str) -> AttendanceMark | None:
    return await db.scalar(select(AttendanceMark).where(
        AttendanceMark.pupil_id == pupil_id, AttendanceMark.session_date == session_date,
        AttendanceMark.session == session_name))


async def amendments_of(db: Db, mark_id: uuid.UUID) -> Sequence[MarkAmendment]:
    return (await db.scalars(select(MarkAmendment).where(MarkAmendment.mark_id == mark_id)
                                  .order_by(MarkAmendment.amended_at, MarkAmendment.id))).all()


async def marks_between(db: Db, pupil_id: uuid.UUID, from_date: date,
                        to_date: date) -> Sequence[AttendanceMark]:
    return (await db.scalars(select(AttendanceMark).where(
        AttendanceMark.pupil_id == pupil_id, AttendanceMark.session_date >= from_date,
        AttendanceMark.session_date <= to_date).order_by(AttendanceMark.session_date, AttendanceMark.session))).all()

async def marks_for_pupils_between(db: Db, pupil_ids: Iterable[uuid.UUID], from_date: date,
                                   to_date: date) -> dict[uuid.UUID, list[tuple[date, str, str]]]:
    """(date, session, code) of each pupil's marks in the range, in order."""
    ids = set(pupil_ids)
    found: dict[uuid.UUID, list[tuple[date, str, str]]] = {i: [] for i in ids}
    for condition in among(db, _marks.c.pupil_id, ids):
        rows = await db.execute(
            select(_marks.c.pupil_id, _marks.c.session_date, _marks.c.session, _marks.c.code)
            .where(condition, _marks.c.session_date >= from_date, _marks.c.session_date <= to_date)
            .order_by(_marks.c.session_date, _marks.c.session))
        for pupil_id, day, name, code in rows:
            found[pupil_id].append((day, name, code))
    return found


async def marks_with_code(db: Db, school_urn: str, code: str,
                          up_to: date) -> Sequence[AttendanceMark]:
    return (await db.scalars(select(AttendanceMark).join(Pupil, Pupil.id == AttendanceMark.pupil_id).where(
        AttendanceMark.school_urn == school_urn, AttendanceMark.code == code, AttendanceMark.session_date <= up_to,
        Pupil.on_roll.is_(True)).order_by(AttendanceMark.session_date, AttendanceMark.session))).all()

async def school_marks_between(db: Db, school_urn: str, from_date: date,
                               to_date: date) -> list[tuple[uuid.UUID, date, str, str]]:
    """(pupil, date, session, code) of every current mark the school recorded in the range, in order."""
    rows = await db.execute(
        select(AttendanceMark.pupil_id, AttendanceMark.session_date, AttendanceMark.session, AttendanceMark.code)
        .where(AttendanceMark.school_urn == school_urn, AttendanceMark.session_date >= from_date,
               AttendanceMark.session_date <= to_date)
        .order_by(AttendanceMark.pupil_id, AttendanceMark.session_date, AttendanceMark.session))
    return [(pupil_id, day, name, code) for pupil_id, day, name, code in rows]

async def codes_in_range(db: Db, school_urns: Iterable[str], from_date: date,
                         to_date: date) -> dict[uuid.UUID, list[str]]:
    """Every current mark's code per pupil at these schools in a date range (figures for any range)."""
    rows = await db.execute(select(AttendanceMark.pupil_id, AttendanceMark.code).where(
        AttendanceMark.school_urn.in_(list(school_urns)), AttendanceMark.session_date >= from_date,
        AttendanceMark.session_date <= to_date))
    codes: dict[uuid.UUID, list[str]] = {}
    for pupil_id, code in rows.all():
        codes.setdefault(pupil_id, []).append(code)
    return codes


# --- N marks for the LA's compliance view (returns) ------------------------------------------------------

def _carried_code(school_urn: str, code: str, from_date: date, to_date: date) -> list[ColumnElement[bool]]:
    """The school's marks in the range whose code is, or at some time was, this code (as recorded or amended)."""
    amended = (select(MarkAmendment.id)
               .where(MarkAmendment.mark_id == AttendanceMark.id,
                      or_(MarkAmendment.original_code == code, MarkAmendment.new_code == code))
               .correlate(AttendanceMark).exists())
    return [AttendanceMark.school_urn == school_urn, AttendanceMark.session_date >= from_date,
            AttendanceMark.session_date <= to_date, or_(AttendanceMark.code == code, amended)]


async def marks_that_carried(db: Db, school_urn: str, code: str, from_date: date,
                             to_date: date) -> list[tuple[AttendanceMark, list[MarkAmendment]]]:
    """Every mark of the school in the range that carried the code at some time, with all its amendments
    (oldest first), in db order: one query however many marks."""
    rows = await db.execute(
        select(AttendanceMark, MarkAmendment)
        .outerjoin(MarkAmendment, MarkAmendment.mark_id == AttendanceMark.id)
        .where(*_carried_code(school_urn, code, from_date, to_date))
        .order_by(AttendanceMark.session_date, AttendanceMark.session, AttendanceMark.pupil_id, AttendanceMark.id,
                  MarkAmendment.amended_at, MarkAmendment.id))
    found: dict[uuid.UUID, tuple[AttendanceMark, list[MarkAmendment]]] = {}
    for mark, amendment in rows:
        _, amendments = found.setdefault(mark.id, (mark, []))
        if amendment is not None:
            amendments.append(amendment)
    return list(found.values())


async def session_events_of_marks_that_carried(db: Db, event_type: str, school_urn: str, code: str,
                                               from_date: date, to_date: date) -> Sequence[OutboxEvent]:
    """Outbox events of this type about a session in the range, for pupils whose marks there carried the code
    (oldest first)."""
    pupils = select(AttendanceMark.pupil_id).where(*_carried_code(school_urn, code, from_date, to_date))
    # ISO dates compare as strings, in SQLite's JSON and PostgreSQL's alike.
    session_day = OutboxEvent.payload["session_date"].as_string()
    return (await db.scalars(select(OutboxEvent).where(
        OutboxEvent.event_type == event_type, OutboxEvent.pupil_id.in_(pupils),
        session_day >= from_date.isoformat(), session_day <= to_date.isoformat())
        .order_by(OutboxEvent.created_at, OutboxEvent.sequence))).all()
