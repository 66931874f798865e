"""Status flags and crossings, absence around holidays, and the marks behind a flag."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from services.register.domain.figures import Direction, Figures, figures_from_codes
from services.register.domain.patterns import (
    AttendanceStatus,
    Crossing,
    Flags,
    absence_around_breaks,
    absence_marks,
    crossings,
    days_around_breaks,
    flags_for,
    status_of,
)
from services.register.domain.sessions import Mark, Session

from .calendars import calendar_2024, day_marks, mark_days

pytestmark = pytest.mark.unit


def figures(present: int, absent: int) -> Figures:
    return figures_from_codes(["/"] * present + ["O"] * absent)


def test_flags_and_status() -> None:
    assert status_of(flags_for(figures(50, 50))) is AttendanceStatus.SEVERE_ABSENCE
    assert flags_for(figures(50, 50)).persistent_absence
    assert status_of(flags_for(figures(90, 10))) is AttendanceStatus.PERSISTENT_ABSENCE
    assert status_of(flags_for(figures(91, 9))) is AttendanceStatus.NOT_AT_RISK
    assert status_of(flags_for(figures(91, 9), Direction.DECLINING)) is AttendanceStatus.AT_RISK
    # A PA pupil is not also "at risk of PA".
    assert not flags_for(figures(90, 10), Direction.DECLINING).at_risk
    assert flags_for(figures(94, 6), at_risk_below=Fraction(95)).at_risk
    assert not flags_for(figures(95, 5), at_risk_below=Fraction(95)).at_risk


def test_no_flags_until_enough_possible_sessions() -> None:
    assert flags_for(figures(0, 2), min_possible=10) == Flags()
    assert flags_for(figures(0, 10), min_possible=10).severe_absence
    assert flags_for(Figures()) == Flags()


def test_only_changes_are_crossings() -> None:
    pa = Flags(persistent_absence=True)
    sa = Flags(persistent_absence=True, severe_absence=True)
    assert crossings(Flags(), Flags()) == []
    assert crossings(Flags(), sa) == [Crossing("persistent_absence", True), Crossing("severe_absence", True)]
    assert crossings(sa, pa) == [Crossing("severe_absence", False)]
    assert crossings(Flags(at_risk=True), pa) == [
        Crossing("at_risk", False),
        Crossing("persistent_absence", True),
    ]


def test_absence_marks_behind_a_flag() -> None:
    d = date(2024, 9, 9)
    marks = [
        Mark(d, Session.PM, "I"),
        Mark(d, Session.AM, "N"),
        Mark(d, Session.AM, "/"),
        Mark(d, Session.AM, "X"),
    ]
    assert [m.code for m in absence_marks(marks)] == ["N", "I"]


def test_days_around_holidays_and_term_starts() -> None:
    cal = calendar_2024()
    days = days_around_breaks(cal)
    assert date(2024, 9, 4) in days  # first day of the year
    assert date(2024, 10, 25) in days  # Friday before half-term
    assert date(2024, 11, 4) in days  # Monday after half-term
    assert date(2025, 7, 22) in days
    assert date(2024, 10, 24) not in days
    assert len(days) == 2 * 6  # five breaks within the year, plus the year's two ends
    assert date(2024, 10, 24) in days_around_breaks(cal, days=2)


def test_absence_clustered_around_holidays_shows_up() -> None:
    cal = calendar_2024()
    edges = set(days_around_breaks(cal))
    marks = [m for d in cal.school_days for m in day_marks(d, "G" if d in edges else "/")]
    marks += mark_days([date(2024, 10, 28)], "O")  # not a school day: ignored
    result = absence_around_breaks(marks, cal)
    assert result.next_to_breaks.absence_rate == 100
    assert result.other_days.absence_rate == 0
