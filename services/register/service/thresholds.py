"""Statutory thresholds evaluated as marks are written: penalty-notice threshold, 10 continuous school days of
unauthorised absence and 15 illness days. Only crossings become events (flags on the pupil's tally)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.register import repository, repository_tallies
from services.register.domain.calendar import Timetable
from services.register.domain.codes import ILLNESS_CODE, UNAUTHORISED_CODES
from services.register.domain.school_age import academic_year_of
from services.register.domain.sessions import Mark, Session
from services.register.domain.thresholds import attendance_return_due, illness_summary, penalty_window
from services.register.models import Pupil, School
from services.register.service import calendar
from services.register.settings import RegisterSettings
from shared.contracts.register import RegisterEventType

THRESHOLD_CODES = UNAUTHORISED_CODES | {ILLNESS_CODE}
# The penalty window is 10 school weeks; half a year back covers it across any holidays.
LOOKBACK = timedelta(weeks=26)


def touches_thresholds(old: str | None, new: str) -> bool:
    """Only unauthorised and illness codes (written or amended away) can move a statutory threshold."""
    return new in THRESHOLD_CODES or (old is not None and old in THRESHOLD_CODES)


@dataclass(frozen=True)
class ThresholdCrossing:
    """A statutory threshold a pupil newly crossed: an event for the caller to write."""

    pupil: Pupil
    event_type: RegisterEventType
    details: dict[str, Any]


async def evaluate(session: AsyncSession, school: School, pupils: list[Pupil], on_date: date,
                   settings: RegisterSettings) -> list[ThresholdCrossing]:
    """Recheck the thresholds of these pupils on the date, store the flags and return the newly crossed ones.

    The marks and flags of all the pupils are read in one query each (per chunk) and the changed flags written
    back set-based; the caller writes the events, so a request looks up the pupils' professionals once."""
    if not pupils:
        return []
    year = academic_year_of(on_date)
    year_start = date(year, 9, 1)
    start = min(year_start, on_date - LOOKBACK)
    tallies = await repository_tallies.tallies_of(session, ((p.id, year) for p in pupils))
    marks_by_pupil = await repository.marks_for_pupils_between(session, (p.id for p in pupils), start, on_date)
    timetable = await calendar.timetable_between(session, school.urn, start, on_date)
    crossings: list[ThresholdCrossing] = []
    changed: dict[tuple[uuid.UUID, int], dict[str, bool]] = {}
    for pupil in pupils:
        tally = tallies.get((pupil.id, year))
        if tally is None:
            continue
        marks = [Mark(d, Session(s), c) for d, s, c in marks_by_pupil.get(pupil.id, [])]
        # Without a stored calendar, the days the pupil has marks stand for the days the school met.
        table = timetable or Timetable((m.session_date, m.session) for m in marks)
        flags = {name: tally[name] for name in repository_tallies.THRESHOLD_FLAGS}
        window = penalty_window(marks, table, on_date, threshold=settings.penalty_threshold_sessions)
        if window.met and not flags["penalty_threshold_met"]:
            crossings.append(ThresholdCrossing(pupil, RegisterEventType.PENALTY_THRESHOLD_MET, {
                "unauthorised_sessions": window.count, "threshold": window.threshold,
                "window_weeks": [w.isoformat() for w in window.weeks]}))
        run = attendance_return_due(marks, table, on_date)
        if run is not None and not flags["continuous_unauthorised"]:
            crossings.append(ThresholdCrossing(pupil, RegisterEventType.CONTINUOUS_UNAUTHORISED_ABSENCE, {
                "school_days": run.days, "from": run.start.isoformat() if run.start else None,
                "to": run.end.isoformat() if run.end else None}))
        illness = illness_summary(marks, table, year_start, on_date)
        if illness.threshold_met and not flags["illness_days_reached"]:
            crossings.append(ThresholdCrossing(pupil, RegisterEventType.ILLNESS_DAYS_REACHED, {
                "illness_days": str(illness.cumulative_days), "threshold_days": illness.threshold_days}))
        # Penalty and continuous absence follow the marks both ways; illness days, once reached, stay reached.
        now = {"penalty_threshold_met": window.met, "continuous_unauthorised": run is not None,
               "illness_days_reached": flags["illness_days_reached"] or illness.threshold_met}
        if now != flags:
            changed[(pupil.id, year)] = now
    await repository_tallies.set_flags(session, changed)
    return crossings


def pupils_to_check(changes: list[tuple[Pupil, str | None, str]]) -> list[Pupil]:
    seen: dict[uuid.UUID, Pupil] = {}
    for pupil, old, new in changes:
        if touches_thresholds(old, new):
            seen[pupil.id] = pupil
    return list(seen.values())
