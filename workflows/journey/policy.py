"""Date and money arithmetic of the journey, pure: the statutory rules with local values from JourneyPolicy."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from holidays.countries.united_kingdom import UnitedKingdom
    from pydantic import BaseModel, Field, PrivateAttr

    from shared.contracts.journey import JourneyPolicy

# The guidance's upper limit for an action plan review and a notice to improve's improvement period (3-6 weeks).
NOTICE_TO_IMPROVE_MIN_DAYS = 21
NOTICE_TO_IMPROVE_MAX_DAYS = 42
ESO_EXTENSION_WINDOW_MONTHS = 3
ESO_MAX_EXTENSION_YEARS = 3


def add_months(day: date, months: int) -> date:
    """Same day of the month `months` later, clamped to the month's end."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def add_calendar_weeks(day: date, weeks: int) -> date:
    """How journeys started before the lawful-pathway patch count a school week (PATCHES.md)."""
    return day + timedelta(weeks=weeks)


@lru_cache(maxsize=16)
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays of a year (substitute days included), from the `holidays` library: its
    class for holidays.country_holidays("GB", subdiv="ENG"), named directly so that the library does not load
    every other country inside the workflow sandbox."""
    # The library reaches for locale and gettext as it builds a year; that is deterministic for a given version.
    with workflow.unsafe.sandbox_unrestricted():
        return frozenset(UnitedKingdom(subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(day: date, n: int) -> date:
    """The n-th working day after `day` (weekends and bank holidays excluded)."""
    while n > 0:
        day += timedelta(days=1)
        n -= is_working_day(day)
    return day


CALENDAR_NOT_SET_UP = "counted in calendar weeks: the school's calendar for next year is not set up"
CALENDAR_UNKNOWN = "counted in calendar weeks: the school's calendar could not be read from the register"


class SchoolCalendar(BaseModel):
    """The days the pupil's school meets, as register gave them; days after `known_until` are not set up."""

    school_urn: str
    from_date: date
    known_until: date | None = None
    school_days: list[date] = Field(default_factory=list)
    fetched_on: date
    _days: frozenset[date] | None = PrivateAttr(default=None)

    def days(self) -> frozenset[date]:
        if self._days is None:
            self._days = frozenset(self.school_days)
        return self._days

    def covers(self, first: date, last: date) -> bool:
        return self.from_date <= first and self.known_until is not None and last <= self.known_until


@dataclass(frozen=True)
class Counted:
    """A date counted in school weeks or days; `note` says when it had to be counted in calendar time."""

    day: date
    note: str | None = None


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def is_school_day(cal: SchoolCalendar | None, day: date) -> bool:
    """From the school's calendar where it reaches, else a working day (weekends and bank holidays closed)."""
    if cal is not None and cal.covers(day, day):
        return day in cal.days()
    return is_working_day(day)


def add_school_weeks(cal: SchoolCalendar | None, start: date, n: int) -> Counted:
    """The day n school weeks after `start`: the same weekday in the n-th following Monday-Sunday week that
    has a school day, moved to a school day of that week (the latest not after that weekday, else the first),
    so that no deadline falls on a closure day. Outside the calendar: n calendar weeks, said so."""
    if cal is None:
        return Counted(_working_day_on_or_before(start + timedelta(weeks=n)), CALENDAR_UNKNOWN)
    week = _monday(start)
    counted = 0
    while counted < n:
        week += timedelta(weeks=1)
        if not cal.covers(start, week + timedelta(days=6)):
            return Counted(_working_day_on_or_before(start + timedelta(weeks=n)), CALENDAR_NOT_SET_UP)
        counted += any(week + timedelta(days=i) in cal.days() for i in range(7))
    if n <= 0:
        return Counted(start)
    in_week = [week + timedelta(days=i) for i in range(7) if week + timedelta(days=i) in cal.days()]
    target = week + timedelta(days=start.weekday())
    not_after = [d for d in in_week if d <= target]
    return Counted(not_after[-1] if not_after else in_week[0])


def add_school_days(cal: SchoolCalendar | None, start: date, n: int) -> Counted:
    """The n-th school day after `start`; outside the calendar, working days (said so)."""
    day = start
    while n > 0:
        day += timedelta(days=1)
        if cal is None or not cal.covers(start, day):
            note = CALENDAR_UNKNOWN if cal is None else CALENDAR_NOT_SET_UP
            return Counted(add_working_days(day - timedelta(days=1), n), note)
        n -= day in cal.days()
    return Counted(day)


def school_weeks_in(cal: SchoolCalendar | None, first: date, last: date) -> tuple[int, str | None]:
    """How many Monday-Sunday weeks touching [first, last] have a school day inside it."""
    has_day: Callable[[date], bool]
    if cal is None or not cal.covers(first, last):
        note = CALENDAR_UNKNOWN if cal is None else CALENDAR_NOT_SET_UP
        has_day = is_working_day
    else:
        note, has_day = None, cal.days().__contains__
    weeks, week = 0, _monday(first)
    while week <= last:
        span = [week + timedelta(days=i) for i in range(7)]
        weeks += any(first <= d <= last and has_day(d) for d in span)
        week += timedelta(weeks=1)
    return weeks, note


def school_days_of_weeks(cal: SchoolCalendar | None, first_week: date, last_week: date,
                         until: date | None = None) -> tuple[date, date]:
    """The first school day of the week of `first_week` and the last of the week of `last_week` not after `until`
    (Monday-Sunday weeks; working days outside the calendar), as a letter quotes a period counted in school
    weeks."""
    start, end = _monday(first_week), _monday(last_week) + timedelta(days=6)
    if until is not None and start <= until < end:
        end = until
    opening = [start + timedelta(days=i) for i in range(7) if is_school_day(cal, start + timedelta(days=i))]
    closing = [end - timedelta(days=i) for i in range(7)
               if end - timedelta(days=i) >= start and is_school_day(cal, end - timedelta(days=i))]
    return (opening[0] if opening else start), (closing[0] if closing else end)


def review_date_refusal(cal: SchoolCalendar | None, start: date, today: date, review_date: date, weeks: int,
                        what: str = "review") -> str | None:
    """A review no more than `weeks` school weeks after the step, after today, on a day the school meets."""
    if review_date <= today:
        return "The review date must be after today"
    latest = add_school_weeks(cal, start, weeks)
    if review_date > latest.day:
        return f"The {what} must be no more than {weeks} school weeks away (by {latest.day.isoformat()})" + \
            (f"; {latest.note}" if latest.note else "")
    if not is_school_day(cal, review_date):
        return f"details.review_date: the school is closed on {review_date.isoformat()}: pick a school day"
    return None


def action_plan_review_refusal(today: date, review_date: date, policy: JourneyPolicy) -> str | None:
    """None when the review date is after today and within the policy's limit (6 weeks by default)."""
    if review_date <= today:
        return "The review date must be after today"
    latest = today + timedelta(days=policy.action_plan_review_days)
    if review_date > latest:
        return f"The review must be no more than {policy.action_plan_review_days // 7} weeks away " \
               f"(by {latest.isoformat()})"
    return None


def contract_review_refusal(today: date, review_date: date, policy: JourneyPolicy) -> str | None:
    if review_date <= today:
        return "The review date must be after today"
    if review_date > today + timedelta(days=policy.contract_review_days):
        return f"A contract review must be within {policy.contract_review_days} days"
    return None


@dataclass(frozen=True)
class NoticeTerms:
    """What a parent owes on a penalty notice and by when."""

    sequence: int  # 1 or 2 within the limit period
    amount_pence: int  # due by pay_by
    discounted_amount_pence: int | None  # due by discount_until (first notice only)
    discount_until: date | None
    pay_by: date


@dataclass(frozen=True)
class PriorNotice:
    issued_on: date
    withdrawn: bool


def counting_notices(prior: Iterable[PriorNotice], today: date, policy: JourneyPolicy) -> list[date]:
    """Issue dates of the parent's notices that count now: not withdrawn, inside the period that began with
    the first counting notice (a new period starts once that period has passed)."""
    dates = sorted(n.issued_on for n in prior if not n.withdrawn)
    period: list[date] = []
    for issued in dates:
        if period and issued >= add_years(period[0], policy.penalty_limit_years):
            period = []
        period.append(issued)
    if period and today >= add_years(period[0], policy.penalty_limit_years):
        return []
    return period


def penalty_terms(prior: Iterable[PriorNotice], issued_on: date, policy: JourneyPolicy) -> NoticeTerms | None:
    """Terms of a new notice to this parent for this child, or None when it would be a third in the period."""
    counted = counting_notices(prior, issued_on, policy)
    pay_by = issued_on + timedelta(days=policy.penalty_payment_days)
    if not counted:
        return NoticeTerms(1, policy.penalty_first_amount_pence, policy.penalty_discounted_amount_pence,
                           issued_on + timedelta(days=policy.penalty_discount_days), pay_by)
    if len(counted) == 1:
        return NoticeTerms(2, policy.penalty_second_amount_pence, None, None, pay_by)
    return None


def amount_due(terms: NoticeTerms, paid_on: date) -> int | None:
    """What settles the notice if paid on that day; None once the payment period has ended."""
    if terms.discount_until is not None and terms.discounted_amount_pence is not None \
            and paid_on <= terms.discount_until:
        return terms.discounted_amount_pence
    if paid_on <= terms.pay_by:
        return terms.amount_pence
    return None


def eso_extension_refusal(today: date, expires_on: date, years: int) -> str | None:
    """An ESO may be extended only within its last 3 months, for up to 3 years at a time."""
    if years > ESO_MAX_EXTENSION_YEARS:
        return f"An ESO can be extended for up to {ESO_MAX_EXTENSION_YEARS} years at a time"
    if today > expires_on:
        return "The education supervision order has expired"
    if today < add_months(expires_on, -ESO_EXTENSION_WINDOW_MONTHS):
        return "An ESO can only be extended within the last 3 months before it expires"
    return None


def pounds(pence: int) -> str:
    return f"£{pence // 100}" if pence % 100 == 0 else f"£{pence / 100:.2f}"
