"""Date and money arithmetic of the journey, pure: the statutory rules with local values from JourneyPolicy."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
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


def add_school_weeks(day: date, weeks: int) -> date:
    """School weeks as calendar weeks: holidays are not known to the journey (a conservative end date)."""
    return day + timedelta(weeks=weeks)


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
