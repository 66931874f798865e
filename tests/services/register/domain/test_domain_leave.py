"""Leave periods by session, part-time agreements by weekday and session, reviews due, school days after leave."""

from __future__ import annotations

from datetime import date

import pytest

from services.register.domain.leave import (
    LeavePeriod,
    PartTimeAgreement,
    Weekday,
    due_for_review,
    school_days_after,
)
from services.register.domain.sessions import Session

MONDAY = date(2026, 11, 16)


def test_a_leave_period_runs_from_its_first_session_to_its_last() -> None:
    period = LeavePeriod(MONDAY, Session.PM, date(2026, 11, 18), Session.AM)
    assert not period.covers(MONDAY, Session.AM)
    assert period.covers(MONDAY, Session.PM)
    assert period.covers(date(2026, 11, 17), "AM")
    assert period.covers(date(2026, 11, 18), Session.AM)
    assert not period.covers(date(2026, 11, 18), Session.PM)
    meeting = [(date(2026, 11, d), s) for d in (16, 17, 18) for s in (Session.PM, Session.AM)]
    assert period.sessions(meeting) == [(MONDAY, Session.PM), (date(2026, 11, 17), Session.AM),
                                        (date(2026, 11, 17), Session.PM), (date(2026, 11, 18), Session.AM)]


def test_a_period_ending_before_it_starts_is_refused() -> None:
    LeavePeriod(MONDAY, Session.AM, MONDAY, Session.AM).check()
    with pytest.raises(ValueError, match="ends before it starts"):
        LeavePeriod(MONDAY, Session.PM, MONDAY, Session.AM).check()


def test_a_part_time_agreement_covers_its_agreed_sessions_inside_its_dates() -> None:
    agreement = PartTimeAgreement(MONDAY, date(2026, 11, 27), frozenset({(Weekday.MONDAY, Session.PM),
                                                                         (Weekday.FRIDAY, Session.AM)}))
    assert agreement.covers(MONDAY, "PM")
    assert not agreement.covers(MONDAY, "AM")
    assert agreement.covers(date(2026, 11, 20), Session.AM)
    assert not agreement.covers(date(2026, 11, 9), Session.PM)  # a Monday before it began
    assert not agreement.covers(date(2026, 11, 30), Session.PM)  # a Monday after it ended
    assert not agreement.covers(date(2026, 11, 21), Session.AM)  # Saturday


def test_reviews_due_within_the_notice_period_while_the_agreement_runs() -> None:
    today = date(2026, 11, 20)
    assert due_for_review(date(2026, 11, 25), date(2026, 12, 18), today, 5)
    assert not due_for_review(date(2026, 11, 26), date(2026, 12, 18), today, 5)
    assert due_for_review(date(2026, 11, 2), date(2026, 12, 18), today, 5)  # overdue
    assert not due_for_review(date(2026, 11, 2), date(2026, 11, 19), today, 5)  # ended


def test_school_days_after_count_strictly_between() -> None:
    days = [date(2026, 11, d) for d in (16, 17, 18, 19, 20, 23)]
    assert school_days_after(days, date(2026, 11, 17), date(2026, 11, 23)) == 3
    assert school_days_after(days, date(2026, 11, 20), date(2026, 11, 23)) == 0
