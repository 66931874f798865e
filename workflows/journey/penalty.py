"""Penalty notice arithmetic under the national framework (rules.md s11), pure: when a notice is received,
what it costs and until when, and whether the parent's notices for this child leave room for another."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from temporalio import workflow

from workflows.journey.policy import add_working_days, add_years

with workflow.unsafe.imports_passed_through():
    from shared.contracts.journey import JourneyPolicy, ServiceMethod

FRAMEWORK_START = date(2024, 8, 19)
# First-class post is presumed received on the second working day after posting (rules.md s11, [M]).
POSTAL_WORKING_DAYS = 2


def received_on(issued_on: date, method: ServiceMethod) -> date:
    """The day a notice is presumed received: handed over that day, or by first-class post two working days on."""
    if method is ServiceMethod.BY_HAND:
        return issued_on
    return add_working_days(issued_on, POSTAL_WORKING_DAYS)


@dataclass(frozen=True)
class CountedNotice:
    """A notice of this parent for this child, from this journey or casework's ledger."""

    notice_id: str
    issued_on: date
    withdrawn: bool


@dataclass(frozen=True)
class Terms:
    """What a parent owes on a new notice and by when; periods run beginning with the day of receipt."""

    sequence: int  # 1 or 2 within the 3-year limit period
    amount_pence: int  # due by pay_by
    discounted_amount_pence: int | None  # due by discount_until (a first notice only)
    discount_until: date | None
    pay_by: date
    received_on: date


def merged(own: Iterable[CountedNotice], ledger: Iterable[CountedNotice]) -> list[CountedNotice]:
    """This journey's notices and the ledger's, each once (the ledger may already hold this journey's)."""
    seen: dict[str, CountedNotice] = {n.notice_id: n for n in own}
    for notice in ledger:
        seen.setdefault(notice.notice_id, notice)
    return list(seen.values())


def limit_period(notices: Iterable[CountedNotice], issued_on: date, policy: JourneyPolicy) -> list[date]:
    """Issue dates of the notices that count on `issued_on`: not withdrawn, issued before it, inside the 3-year
    period that began with the first counting notice (a new period starts once that one has passed)."""
    dates = sorted(n.issued_on for n in notices if not n.withdrawn and n.issued_on <= issued_on
                   and (policy.count_notices_before_framework or n.issued_on >= FRAMEWORK_START))
    period: list[date] = []
    for issued in dates:
        if period and issued >= add_years(period[0], policy.penalty_limit_years):
            period = []
        period.append(issued)
    if period and issued_on >= add_years(period[0], policy.penalty_limit_years):
        return []
    return period


def notice_terms(notices: Iterable[CountedNotice], issued_on: date, receipt: date,
                 policy: JourneyPolicy) -> Terms | None:
    """Terms of a new notice, or None when it would be a third within 3 years of the first."""
    counting = [n for n in notices if not n.withdrawn]
    period = limit_period(counting, issued_on, policy)
    # "Beginning with" the day of receipt: that day is day 1.
    pay_by = receipt + timedelta(days=policy.penalty_payment_days - 1)
    if len(period) >= 2:
        return None
    if period:
        return Terms(2, policy.penalty_second_amount_pence, None, None, pay_by, receipt)
    recent = [n for n in counting if add_years(n.issued_on, policy.penalty_limit_years) > issued_on
              and n.issued_on <= issued_on]
    if recent and policy.penalty_rate_after_limit_period == "second":
        return Terms(1, policy.penalty_second_amount_pence, None, None, pay_by, receipt)
    return Terms(1, policy.penalty_first_amount_pence, policy.penalty_discounted_amount_pence,
                 receipt + timedelta(days=policy.penalty_discount_days - 1), pay_by, receipt)


def rate_on(amount_pence: int, discounted_amount_pence: int | None, discount_until: date | None, pay_by: date,
            paid_on: date) -> int | None:
    """What settles the notice if paid that day; None once the payment period has ended (a late payment)."""
    if discount_until is not None and discounted_amount_pence is not None and paid_on <= discount_until:
        return discounted_amount_pence
    if paid_on <= pay_by:
        return amount_pence
    return None
