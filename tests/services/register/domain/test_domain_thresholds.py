"""Penalty-notice window, continuous unauthorised days, illness days and unresolved N marks."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest

from services.register.domain.calendar import Closure, Timetable
from services.register.domain.sessions import Mark, Session
from services.register.domain.thresholds import (
    attendance_return_due,
    continuous_absence,
    continuous_absence_deletion_ground,
    illness_summary,
    penalty_threshold_first_met,
    penalty_window,
    unauthorised_in_window_by_week,
    unresolved_n_marks,
)

from .calendars import calendar_2023, calendar_2024, day_marks, mark_days, week_days

pytestmark = pytest.mark.unit


def sessions_on(days: list[date], code: str, count: int) -> list[Mark]:
    """`count` consecutive sessions with the code, AM then PM, over the given days."""
    marks = [m for d in days for m in day_marks(d, code)]
    return marks[:count]


# ---- penalty-notice threshold: 10 sessions in a rolling 10 school weeks ----


@pytest.mark.parametrize(("count", "met"), [(9, False), (10, True), (11, True)])
def test_nine_sessions_do_not_meet_the_threshold_and_ten_do(count: int, met: bool) -> None:
    cal = calendar_2024()
    marks = sessions_on(week_days(date(2024, 9, 9)) + week_days(date(2024, 9, 16)), "O", count)
    window = penalty_window(marks, cal, date(2024, 9, 20))
    assert window.count == count
    assert window.met is met
    assert len(window.marks) == count


def test_any_mix_of_g_n_o_u_counts_and_nothing_else_does() -> None:
    cal = calendar_2024()
    days = week_days(date(2024, 9, 9))
    marks = [
        *day_marks(days[0], "G"),
        *day_marks(days[1], "N"),
        *day_marks(days[2], "O", "U"),
        *day_marks(days[3], "U", "L"),
        *day_marks(days[4], "I", "C"),
    ]
    window = penalty_window(marks, cal, days[4])
    assert window.count == 7
    assert {m.code for m in window.marks} == {"G", "N", "O", "U"}


def test_window_is_ten_school_weeks_so_it_stretches_over_half_term() -> None:
    cal = calendar_2024()
    on = date(2024, 11, 18)
    early = sessions_on(week_days(date(2024, 9, 9)), "G", 5)  # 10 calendar weeks back, 9 school weeks back
    late = sessions_on(week_days(on), "N", 5)
    window = penalty_window(early + late, cal, on + timedelta(days=4))
    assert window.weeks[0] == date(2024, 9, 9)
    assert window.weeks[-1] == on
    assert len(window.weeks) == 10
    assert date(2024, 10, 28) not in window.weeks  # the half-term week is not a school week
    assert window.count == 10
    assert window.met


def test_absences_in_the_eleventh_school_week_back_fall_out_of_the_window() -> None:
    cal = calendar_2024()
    on = date(2024, 11, 18)
    too_early = sessions_on(week_days(date(2024, 9, 2))[2:], "G", 5)  # 4-6 September
    late = sessions_on(week_days(on), "N", 5)
    window = penalty_window(too_early + late, cal, on + timedelta(days=4))
    assert date(2024, 9, 2) not in window.weeks
    assert window.count == 5
    assert not window.met


def test_window_spans_the_summer_holiday_into_the_previous_school_year() -> None:
    both = calendar_2023().union(calendar_2024())
    on = date(2024, 9, 20)
    summer = sessions_on(week_days(date(2024, 6, 10)), "G", 6)  # 10th school week back
    earlier = sessions_on(week_days(date(2024, 6, 3)), "G", 6)  # 11th school week back
    autumn = sessions_on(week_days(date(2024, 9, 16)), "O", 4)
    window = penalty_window(summer + earlier + autumn, both, on)
    assert window.weeks[0] == date(2024, 6, 10)
    assert all(date(2024, 7, 29) + timedelta(weeks=i) not in window.weeks for i in range(5))
    assert window.count == 10
    assert window.met


def test_marks_after_the_date_are_not_counted_and_a_holiday_date_uses_the_last_school_weeks() -> None:
    cal = calendar_2024()
    marks = sessions_on(week_days(date(2024, 10, 21)), "O", 10)
    assert penalty_window(marks, cal, date(2024, 10, 22)).count == 4
    during_half_term = penalty_window(marks, cal, date(2024, 10, 30))
    assert during_half_term.weeks[-1] == date(2024, 10, 21)
    assert during_half_term.count == 10


def test_threshold_is_configurable() -> None:
    cal = calendar_2024()
    marks = sessions_on(week_days(date(2024, 9, 9)), "O", 8)
    assert penalty_window(marks, cal, date(2024, 9, 13), threshold=8).met
    assert not penalty_window(marks, cal, date(2024, 9, 13)).met


@pytest.mark.parametrize(
    ("early_week", "first_met"), [(date(2024, 9, 9), date(2024, 11, 18)), (date(2024, 9, 2), None)]
)
def test_first_time_the_threshold_is_met(early_week: date, first_met: date | None) -> None:
    cal = calendar_2024()
    # Five sessions early in the term, then one a Monday from 14 October (none in half-term week).
    marks = sessions_on([d for d in week_days(early_week) if cal.is_school_day(d)], "G", 5)
    mondays = [date(2024, 10, 14) + timedelta(weeks=i) for i in range(8)]
    marks += [Mark(d, Session.AM, "O") for d in mondays if cal.is_school_day(d)]
    first = penalty_threshold_first_met(marks, cal)
    if first_met is None:
        assert first is None
        return
    assert first is not None
    assert first.count == 10
    assert first.marks[-1].session_date == first_met
    assert first.weeks[0] == early_week
    assert penalty_window(marks, cal, first_met - timedelta(days=1)).count == 9
    assert penalty_threshold_first_met(marks[:9], cal) is None


def test_sessions_spread_too_thinly_never_meet_it() -> None:
    cal = calendar_2024()
    marks = [Mark(d, Session.AM, "O") for d in cal.school_days if d.weekday() == 0 and d.day <= 7]
    assert penalty_threshold_first_met(marks, cal) is None


def test_weekly_series_behind_the_window() -> None:
    cal = calendar_2024()
    marks = sessions_on(week_days(date(2024, 10, 21)), "O", 3) + [Mark(date(2024, 10, 29), Session.AM, "O")]
    series = unauthorised_in_window_by_week(marks, cal)
    assert series[date(2024, 10, 21)] == 3
    assert date(2024, 10, 28) not in series


# ---- continuous school days of unauthorised absence ----


def school_days_from(cal: Timetable, first: date, n: int) -> list[date]:
    """n school days starting on a school day."""
    return [first] + [cal.school_days_after(first, i) for i in range(1, n)]


def test_ten_continuous_days_across_a_weekend_make_an_attendance_return_due() -> None:
    cal = calendar_2024()
    days = school_days_from(cal, date(2024, 10, 14), 10)
    assert days[-1] == date(2024, 10, 25)
    marks = mark_days(days, "N")
    run = attendance_return_due(marks, cal, days[-1])
    assert run is not None
    assert (run.start, run.end, run.days) == (date(2024, 10, 14), date(2024, 10, 25), 10)
    assert attendance_return_due(marks, cal, days[-2]) is None  # nine days
    # On the Sunday after, the run still stands.
    assert continuous_absence(marks, cal, date(2024, 10, 27)).days == 10


def test_half_term_does_not_break_continuity() -> None:
    cal = calendar_2024()
    days = school_days_from(cal, date(2024, 10, 21), 10)
    assert days[5] == date(2024, 11, 4)
    marks = mark_days(days[:5], "O") + mark_days(days[5:], "G")
    assert continuous_absence(marks, cal, days[-1]).days == 10


def test_a_day_present_or_half_present_breaks_the_run() -> None:
    cal = calendar_2024()
    days = school_days_from(cal, date(2024, 9, 9), 12)
    marks = mark_days(days[:5], "O") + day_marks(days[5], "O", "\\") + mark_days(days[6:], "O")
    run = continuous_absence(marks, cal, days[-1])
    assert run.days == 6
    assert run.start == days[6]
    marks = mark_days(days[:5], "O") + day_marks(days[5], "I") + mark_days(days[6:], "O")
    assert continuous_absence(marks, cal, days[-1]).days == 6


def test_a_missing_day_breaks_the_run() -> None:
    cal = calendar_2024()
    days = school_days_from(cal, date(2024, 9, 9), 6)
    marks = mark_days(days[:2] + days[3:], "O")
    assert continuous_absence(marks, cal, days[-1]).days == 3


def test_the_afternoon_still_to_be_marked_does_not_end_the_run() -> None:
    cal = calendar_2024()
    days = school_days_from(cal, date(2024, 9, 9), 11)
    marks = mark_days(days[:10], "N")
    assert continuous_absence([*marks, Mark(days[10], Session.AM, "N")], cal, days[10]).days == 10
    assert continuous_absence([*marks, Mark(days[10], Session.AM, "/")], cal, days[10]).days == 0
    assert continuous_absence(marks, cal, days[10]).days == 10


def test_a_day_with_one_session_counts_when_that_session_is_unauthorised() -> None:
    half_day = date(2024, 9, 11)
    cal = calendar_2024((Closure(half_day, Session.PM),))
    days = school_days_from(cal, date(2024, 9, 9), 5)
    marks = [m for m in mark_days(days, "O") if (m.session_date, m.session) != (half_day, Session.PM)]
    assert continuous_absence(marks, cal, days[-1]).days == 5


@pytest.mark.parametrize(("n", "due"), [(19, False), (20, True)])
def test_twenty_days_of_g_n_o_meet_the_continuous_absence_deletion_ground(n: int, due: bool) -> None:
    cal = calendar_2024()
    days = school_days_from(cal, date(2024, 10, 14), n)
    marks = mark_days(days, "O")
    assert (continuous_absence_deletion_ground(marks, cal, days[-1]) is not None) is due


def test_u_breaks_the_deletion_run_but_not_the_attendance_return_run() -> None:
    cal = calendar_2024()
    days = school_days_from(cal, date(2024, 10, 14), 20)
    marks = mark_days(days[:10], "N") + mark_days(days[10:11], "U") + mark_days(days[11:], "G")
    assert continuous_absence_deletion_ground(marks, cal, days[-1]) is None
    run = attendance_return_due(marks, cal, days[-1])
    assert run is not None
    assert run.days == 20


# ---- illness (sickness returns) ----


@pytest.mark.parametrize(("sessions", "met"), [(29, False), (30, True)])
def test_fifteen_cumulative_illness_days_in_the_year(sessions: int, met: bool) -> None:
    cal = calendar_2024()
    spells = [
        school_days_from(cal, start, 5) for start in (date(2024, 9, 9), date(2024, 11, 11), date(2025, 1, 13))
    ]
    ill = [m for spell in spells for m in mark_days(spell, "I")][:sessions]
    before_year = mark_days([date(2024, 7, 15)], "I")
    summary = illness_summary(before_year + ill, cal, date(2024, 9, 1), date(2025, 3, 1))
    assert summary.cumulative_days == Fraction(sessions, 2)
    assert summary.threshold_met is met


def test_current_period_of_sickness_runs_over_weekends_and_ends_with_attendance() -> None:
    cal = calendar_2024()
    days = school_days_from(cal, date(2024, 9, 9), 12)
    marks = mark_days(days[:3], "I") + mark_days(days[3:4], "/") + mark_days(days[4:11], "I")
    marks += [Mark(days[11], Session.AM, "I")]
    summary = illness_summary(marks, cal, date(2024, 9, 1), days[11])
    assert summary.current_period_start == days[4]
    assert summary.current_period_days == Fraction(15, 2)
    assert summary.cumulative_days == Fraction(21, 2)
    recovered = illness_summary([*marks, Mark(days[11], Session.PM, "\\")], cal, date(2024, 9, 1), days[11])
    assert recovered.current_period_days == 0
    assert recovered.current_period_start is None


# ---- N marks not resolved within 5 school days ----


def test_n_marks_unresolved_after_five_school_days() -> None:
    cal = calendar_2024()
    n_day = date(2024, 10, 24)  # Thursday before half-term
    marks = [
        Mark(n_day, Session.AM, "N"),
        Mark(n_day, Session.PM, "O"),
        Mark(date(2024, 11, 6), Session.AM, "N"),
    ]
    assert unresolved_n_marks(marks, cal, date(2024, 11, 7)) == []  # the 5th school day: still in time
    overdue = unresolved_n_marks(marks, cal, date(2024, 11, 8))
    assert [o.mark for o in overdue] == [marks[0]]
    assert overdue[0].resolve_by == date(2024, 11, 7)
    assert unresolved_n_marks(marks, cal, date(2024, 10, 23)) == []


def test_n_marks_at_the_end_of_the_calendar_have_no_deadline_yet() -> None:
    cal = calendar_2024()
    assert unresolved_n_marks([Mark(date(2025, 7, 21), Session.AM, "N")], cal, date(2025, 8, 30)) == []
