"""School calendar: school days, school weeks, closures and counting school days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.register.domain.calendar import (
    Closure,
    InvalidCalendar,
    SchoolCalendar,
    Term,
    Timetable,
    week_start,
)
from services.register.domain.sessions import Session

from .calendars import calendar_2023, calendar_2024

pytestmark = pytest.mark.unit


def test_a_year_has_its_school_days_and_no_weekends_or_half_terms() -> None:
    cal = calendar_2024()
    days = cal.school_days
    assert all(d.weekday() < 5 for d in days)
    assert cal.first_day == date(2024, 9, 4)
    assert cal.last_day == date(2025, 7, 22)
    assert not cal.is_school_day(date(2024, 10, 28))  # half-term
    assert not cal.is_school_day(date(2024, 12, 23))  # Christmas holidays
    assert not cal.is_school_day(date(2024, 9, 7))  # Saturday
    assert cal.is_school_day(date(2024, 10, 25))
    assert len(cal.sessions) == 2 * len(days)
    # Term by term, half-terms out: 73 + 60 + 61 days.
    assert cal.count_school_days(date(2024, 9, 1), date(2024, 12, 31)) == 73
    assert len(days) == 73 + 60 + 61
    assert cal.count_school_days(date(2025, 4, 22), date(2025, 7, 22)) == 61


def test_planned_closures_remove_a_day_or_a_session() -> None:
    inset = date(2024, 9, 4)
    afternoon = date(2024, 9, 5)
    cal = calendar_2024((Closure(inset, reason="INSET"), Closure(afternoon, Session.PM)))
    assert not cal.is_school_day(inset)
    assert cal.sessions_on(afternoon) == (Session.AM,)
    assert cal.meets(afternoon, "AM")
    assert not cal.meets(afternoon, Session.PM)
    assert cal.first_day == date(2024, 9, 5)


def test_school_weeks_leave_out_holiday_weeks() -> None:
    cal = calendar_2024()
    weeks = cal.school_weeks
    assert week_start(date(2024, 10, 30)) == date(2024, 10, 28)
    assert date(2024, 10, 28) not in weeks
    assert date(2024, 10, 21) in weeks
    assert date(2024, 11, 4) in weeks
    assert date(2024, 9, 2) in weeks  # the first week has only Wednesday to Friday
    assert not cal.is_school_week(date(2024, 12, 25))
    assert cal.is_school_week(date(2024, 12, 22))  # Sunday of the last week of term
    assert len(weeks) == len(set(weeks))


def test_a_week_with_one_session_is_a_school_week() -> None:
    cal = SchoolCalendar(
        2024, [Term("Autumn", date(2024, 9, 6), date(2024, 9, 13))], [Closure(date(2024, 9, 6), Session.AM)]
    )
    assert cal.school_weeks == (date(2024, 9, 2), date(2024, 9, 9))


def test_n_school_days_after_skips_weekends_and_half_term() -> None:
    cal = calendar_2024()
    assert cal.school_days_after(date(2024, 10, 24), 1) == date(2024, 10, 25)
    assert cal.school_days_after(date(2024, 10, 24), 2) == date(2024, 11, 4)
    assert cal.school_days_after(date(2024, 10, 26), 1) == date(2024, 11, 4)  # from a Saturday
    assert cal.school_days_after(date(2024, 10, 24), 0) == date(2024, 10, 24)
    with pytest.raises(ValueError, match="does not reach"):
        cal.school_days_after(date(2025, 7, 21), 2)
    with pytest.raises(ValueError, match="negative"):
        cal.school_days_after(date(2025, 7, 21), -1)


def test_last_and_next_school_day() -> None:
    cal = calendar_2024()
    assert cal.last_school_day_on_or_before(date(2024, 11, 2)) == date(2024, 10, 25)
    assert cal.next_school_day_after(date(2024, 10, 25)) == date(2024, 11, 4)
    assert cal.last_school_day_on_or_before(date(2024, 9, 1)) is None
    assert cal.next_school_day_after(date(2025, 7, 22)) is None


def test_school_weeks_up_to_a_date() -> None:
    cal = calendar_2024()
    weeks = cal.school_weeks_up_to(date(2024, 11, 6), 3)
    assert weeks == (date(2024, 10, 14), date(2024, 10, 21), date(2024, 11, 4))
    # In a holiday week the window ends with the last school week.
    assert cal.school_weeks_up_to(date(2024, 10, 30), 1) == (date(2024, 10, 21),)


def test_calendars_combine_across_the_year_boundary() -> None:
    both = calendar_2023().union(calendar_2024())
    assert isinstance(both, Timetable)
    assert both.school_days_after(date(2024, 7, 23), 1) == date(2024, 9, 4)
    weeks = both.school_weeks_up_to(date(2024, 9, 4), 2)
    assert weeks == (date(2024, 7, 22), date(2024, 9, 2))


def test_half_terms_and_terms() -> None:
    cal = calendar_2024()
    halves = cal.half_terms()
    assert halves[0] == ("Autumn 1", date(2024, 9, 4), date(2024, 10, 27))
    assert halves[1] == ("Autumn 2", date(2024, 11, 2), date(2024, 12, 20))
    assert len(halves) == 6
    term = cal.term_of(date(2024, 10, 29))
    assert term is not None
    assert term.name == "Autumn"
    assert cal.term_of(date(2024, 8, 20)) is None


def test_break_edges_are_the_days_around_holidays() -> None:
    cal = calendar_2024((Closure(date(2024, 9, 18)),))
    edges = cal.break_edges()
    assert (date(2024, 10, 25), date(2024, 11, 4)) in edges
    assert (date(2024, 12, 20), date(2025, 1, 6)) in edges
    assert (date(2024, 9, 17), date(2024, 9, 19)) in edges  # a midweek closure day
    assert (date(2024, 9, 6), date(2024, 9, 9)) not in edges  # an ordinary weekend


@pytest.mark.parametrize(
    ("terms", "closures", "message"),
    [
        ([], [], "at least one term"),
        ([Term("A", date(2024, 9, 10), date(2024, 9, 1))], [], "ends before it starts"),
        ([Term("A", date(2023, 9, 1), date(2023, 12, 1))], [], "outside academic year"),
        (
            [Term("A", date(2024, 9, 2), date(2024, 12, 1)), Term("B", date(2024, 11, 1), date(2025, 2, 1))],
            [],
            "overlaps",
        ),
        ([Term("A", date(2024, 9, 2), date(2024, 12, 1), date(2024, 10, 28), None)], [], "both a half-term"),
        ([Term("A", date(2024, 9, 2), date(2024, 12, 1), date(2024, 8, 28), date(2024, 9, 3))], [], "inside"),
        ([Term("A", date(2024, 9, 2), date(2024, 12, 1))], [Closure(date(2024, 12, 25))], "not in a term"),
    ],
)
def test_inconsistent_calendars_are_refused(terms: list[Term], closures: list[Closure], message: str) -> None:
    with pytest.raises(InvalidCalendar, match=message):
        SchoolCalendar(2024, terms, closures)


def test_school_days_between_is_inclusive() -> None:
    cal = calendar_2024()
    monday = date(2024, 9, 9)
    assert cal.school_days_between(monday, monday + timedelta(days=4)) == tuple(
        monday + timedelta(days=i) for i in range(5)
    )
    assert cal.count_school_days(monday, monday) == 1
