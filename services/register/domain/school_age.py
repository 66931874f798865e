"""Compulsory school age (Education Act 1996 s8) and the simpler DfE statistics cohort rule."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

CSA_START_AGE = 5
CSA_END_AGE = 16
STATISTICS_MIN_AGE = 5
STATISTICS_MAX_AGE = 15
# Prescribed days (month, day) on which a child who is already five begins compulsory school age.
PRESCRIBED_DAYS: tuple[tuple[int, int], ...] = ((3, 31), (8, 31), (12, 31))
# The school year is taken to begin on 1 September (the academic year the DfE and schools use).
SCHOOL_YEAR_START = (9, 1)


def birthday_in(dob: date, year: int) -> date:
    """The birthday in a given year; 29 February falls on 1 March in common years."""
    try:
        return dob.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


def age_on(dob: date, on_date: date) -> int:
    """Age in completed years on a date."""
    if on_date < dob:
        raise ValueError("the date is before the date of birth")
    years = on_date.year - dob.year
    return years if on_date >= birthday_in(dob, on_date.year) else years - 1


def compulsory_school_age_start(dob: date) -> date:
    """First day of compulsory school age: the 5th birthday if prescribed, else the next prescribed day."""
    fifth = birthday_in(dob, dob.year + CSA_START_AGE)
    for month, day in PRESCRIBED_DAYS:
        prescribed = date(fifth.year, month, day)
        if prescribed >= fifth:
            return prescribed
    raise AssertionError("31 December is always on or after the birthday")  # pragma: no cover


def last_friday_in_june(year: int) -> date:
    """The school leaving date of a calendar year: the last Friday in June."""
    end = date(year, 6, 30)
    return end - timedelta(days=(end.weekday() - 4) % 7)


def compulsory_school_age_end(dob: date) -> date:
    """Last day of compulsory school age: last Friday in June of the school year in which the child is 16."""
    sixteenth = birthday_in(dob, dob.year + CSA_END_AGE)
    # A 16th birthday on or after 1 September falls in the school year ending the following summer.
    year = sixteenth.year + (1 if (sixteenth.month, sixteenth.day) >= SCHOOL_YEAR_START else 0)
    return last_friday_in_june(year)


# Asked for every pupil of every session written; a pure function of two dates, so remembered.
@lru_cache(maxsize=16384)
def is_compulsory_school_age(dob: date, on_date: date) -> bool:
    """True when the child is of compulsory school age on the date (both ends inclusive)."""
    return compulsory_school_age_start(dob) <= on_date <= compulsory_school_age_end(dob)


def academic_year_of(on_date: date) -> int:
    """The starting calendar year of the academic year (1 September to 31 August) containing the date."""
    return on_date.year if (on_date.month, on_date.day) >= SCHOOL_YEAR_START else on_date.year - 1


def age_at_start_of_academic_year(dob: date, academic_year_start_year: int) -> int:
    """Age on 31 August before the academic year that starts in the given year."""
    return age_on(dob, date(academic_year_start_year, 8, 31))


def statistics_cohort(dob: date, academic_year_start_year: int) -> bool:
    """True when the pupil is in the DfE statistics cohort: aged 5 to 15 on 31 August before the year."""
    cutoff = date(academic_year_start_year, 8, 31)
    if cutoff < dob:
        return False
    return STATISTICS_MIN_AGE <= age_on(dob, cutoff) <= STATISTICS_MAX_AGE


def national_curriculum_year(dob: date, academic_year_start_year: int) -> int:
    """The usual year group for the age (0 is Reception, 1-13 are Years 1-13; negative is nursery)."""
    cutoff = date(academic_year_start_year, 8, 31)
    if cutoff < dob:
        raise ValueError("the pupil was not born by 31 August before that academic year")
    return age_on(dob, cutoff) - 4


def default_range(from_date: date | None, to_date: date | None, today: date,
                  admission_date: date) -> tuple[date, date]:
    """Academic year to date from the pupil's admission, unless the caller chose a range."""
    end = to_date or today
    start = from_date or max(date(academic_year_of(end), 9, 1), admission_date)
    return start, end
