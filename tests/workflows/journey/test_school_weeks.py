"""School weeks and school days of the pupil's school calendar: the pure counting (unit) and the journey's
deadlines on the time-skipping server, through half terms and past the end of a calendar set up."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from temporalio.testing import WorkflowEnvironment

from shared.contracts.journey import QUERY_DETAIL, ActionName, JourneyDetail
from shared.contracts.register import RegisterEventType
from tests.workflows.journey.support import (
    SUPPORT,
    FakeServices,
    Journey,
    decision,
    eventually,
    fact,
    fast_track_figures,
    new_queue,
    running_worker,
    today,
)
from workflows.journey import policy as rules
from workflows.journey.policy import CALENDAR_NOT_SET_UP, CALENDAR_UNKNOWN, SchoolCalendar

A = ActionName
E = RegisterEventType
DAY = timedelta(days=1)
# Autumn 2026 at a school: half term is the week of Monday 26 October; Friday 16 October is an INSET day.
HALF_TERM = date(2026, 10, 26)
INSET = date(2026, 10, 16)


def calendar(first: date, last: date, closed: Callable[[date], bool], known_until: date | None = None,
             ) -> SchoolCalendar:
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return SchoolCalendar(school_urn="900001", from_date=first, known_until=known_until or last,
                          school_days=[d for d in days if rules.is_working_day(d) and not closed(d)],
                          fetched_on=first)


def autumn_closed(day: date) -> bool:
    return HALF_TERM <= day < HALF_TERM + timedelta(days=7) or day == INSET


AUTUMN = calendar(date(2026, 9, 1), date(2026, 12, 18), autumn_closed)


@pytest.mark.unit
def test_a_half_term_week_is_not_a_school_week() -> None:
    # Issued Wednesday 14 October: 3 school weeks are the weeks of 19 Oct, 2 Nov and 9 Nov (half term skipped).
    assert rules.add_school_weeks(AUTUMN, date(2026, 10, 14), 3) == rules.Counted(date(2026, 11, 11))
    assert rules.add_school_weeks(AUTUMN, date(2026, 9, 9), 3) == rules.Counted(date(2026, 9, 30))


@pytest.mark.unit
def test_no_deadline_falls_on_a_closure_day() -> None:
    # Two school weeks after Friday 2 October is Friday 16 October, an INSET day: the Thursday before.
    assert rules.add_school_weeks(AUTUMN, date(2026, 10, 2), 2).day == date(2026, 10, 15)
    # From a Saturday: the Saturday of the n-th school week is not a school day either.
    assert rules.add_school_weeks(AUTUMN, date(2026, 9, 12), 1).day == date(2026, 9, 18)


@pytest.mark.unit
def test_outside_the_calendar_weeks_are_counted_in_calendar_weeks_and_said_so() -> None:
    counted = rules.add_school_weeks(AUTUMN, date(2026, 12, 2), 6)
    assert counted == rules.Counted(date(2027, 1, 13), CALENDAR_NOT_SET_UP)
    assert "calendar for next year is not set up" in CALENDAR_NOT_SET_UP
    # No calendar at all (a journey started before the change): calendar weeks, off a weekend.
    assert rules.add_school_weeks(None, date(2026, 12, 5), 1) == rules.Counted(date(2026, 12, 11), CALENDAR_UNKNOWN)


@pytest.mark.unit
def test_school_days_skip_closures_and_bank_holidays() -> None:
    assert rules.add_school_days(AUTUMN, date(2026, 10, 15), 1).day == date(2026, 10, 19)  # INSET Friday
    assert rules.add_school_days(AUTUMN, date(2026, 10, 23), 1).day == date(2026, 11, 2)  # half term
    assert rules.add_school_days(None, date(2026, 12, 24), 1) == rules.Counted(date(2026, 12, 29), CALENDAR_UNKNOWN)


@pytest.mark.unit
def test_school_weeks_in_a_period() -> None:
    assert rules.school_weeks_in(AUTUMN, date(2026, 10, 5), date(2026, 11, 13)) == (5, None)  # 6 weeks, 1 closed
    assert rules.school_weeks_in(None, date(2026, 10, 5), date(2026, 11, 13)) == (6, CALENDAR_UNKNOWN)


@pytest.mark.unit
def test_a_review_date_within_school_weeks_and_on_a_school_day() -> None:
    start = date(2026, 10, 14)
    # Six school weeks from 14 October reach 2 December, not 25 November, because of half term.
    assert rules.review_date_refusal(AUTUMN, start, start, date(2026, 12, 2), 6) is None
    assert (rules.review_date_refusal(AUTUMN, start, start, date(2026, 12, 3), 6) or "").startswith(
        "The review must be no more than 6 school weeks away (by 2026-12-02)")
    assert "the school is closed on 2026-10-28" in (rules.review_date_refusal(AUTUMN, start, start,
                                                                               date(2026, 10, 28), 6) or "")


def every_seventh_week_closed(first_monday: date) -> Callable[[date], bool]:
    """Whether the school meets, in a year of half terms as seen from the test's today: weeks 2, 9, 16, ...
    after this one are closed, like every weekend and bank holiday."""
    def meets(day: date) -> bool:
        weeks = (day - first_monday).days // 7
        return rules.is_working_day(day) and not (weeks >= 0 and weeks % 7 == 2)
    return meets


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def on_or_before_school_day(meets: Callable[[date], bool], day: date) -> date:
    while not meets(day):
        day -= DAY
    return day


@pytest.mark.workflows
async def test_an_improvement_period_across_half_term_still_gives_three_school_weeks(
        journey_env: WorkflowEnvironment) -> None:
    env, queue = journey_env, new_queue()
    start = await today(env)
    meets = every_seventh_week_closed(monday_of(start))
    fakes = FakeServices(school_day=meets)
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT))
        await journey.signal(fact(E.PENALTY_THRESHOLD_MET, session_date=start - 7 * DAY))
        await eventually(lambda: len(fakes.entries()) >= 2 and bool(fakes.calendar_reads))
        await journey.act(A.RECORD_DECISION, **decision())
        await journey.act(A.RECORD_SUPPORT, **SUPPORT)
        view = await journey.act(A.ISSUE_NOTICE_TO_IMPROVE, improvement_school_weeks=3)
    due = next(d["due_date"] for d in view.deadlines if d["kind"] == "notice_to_improve")
    # Weeks 1 and 3 after this one are school weeks, week 2 is half term: the period ends in week 4.
    expected = on_or_before_school_day(meets, start + 28 * DAY)
    assert due == expected.isoformat()
    assert monday_of(expected) == monday_of(start) + timedelta(weeks=4)


@pytest.mark.workflows
async def test_past_the_calendar_set_up_the_timeline_says_calendar_weeks(journey_env: WorkflowEnvironment) -> None:
    env, queue = journey_env, new_queue()
    start = await today(env)
    fakes = FakeServices(known_until=start + 30 * DAY)
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT))
        await eventually(lambda: bool(fakes.calendar_reads) and bool(fakes.projections))
        await journey.act(A.RECORD_DECISION, **decision())
        await journey.act(A.RECORD_SUPPORT_INAPPROPRIATE, reason="Unauthorised term-time holiday")
        await journey.act(A.START_FAST_TRACK, **fast_track_figures(start))
    entry = next(e for e in fakes.entries() if e.kind == "start_fast_track")
    assert entry.title.endswith(f"({CALENDAR_NOT_SET_UP})")
    assert "12 school weeks" in entry.title


@pytest.mark.workflows
async def test_a_year_long_journey_through_half_terms(journey_env: WorkflowEnvironment) -> None:
    """Plan review, contract review, fast track and notice to improve each count school weeks, over a year in
    which every seventh week is a half term; the calendar is read again as the weeks pass."""
    env, queue = journey_env, new_queue()
    start = await today(env)
    meets = every_seventh_week_closed(monday_of(start))
    fakes = FakeServices(school_day=meets)
    journey = Journey(env.client, queue)

    def counted(day: date, weeks: int) -> date:
        return rules.add_school_weeks(calendar(day - 70 * DAY, day + 400 * DAY, lambda d: not meets(d)),
                                      day, weeks).day

    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT))
        await eventually(lambda: bool(fakes.calendar_reads) and bool(fakes.projections))
        # Six school weeks from today cross the half term in week 2: seven calendar weeks.
        latest = counted(start, 6)
        assert monday_of(latest) == monday_of(start) + timedelta(weeks=7)
        view = await journey.act(A.AGREE_ACTION_PLAN, actions=["Attend daily"], review_date=latest.isoformat())
        assert [d["due_date"] for d in view.deadlines] == [latest.isoformat()]
        await env.sleep(latest - start + DAY)
        await journey.act(A.REVIEW_ACTION_PLAN, outcome="not_improved")
        await journey.act(A.OFFER_ATTENDANCE_CONTRACT, parent="parent-1", parent_commitments=["Attend"],
                          support_provided=["Mentor"])
        signed_on = await today(env)
        view = await journey.act(A.SIGN_ATTENDANCE_CONTRACT, parent="parent-1")
        review = next(d["due_date"] for d in view.deadlines if d["kind"] == "contract_review")
        assert review == counted(signed_on, 6).isoformat()
        await journey.act(A.RECORD_CONTRACT_BREACH, parent="parent-1", breach="Missed 9 sessions")
        await journey.act(A.RECORD_DECISION, **decision())
        await journey.act(A.RECORD_SUPPORT, **SUPPORT)
        view = await journey.act(A.START_FAST_TRACK, **fast_track_figures(signed_on, unauthorised=9,
                                                                           possible=54, meets=meets))
        ends = next(d["due_date"] for d in view.deadlines if d["kind"] == "fast_track_end")
        assert ends == counted(signed_on, 12).isoformat()
        assert date.fromisoformat(ends) - signed_on > timedelta(weeks=12)  # at least one half term inside
        await env.sleep(date.fromisoformat(ends) - signed_on + DAY)
        await eventually(lambda: any(e.title.startswith("Fast track period ended") for e in fakes.entries()))
        now = await today(env)
        await journey.signal(fact(E.PENALTY_THRESHOLD_MET, session_date=now))
        await eventually(lambda: any(e.details.get("event_type") == "penalty_threshold_met"
                                     for e in fakes.entries()))
        view = await journey.act(A.ISSUE_NOTICE_TO_IMPROVE)
        until = next(d["due_date"] for d in view.deadlines if d["kind"] == "notice_to_improve")
        assert until == counted(now, 4).isoformat()
        await env.sleep(date.fromisoformat(until) - now + DAY)
        await eventually(lambda: any(e.title.startswith("Improvement period ended") for e in fakes.entries()))
        await env.sleep(timedelta(days=200))
        await eventually(lambda: fakes.calendar_reads[-1][1] > start + 150 * DAY)
        detail = await journey.handle.query(QUERY_DETAIL, result_type=JourneyDetail)
    assert "issue_penalty_notice" not in detail.refusals
    assert len(fakes.calendar_reads) > 30  # weekly over most of a year
    assert await today(env) - start > timedelta(days=300)
