"""Compulsory school age (EA 1996 s8) and the DfE statistics cohort, both sides of every boundary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.register.domain.school_age import (
    academic_year_of,
    age_on,
    compulsory_school_age_end,
    compulsory_school_age_start,
    is_compulsory_school_age,
    last_friday_in_june,
    national_curriculum_year,
    statistics_cohort,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("dob", "start"),
    [
        # 5th birthday on a prescribed day: CSA starts that day.
        (date(2019, 12, 31), date(2024, 12, 31)),
        (date(2020, 3, 31), date(2025, 3, 31)),
        (date(2019, 8, 31), date(2024, 8, 31)),
        # The day after a prescribed day: wait for the next one.
        (date(2020, 1, 1), date(2025, 3, 31)),
        (date(2020, 4, 1), date(2025, 8, 31)),
        (date(2019, 9, 1), date(2024, 12, 31)),
        # The day before a prescribed day.
        (date(2019, 12, 30), date(2024, 12, 31)),
        (date(2020, 3, 30), date(2025, 3, 31)),
        (date(2019, 8, 30), date(2024, 8, 31)),
        # 29 February: the fifth birthday falls on 1 March in a common year.
        (date(2020, 2, 29), date(2025, 3, 31)),
    ],
)
def test_compulsory_school_age_starts_on_or_after_the_fifth_birthday(dob: date, start: date) -> None:
    assert compulsory_school_age_start(dob) == start
    assert is_compulsory_school_age(dob, start)
    assert not is_compulsory_school_age(dob, start - timedelta(days=1))


def test_last_friday_in_june() -> None:
    assert last_friday_in_june(2024) == date(2024, 6, 28)
    assert last_friday_in_june(2023) == date(2023, 6, 30)  # 30 June itself is a Friday
    assert last_friday_in_june(2025) == date(2025, 6, 27)
    for year in range(2000, 2040):
        d = last_friday_in_june(year)
        assert d.weekday() == 4
        assert d.month == 6
        assert (d + timedelta(days=7)).month == 7


@pytest.mark.parametrize(
    ("dob", "end"),
    [
        (date(2007, 9, 23), date(2024, 6, 28)),  # the IPSEA example
        (date(2008, 8, 31), date(2024, 6, 28)),  # 16 on 31 August: the school year 2023/24
        (date(2008, 9, 1), date(2025, 6, 27)),  # 16 on 1 September: the school year 2024/25
        (date(2008, 6, 28), date(2024, 6, 28)),  # 16 on the leaving date itself
        (date(2008, 7, 15), date(2024, 6, 28)),  # 16 after the leaving date, before the next school year
        (date(2008, 1, 1), date(2024, 6, 28)),
    ],
)
def test_compulsory_school_age_ends_on_the_last_friday_in_june(dob: date, end: date) -> None:
    assert compulsory_school_age_end(dob) == end
    assert is_compulsory_school_age(dob, end)
    assert not is_compulsory_school_age(dob, end + timedelta(days=1))


def test_age_on() -> None:
    assert age_on(date(2019, 9, 1), date(2024, 8, 31)) == 4
    assert age_on(date(2019, 9, 1), date(2024, 9, 1)) == 5
    assert age_on(date(2020, 2, 29), date(2025, 2, 28)) == 4
    assert age_on(date(2020, 2, 29), date(2025, 3, 1)) == 5
    with pytest.raises(ValueError, match="before the date of birth"):
        age_on(date(2020, 1, 1), date(2019, 1, 1))


@pytest.mark.parametrize(
    ("dob", "year", "included"),
    [
        (date(2019, 8, 31), 2024, True),  # exactly 5 on 31 August
        (date(2019, 9, 1), 2024, False),  # 4 on 31 August (turns 5 the next day)
        (date(2008, 9, 1), 2024, True),  # 15 on 31 August
        (date(2008, 8, 31), 2024, False),  # 16 on 31 August
        (date(2025, 1, 1), 2024, False),  # not yet born
    ],
)
def test_statistics_cohort_is_age_five_to_fifteen_on_31_august(dob: date, year: int, included: bool) -> None:
    assert statistics_cohort(dob, year) is included


def test_the_two_rules_differ_for_a_reception_child_turning_five_in_october() -> None:
    dob = date(2019, 10, 15)
    assert compulsory_school_age_start(dob) == date(2024, 12, 31)
    assert is_compulsory_school_age(dob, date(2025, 1, 6))
    assert not statistics_cohort(dob, 2024)
    assert statistics_cohort(dob, 2025)


def test_academic_year_and_year_group() -> None:
    assert academic_year_of(date(2024, 8, 31)) == 2023
    assert academic_year_of(date(2024, 9, 1)) == 2024
    assert national_curriculum_year(date(2019, 8, 31), 2024) == 1
    assert national_curriculum_year(date(2019, 9, 1), 2024) == 0
    assert national_curriculum_year(date(2008, 9, 1), 2024) == 11
    with pytest.raises(ValueError, match="not born"):
        national_curriculum_year(date(2025, 1, 1), 2024)
