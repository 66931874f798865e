"""CI's second run of the suite is pinned to a day in a school holiday: the days it rotates through must be holidays
of the demo calendar, in every school year."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scripts.demo_register import demo_academic_year, demo_terms
from scripts.holiday_date import holiday_days, rotating_holiday
from services.register.domain.calendar import SchoolCalendar

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("today", [date(2026, 12, 4), date(2027, 8, 31), date(2029, 3, 1), date(2031, 9, 10)])
def test_every_rotated_day_is_a_holiday_of_the_demo_year(today: date) -> None:
    year = demo_academic_year(today)
    calendar = SchoolCalendar(year, demo_terms(year))
    days = holiday_days(today)
    assert len(set(days)) == 7
    assert not [d for d in days if calendar.is_school_day(d)]
    assert max(days) == date(year + 1, 8, 31)  # the last day of the school year is one of them


def test_the_day_rotates_week_by_week() -> None:
    monday = date(2026, 11, 30)
    assert len({rotating_holiday(monday + timedelta(weeks=w)) for w in range(7)}) == 7
