"""Statutory thresholds evaluated as marks are written: penalty-notice threshold, 10 continuous school days of
unauthorised absence and 15 illness days. Only crossings become events (flags on the pupil's tally); the
penalty threshold is reported both ways, and its window counts the pupil's earlier schools in the LA."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from services.register import repository
from services.register.domain.codes import ILLNESS_CODE, UNAUTHORISED_CODES
from services.register.domain.school_age import academic_year_of
from services.register.domain.sessions import Mark
from services.register.domain.thresholds import (
    PenaltyWindow,
    attendance_return_due,
    illness_summary,
    penalty_window_holding,
    penalty_window_over,
)
from services.register.models import Pupil, School
from services.register.repository.tallies import TallyKey, TallyState
from services.register.service import calendar, pupil_history
from services.register.settings import RegisterSettings
from shared.contracts.register import RegisterEventType
from shared.unit_of_work import Db

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


# Earlier codes of the sessions a request changed, by pupil: {pupil id: {(date, "AM"|"PM"): code before}}.
Previous = Mapping[uuid.UUID, Mapping[tuple[date, str], str]]


def _before(marks: list[Mark], previous: Mapping[tuple[date, str], str]) -> list[Mark]:
    return [Mark(m.session_date, m.session, previous.get((m.session_date, m.session.value), m.code)) for m in marks]


def _window_details(window: PenaltyWindow) -> dict[str, Any]:
    return {"unauthorised_sessions": window.count, "threshold": window.threshold,
            "window_weeks": [w.isoformat() for w in window.weeks]}


def _penalty(pupil: Pupil, history: pupil_history.History, on_date: date, reported: bool,
             previous: Mapping[tuple[date, str], str] | None,
             threshold: int) -> tuple[bool, ThresholdCrossing | None]:
    """Whether the threshold now stands as reported, and the crossing (either way) to report.

    Met is reported when a window holding the changed day reaches the threshold; no longer met only when a
    change of an earlier mark took a window that had reached it back under (once: the flag goes with it). A
    change that leaves the reported windows alone keeps the flag; a new mark in a later window that falls short
    clears it silently (the window has rolled on), so that reaching the threshold again is reported again."""
    marks, table = history.window_marks, history.window_timetable
    window = penalty_window_holding(marks, table, on_date, threshold=threshold)
    if window.met:
        crossing = None if reported else ThresholdCrossing(
            pupil, RegisterEventType.PENALTY_THRESHOLD_MET, _window_details(window))
        return True, crossing
    if not reported or previous is None:
        return False, None
    before = penalty_window_holding(_before(marks, previous), table, on_date, threshold=threshold)
    if not before.met:
        return True, None
    now = penalty_window_over(marks, before.weeks, threshold=threshold)
    return False, ThresholdCrossing(pupil, RegisterEventType.PENALTY_THRESHOLD_NO_LONGER_MET, _window_details(now))


async def evaluate(db: Db, school: School, pupils: list[Pupil], on_date: date,
                   settings: RegisterSettings, previous: Previous | None = None,
                   known: Mapping[TallyKey, TallyState] | None = None,
                   calendars: calendar.Calendars | None = None) -> list[ThresholdCrossing]:
    """Recheck the thresholds of these pupils on the date, store the flags and return the crossings to report.

    `previous` holds the codes amended away, so that a penalty threshold an amendment undid is reported; `known`,
    tallies the caller has just read or written in this transaction (their threshold flags are not read again).
    The marks, calendars and flags of all the pupils are read in a few queries (per chunk) and the changed flags
    written back set-based; the caller writes the events, so a request looks up the pupils' professionals once."""
    if not pupils:
        return []
    year = academic_year_of(on_date)
    year_start = date(year, 9, 1)
    start = min(year_start, on_date - LOOKBACK)
    tallies = dict(known or {})
    unknown = [(p.id, year) for p in pupils if (p.id, year) not in tallies]
    if unknown:
        tallies.update(await repository.tallies.tallies_of(db, unknown))
    # The penalty windows holding the date end up to 9 school weeks after it.
    found = await pupil_history.histories(db, school, pupils, start, on_date + LOOKBACK, calendars)
    crossings: list[ThresholdCrossing] = []
    changed: dict[tuple[uuid.UUID, int], dict[str, bool]] = {}
    for pupil in pupils:
        tally = tallies.get((pupil.id, year))
        if tally is None:
            continue
        history = found[pupil.id]
        marks, table = history.marks, history.timetable
        flags = {name: getattr(tally, name) for name in repository.tallies.THRESHOLD_FLAGS}
        penalty, crossing = _penalty(pupil, history, on_date, flags["penalty_threshold_met"],
                                     (previous or {}).get(pupil.id), settings.penalty_threshold_sessions)
        if crossing is not None:
            crossings.append(crossing)
        run = attendance_return_due(marks, table, on_date)
        if run is not None and not flags["continuous_unauthorised"]:
            crossings.append(ThresholdCrossing(pupil, RegisterEventType.CONTINUOUS_UNAUTHORISED_ABSENCE, {
                "school_days": run.days, "from": run.start.isoformat() if run.start else None,
                "to": run.end.isoformat() if run.end else None}))
        illness = illness_summary(marks, table, year_start, on_date)
        if illness.threshold_met and not flags["illness_days_reached"]:
            crossings.append(ThresholdCrossing(pupil, RegisterEventType.ILLNESS_DAYS_REACHED, {
                "illness_days": str(illness.cumulative_days), "threshold_days": illness.threshold_days}))
        # Continuous absence follows the marks both ways; illness days, once reached, stay reached.
        now = {"penalty_threshold_met": penalty, "continuous_unauthorised": run is not None,
               "illness_days_reached": flags["illness_days_reached"] or illness.threshold_met}
        if now != flags:
            changed[(pupil.id, year)] = now
    await repository.tallies.set_flags(db, changed)
    return crossings


def pupils_to_check(changes: list[tuple[Pupil, str | None, str]]) -> list[Pupil]:
    seen: dict[uuid.UUID, Pupil] = {}
    for pupil, old, new in changes:
        if touches_thresholds(old, new):
            seen[pupil.id] = pupil
    return list(seen.values())
