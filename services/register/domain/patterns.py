"""Patterns to look for: PA/SA/at-risk status and crossings, absence around holidays, marks behind a flag."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from services.register.domain.calendar import SchoolCalendar
from services.register.domain.codes import Q_DEFAULT_CATEGORY, CodeCategory, get_code
from services.register.domain.figures import Direction, Figures, figures_from_codes
from services.register.domain.sessions import Mark, session_order


class AttendanceStatus(StrEnum):
    """Where a pupil sits in the WTISA cohorts (SA pupils are also PA; the most serious is reported)."""

    SEVERE_ABSENCE = "severe_absence"
    PERSISTENT_ABSENCE = "persistent_absence"
    AT_RISK = "at_risk"
    NOT_AT_RISK = "not_at_risk"


@dataclass(frozen=True)
class Flags:
    """The three flags whose crossings are reported (entering or leaving)."""

    at_risk: bool = False
    persistent_absence: bool = False
    severe_absence: bool = False


@dataclass(frozen=True)
class Crossing:
    """A flag entered (True) or left (False)."""

    flag: str
    entered: bool


def flags_for(
    figures: Figures,
    direction: Direction | None = None,
    at_risk_below: Fraction | None = None,
    min_possible: int = 0,
) -> Flags:
    """PA/SA from the exact rates; at risk when not PA but declining (or below an optional local rate)."""
    if figures.possible == 0 or figures.possible < min_possible:
        return Flags()
    persistent = figures.persistent_absence
    rate = figures.attendance_rate
    below = at_risk_below is not None and rate is not None and rate < at_risk_below
    at_risk = not persistent and (direction is Direction.DECLINING or below)
    return Flags(at_risk, persistent, figures.severe_absence)


def status_of(flags: Flags) -> AttendanceStatus:
    """The most serious status the flags show."""
    if flags.severe_absence:
        return AttendanceStatus.SEVERE_ABSENCE
    if flags.persistent_absence:
        return AttendanceStatus.PERSISTENT_ABSENCE
    if flags.at_risk:
        return AttendanceStatus.AT_RISK
    return AttendanceStatus.NOT_AT_RISK


def crossings(before: Flags, after: Flags) -> list[Crossing]:
    """Flags that changed between two evaluations (only crossings are reported, never every mark)."""
    changed = []
    for name in ("at_risk", "persistent_absence", "severe_absence"):
        was, now = getattr(before, name), getattr(after, name)
        if was != now:
            changed.append(Crossing(name, now))
    return changed


def absence_marks(marks: Iterable[Mark], q_category: CodeCategory = Q_DEFAULT_CATEGORY) -> list[Mark]:
    """The absence marks (authorised and unauthorised) behind a PA/SA flag, in date order."""
    return sorted(
        (m for m in marks if get_code(m.code, q_category).is_absence),
        key=lambda m: session_order(m.session_date, m.session),
    )


@dataclass(frozen=True)
class AroundBreaks:
    """Figures on school days next to holidays and term starts, against all other school days."""

    next_to_breaks: Figures
    other_days: Figures
    days: tuple[date, ...]


def days_around_breaks(calendar: SchoolCalendar, days: int = 1) -> tuple[date, ...]:
    """The `days` school days before each break and after it, plus the year's first and last school days."""
    school_days = calendar.school_days
    index = {d: i for i, d in enumerate(school_days)}
    chosen: set[date] = set()
    if school_days:
        chosen.update(school_days[:days])
        chosen.update(school_days[-days:])
    for before, after in calendar.break_edges():
        i, j = index[before], index[after]
        chosen.update(school_days[max(0, i - days + 1) : i + 1])
        chosen.update(school_days[j : j + days])
    return tuple(sorted(chosen))


def absence_around_breaks(
    marks: Iterable[Mark],
    calendar: SchoolCalendar,
    days: int = 1,
    q_category: CodeCategory = Q_DEFAULT_CATEGORY,
) -> AroundBreaks:
    """Compare attendance on days next to holidays and term starts with the rest of the year."""
    edges = days_around_breaks(calendar, days)
    edge_set = set(edges)
    near: list[str] = []
    other: list[str] = []
    for m in marks:
        if not calendar.is_school_day(m.session_date):
            continue
        (near if m.session_date in edge_set else other).append(m.code)
    return AroundBreaks(figures_from_codes(near, q_category), figures_from_codes(other, q_category), edges)
