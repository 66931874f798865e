"""The days a school meets over a range, across school years, for journeys that count school days and weeks."""

from __future__ import annotations

from datetime import date, timedelta

from services.register.domain.calendar import SchoolCalendar
from services.register.domain.school_age import academic_year_of
from services.register.models import School
from services.register.service import calendar
from services.register.service.context import Register
from shared.contracts.register import SchoolDays
from shared.errors import InvalidInput
from shared.unit_of_work import Db

# A journey looks ahead a few school years at most (a penalty notice's 3-year window is the longest);
# a longer range is a mistake, and would load a calendar per year.
MAX_RANGE_DAYS = 3 * 366


def _weekdays(start: date, end: date) -> list[date]:
    days = (start + timedelta(days=n) for n in range((end - start).days + 1))
    return [d for d in days if d.weekday() < 5]


def _last_calendar_year(to_date: date) -> int:
    # A calendar's terms may start in the August before its academic year, so a range ending in August
    # also reads the coming year's calendar.
    return to_date.year if to_date.month >= 8 else to_date.year - 1


def meeting_days(calendars: dict[int, SchoolCalendar | None], from_date: date, to_date: date) -> list[date]:
    """Days in the range with at least one session: each set-up calendar's own days; in an academic year
    (1 September to 31 August) without a calendar every weekday, the rule register takes marks by."""
    days: set[date] = set()
    for year, school_calendar in calendars.items():
        if school_calendar is not None:
            days.update(school_calendar.school_days_between(from_date, to_date))
            continue
        start, end = max(from_date, date(year, 9, 1)), min(to_date, date(year + 1, 8, 31))
        if start <= end:
            days.update(_weekdays(start, end))
    return sorted(days)


def known_until(calendars: dict[int, SchoolCalendar | None], from_date: date, to_date: date) -> date | None:
    """The last day up to which every day from from_date falls in an academic year with a set-up calendar."""
    last_known: date | None = None
    for year in range(academic_year_of(from_date), academic_year_of(to_date) + 1):
        if calendars.get(year) is None:
            return last_known
        last_known = min(to_date, date(year + 1, 8, 31))
    return last_known


async def school_days(db: Db, school: School, from_date: date, to_date: date) -> SchoolDays:
    """The school's days from from_date to to_date inclusive, and how far its calendars are set up."""
    if to_date < from_date:
        raise InvalidInput("The end of the range is before its start.", field="to")
    if (to_date - from_date).days > MAX_RANGE_DAYS:
        raise InvalidInput(f"The range may cover at most {MAX_RANGE_DAYS} days.", field="to")
    calendars = {year: await calendar.school_calendar(db, school.urn, year)
                 for year in range(academic_year_of(from_date), _last_calendar_year(to_date) + 1)}
    return SchoolDays(school_urn=school.urn, from_date=from_date, to_date=to_date,
                      school_days=meeting_days(calendars, from_date, to_date),
                      known_until=known_until(calendars, from_date, to_date))


async def days_of_school(reg: Register, school: School, from_date: date, to_date: date) -> SchoolDays:
    """The days the school meets over the range, from its calendars."""
    return await school_days(reg.db, school, from_date, to_date)
