"""Statutory thresholds: penalty-notice window, continuous unauthorised days, illness days, unresolved N."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from services.register.domain.calendar import Timetable, week_start
from services.register.domain.codes import (
    CONTINUOUS_ABSENCE_DELETION_CODES,
    ILLNESS_CODE,
    NOT_ESTABLISHED_CODE,
    UNAUTHORISED_CODES,
    normalise_code,
)
from services.register.domain.sessions import Mark, Session, session_order

PENALTY_THRESHOLD_SESSIONS = 10
PENALTY_WINDOW_SCHOOL_WEEKS = 10
ATTENDANCE_RETURN_DAYS = 10
DELETION_CONTINUOUS_DAYS = 20
SICKNESS_RETURN_DAYS = 15
N_RESOLUTION_SCHOOL_DAYS = 5


def _sorted(marks: Iterable[Mark]) -> list[Mark]:
    return sorted(marks, key=lambda m: session_order(m.session_date, m.session))


@dataclass(frozen=True)
class PenaltyWindow:
    """Unauthorised sessions in the rolling school-week window up to a date; met when count >= threshold."""

    count: int
    weeks: tuple[date, ...]
    threshold: int
    marks: tuple[Mark, ...]

    @property
    def met(self) -> bool:
        """True when the count reaches the threshold."""
        return self.count >= self.threshold


def penalty_window(
    marks: Iterable[Mark],
    timetable: Timetable,
    on_date: date,
    threshold: int = PENALTY_THRESHOLD_SESSIONS,
    window_weeks: int = PENALTY_WINDOW_SCHOOL_WEEKS,
    codes: Collection[str] = UNAUTHORISED_CODES,
) -> PenaltyWindow:
    """G/N/O/U sessions up to the date in the last 10 school weeks (weeks with a session; any term/year)."""
    weeks = timetable.school_weeks_up_to(on_date, window_weeks)
    chosen = set(weeks)
    behind = tuple(
        m
        for m in _sorted(marks)
        if m.session_date <= on_date
        and week_start(m.session_date) in chosen
        and normalise_code(m.code) in codes
    )
    return PenaltyWindow(len(behind), weeks, threshold, behind)


def penalty_window_holding(
    marks: Iterable[Mark],
    timetable: Timetable,
    day: date,
    threshold: int = PENALTY_THRESHOLD_SESSIONS,
    window_weeks: int = PENALTY_WINDOW_SCHOOL_WEEKS,
    codes: Collection[str] = UNAUTHORISED_CODES,
) -> PenaltyWindow:
    """The fullest of the rolling windows a session on the day falls in: those ending in its school week and in
    each of the next window_weeks - 1 school weeks (the earliest of equals).

    A mark written or amended on the day can only change these windows, so an amendment of an older mark is
    judged by the windows it moved, not by the one window ending that day."""
    weeks = timetable.school_weeks
    first = bisect_left(weeks, week_start(day))
    if first == len(weeks):
        return penalty_window(marks, timetable, day, threshold, window_weeks, codes)
    known = set(weeks)
    counted = [m for m in marks if normalise_code(m.code) in codes and week_start(m.session_date) in known]
    per_week = Counter(week_start(m.session_date) for m in counted)
    best_count, best_end = -1, first
    for end in range(first, min(first + window_weeks, len(weeks))):
        count = sum(per_week[w] for w in weeks[max(0, end - window_weeks + 1) : end + 1])
        if count > best_count:
            best_count, best_end = count, end
    window = weeks[max(0, best_end - window_weeks + 1) : best_end + 1]
    return penalty_window_over(counted, window, threshold, codes)


def penalty_window_over(
    marks: Iterable[Mark],
    weeks: Sequence[date],
    threshold: int = PENALTY_THRESHOLD_SESSIONS,
    codes: Collection[str] = UNAUTHORISED_CODES,
) -> PenaltyWindow:
    """G/N/O/U sessions in the given school weeks (Mondays)."""
    inside = set(weeks)
    behind = tuple(
        m for m in _sorted(marks) if week_start(m.session_date) in inside and normalise_code(m.code) in codes
    )
    return PenaltyWindow(len(behind), tuple(weeks), threshold, behind)


def penalty_threshold_first_met(
    marks: Iterable[Mark],
    timetable: Timetable,
    threshold: int = PENALTY_THRESHOLD_SESSIONS,
    window_weeks: int = PENALTY_WINDOW_SCHOOL_WEEKS,
    codes: Collection[str] = UNAUTHORISED_CODES,
) -> PenaltyWindow | None:
    """The first window (ending at the session that tips it) in which the threshold is met, or None."""
    weeks = timetable.school_weeks
    position = {w: i for i, w in enumerate(weeks)}
    counted = [
        m
        for m in _sorted(marks)
        if normalise_code(m.code) in codes and week_start(m.session_date) in position
    ]
    # Two pointers: the window's oldest week only moves forward as the marks advance in time.
    left = 0
    for i, mark in enumerate(counted):
        wi = position[week_start(mark.session_date)]
        oldest = weeks[max(0, wi - window_weeks + 1)]
        while week_start(counted[left].session_date) < oldest:
            left += 1
        if i - left + 1 >= threshold:
            window = weeks[max(0, wi - window_weeks + 1) : wi + 1]
            return PenaltyWindow(i - left + 1, window, threshold, tuple(counted[left : i + 1]))
    return None


def _day_codes(marks: Iterable[Mark]) -> dict[date, dict[Session, str]]:
    by_day: dict[date, dict[Session, str]] = {}
    for m in marks:
        by_day.setdefault(m.session_date, {})[Session(m.session)] = normalise_code(m.code)
    return by_day


@dataclass(frozen=True)
class DayRun:
    """A run of consecutive school days (weekends and holidays between them do not break it)."""

    start: date | None
    end: date | None
    days: int


def continuous_absence(
    marks: Iterable[Mark],
    timetable: Timetable,
    on_date: date,
    codes: Collection[str] = UNAUTHORISED_CODES,
) -> DayRun:
    """The run of whole school days coded in `codes` ending at the last fully marked school day by the date.

    A day counts when every session the school meets that day is coded in `codes`; a day with any other
    code breaks the run; days the school does not meet are skipped, so weekends and holidays never break it.
    """
    by_day = _day_codes(m for m in marks if m.session_date <= on_date)
    days = timetable.school_days_between(date.min, on_date)
    # Skip trailing school days not yet fully marked (e.g. the afternoon register is still to come),
    # unless a mark already taken that day ends the run.
    i = len(days) - 1
    while i >= 0 and not _fully_marked(days[i], timetable, by_day):
        if any(code not in codes for code in by_day.get(days[i], {}).values()):
            return DayRun(None, None, 0)
        i -= 1
    end: date | None = None
    start: date | None = None
    count = 0
    while i >= 0 and _whole_day_in(days[i], timetable, by_day, codes):
        end = end or days[i]
        start = days[i]
        count += 1
        i -= 1
    return DayRun(start, end, count)


def _fully_marked(d: date, timetable: Timetable, by_day: dict[date, dict[Session, str]]) -> bool:
    marked = by_day.get(d, {})
    return all(s in marked for s in timetable.sessions_on(d))


def _whole_day_in(
    d: date, timetable: Timetable, by_day: dict[date, dict[Session, str]], codes: Collection[str]
) -> bool:
    marked = by_day.get(d, {})
    sessions = timetable.sessions_on(d)
    return bool(sessions) and all(marked.get(s) in codes for s in sessions)


def attendance_return_due(
    marks: Iterable[Mark], timetable: Timetable, on_date: date, days: int = ATTENDANCE_RETURN_DAYS
) -> DayRun | None:
    """The run if the pupil has been absent for 10 continuous school days coded G, N, O or U, else None."""
    run = continuous_absence(marks, timetable, on_date, UNAUTHORISED_CODES)
    return run if run.days >= days else None


def continuous_absence_deletion_ground(
    marks: Iterable[Mark], timetable: Timetable, on_date: date, days: int = DELETION_CONTINUOUS_DAYS
) -> DayRun | None:
    """The run if the pupil has been continuously absent 20 school days coded only G, N or O (reg 9(1)(i))."""
    run = continuous_absence(marks, timetable, on_date, CONTINUOUS_ABSENCE_DELETION_CODES)
    return run if run.days >= days else None


@dataclass(frozen=True)
class IllnessSummary:
    """Illness (code I) in a school year: cumulative days, and the current continuous period of sickness."""

    cumulative_days: Fraction
    current_period_start: date | None
    current_period_days: Fraction
    threshold_days: int

    @property
    def threshold_met(self) -> bool:
        """True when cumulative illness reaches the sickness-return threshold (15 days)."""
        return self.cumulative_days >= self.threshold_days


def illness_summary(
    marks: Iterable[Mark],
    timetable: Timetable,
    year_start: date,
    on_date: date,
    threshold_days: int = SICKNESS_RETURN_DAYS,
) -> IllnessSummary:
    """Illness days (two I sessions make a day) from the start of the school year to the date."""
    in_year = [m for m in marks if year_start <= m.session_date <= on_date]
    ill = {(m.session_date, Session(m.session)) for m in in_year if normalise_code(m.code) == ILLNESS_CODE}
    cumulative = Fraction(len(ill), 2)
    marked = {(m.session_date, Session(m.session)) for m in in_year}
    # The current period: consecutive meeting sessions coded I, back from the latest marked session.
    sessions = [s for s in timetable.sessions if year_start <= s[0] <= on_date and s in marked]
    count = 0
    start: date | None = None
    for s in reversed(sessions):
        if s not in ill:
            break
        count += 1
        start = s[0]
    return IllnessSummary(cumulative, start, Fraction(count, 2), threshold_days)


@dataclass(frozen=True)
class OpenN:
    """An N mark still unresolved, with the last school day by which it should have been replaced."""

    mark: Mark
    resolve_by: date | None


def unresolved_n_marks(
    marks: Iterable[Mark], timetable: Timetable, on_date: date, school_days: int = N_RESOLUTION_SCHOOL_DAYS
) -> list[OpenN]:
    """N marks still N after the 5 school days allowed to establish the reason (overdue as of the date)."""
    overdue = []
    for m in _sorted(marks):
        if normalise_code(m.code) != NOT_ESTABLISHED_CODE or m.session_date > on_date:
            continue
        try:
            deadline: date | None = timetable.school_days_after(m.session_date, school_days)
        except ValueError:
            deadline = None
        if deadline is not None and on_date > deadline:
            overdue.append(OpenN(m, deadline))
    return overdue


def unauthorised_in_window_by_week(
    marks: Sequence[Mark], timetable: Timetable, codes: Collection[str] = UNAUTHORISED_CODES
) -> dict[date, int]:
    """Unauthorised sessions per school week (Mondays; holiday weeks left out): the series behind a window."""
    counts = dict.fromkeys(timetable.school_weeks, 0)
    for m in marks:
        w = week_start(m.session_date)
        if w in counts and normalise_code(m.code) in codes:
            counts[w] += 1
    return counts
