"""A child's register for the penalty window, which spans terms, school years and schools (rules.md s11): their
marks across their admissions in the LA (the same UPN), each week on the calendar of the school they were at."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from services.register import repository
from services.register.domain.calendar import Timetable
from services.register.domain.sessions import Mark, Session
from services.register.models import Pupil, School
from services.register.repository.history import Admission
from services.register.service import calendar
from shared.unit_of_work import Db


@dataclass(frozen=True)
class History:
    """The pupil's marks and school sessions at this school, and across every admission for the penalty window."""

    marks: list[Mark]
    timetable: Timetable
    window_marks: list[Mark]
    window_timetable: Timetable


def _table(school_table: Timetable | None, marks: list[Mark]) -> Timetable:
    # Without a stored calendar, the days the pupil has marks stand for the days the school met.
    return school_table or Timetable((m.session_date, m.session) for m in marks)


def _spanning(admissions: list[Admission], marks: dict[uuid.UUID, list[Mark]],
              tables: dict[str, Timetable | None]) -> tuple[list[Mark], Timetable]:
    """Each admission's marks and sessions from its first day to its last (or the day before the next began, so
    a late deletion never counts a week twice); the weeks between schools are nobody's school weeks."""
    ordered = sorted(admissions, key=lambda a: a.admission_date)
    all_marks: list[Mark] = []
    sessions: list[tuple[date, Session]] = []
    for i, admission in enumerate(ordered):
        until = admission.leaving_date or date.max
        if i + 1 < len(ordered):
            until = min(until, ordered[i + 1].admission_date - timedelta(days=1))
        since = admission.admission_date
        held = [m for m in marks.get(admission.pupil_id, []) if since <= m.session_date <= until]
        table = _table(tables.get(admission.school_urn), held)
        sessions.extend((d, s) for d, s in table.sessions if since <= d <= until)
        all_marks.extend(held)
    return all_marks, Timetable(sessions)


async def histories(db: Db, school: School, pupils: list[Pupil], start: date, end: date,
                    calendars: calendar.Calendars | None = None) -> dict[uuid.UUID, History]:
    """The histories of these pupils of one school from start to end, in a few queries however many pupils."""
    ids = {p.id for p in pupils}
    earlier: dict[uuid.UUID, list[Admission]] = {p.id: [] for p in pupils}
    by_upn: dict[str, list[Pupil]] = {}
    for pupil in pupils:
        by_upn.setdefault(pupil.upn, []).append(pupil)
    for admission in await repository.history.admissions_with_upns(db, school.la_code, by_upn, start):
        for pupil in by_upn[admission.upn]:
            if admission.pupil_id != pupil.id and admission.admission_date < pupil.admission_date:
                earlier[pupil.id].append(admission)
    others = {a.pupil_id for found in earlier.values() for a in found}
    rows = await repository.marks.marks_for_pupils_between(db, ids | others, start, end)
    marks = {pupil_id: [Mark(d, Session(s), c) for d, s, c in found] for pupil_id, found in rows.items()}
    tables = await calendar.timetables_between(
        db, {school.urn} | {a.school_urn for found in earlier.values() for a in found}, start, end, calendars)
    result: dict[uuid.UUID, History] = {}
    for pupil in pupils:
        own = marks.get(pupil.id, [])
        table = _table(tables.get(school.urn), own)
        if not earlier[pupil.id]:
            result[pupil.id] = History(own, table, own, table)
            continue
        current = Admission(pupil.id, pupil.upn, school.urn, pupil.admission_date, pupil.leaving_date)
        window_marks, window_table = _spanning([*earlier[pupil.id], current], marks, tables)
        result[pupil.id] = History(own, table, window_marks, window_table)
    return result
