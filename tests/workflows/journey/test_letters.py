"""The notice to improve and the penalty notice as the parent reads them, rendered from the context a journey really
sends: signed by the body that issues them, and quoting the unauthorised sessions with the period they were
counted over (register's penalty-threshold window on the school's days), never the school year or the issue date."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from temporalio.testing import WorkflowEnvironment

from services.notifications.service.delivery import template_variables
from services.notifications.service.recipients import resolve_recipients
from services.notifications.service.rendering import TemplateRenderer, long_date
from shared.contracts.journey import UPDATE_OFFICER_ACTION, ActionName, Actor, JourneyView, OfficerAction
from shared.contracts.notifications import NotificationRequest, RecipientRole
from shared.contracts.register import Contact, PupilContacts, PupilFlags, RegisterEventType
from tests.workflows.journey.support import (
    SUPPORT,
    FakeServices,
    Journey,
    decision,
    eventually,
    fact,
    new_queue,
    refusal_of,
    running_worker,
    threshold_window,
    today,
)
from workflows.journey.legal_steps import counted_period
from workflows.journey.policy import is_working_day
from workflows.journey.state import FastTrack, JourneyState

pytestmark = pytest.mark.workflows

A = ActionName
E = RegisterEventType
DAY = timedelta(days=1)
RENDERER = TemplateRenderer()
HEADTEACHER = Actor(subject="head-1", name="Joanna Hale", role="headteacher")
PUPIL = PupilContacts(
    pupil_id=uuid.uuid4(), display_name="Ava Thompson", legal_name="Ava Grace Thompson", school_urn="900001",
    school_name="Harbour View Academy", la_code="999", year_group="8", flags=PupilFlags(),
    parents=[Contact(name="Jane Thompson", relationship="mother", email="jane.thompson@example.com",
                     address="12 Quay Street\nNorthtown\nNT2 4QP", parental_responsibility=True)])


def _no_mondays(day: date) -> bool:
    """A school that does not meet on Mondays: the window's first school day is a Tuesday."""
    return is_working_day(day) and day.weekday() != 0


def _letter(request: NotificationRequest) -> str:
    recipient = resolve_recipients(RecipientRole.PARENTS, PUPIL, request.context, {})[0]
    return RENDERER.render(request.template, template_variables(PUPIL, recipient, request.context)).text


async def test_letters_quote_the_window_they_counted_and_are_signed_by_who_issued_them(
        journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(school_day=_no_mondays), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT))
        tipped, reported = await today(env) - 3 * DAY, await today(env)
        window = threshold_window(tipped, sessions=11)
        await journey.signal(fact(E.PENALTY_THRESHOLD_MET, session_date=tipped, details=window))
        await eventually(lambda: len(fakes.entries()) >= 2 and bool(fakes.calendar_reads))
        await journey.act(A.RECORD_DECISION, **decision())
        await journey.act(A.RECORD_SUPPORT, **SUPPORT)
        # The count and the period it was counted over travel together.
        assert (await refusal_of(journey, A.ISSUE_NOTICE_TO_IMPROVE, unauthorised_sessions=9)).startswith(
            "details.period_start: give the unauthorised sessions together with the period")
        await journey.act(A.ISSUE_NOTICE_TO_IMPROVE)  # by the LA officer of the test suite
        notice = OfficerAction(action=A.ISSUE_PENALTY_NOTICE, actor=HEADTEACHER, details={
            "parent": "parent-1", "service_method": "by_hand",
            "early_issue_grounds_met": "Unauthorised absence on two days of the period"})
        await journey.handle.execute_update(UPDATE_OFFICER_ACTION, notice, result_type=JourneyView)
        await eventually(lambda: {"notice_to_improve_parent", "penalty_notice_parent"} <= set(fakes.templates()))
    first_monday, last_monday = date.fromisoformat(window["window_weeks"][0]), \
        date.fromisoformat(window["window_weeks"][-1])
    # The first week's first school day (a Tuesday, or later after a bank holiday) to the last week's last school
    # day up to the day register reported the count.
    start = next(first_monday + i * DAY for i in range(7) if _no_mondays(first_monday + i * DAY))
    end = max(last_monday + i * DAY for i in range(7)
              if last_monday + i * DAY <= reported and _no_mondays(last_monday + i * DAY))
    sent = {r.template: r for r in fakes.sent.values()}
    nti, pn = sent["notice_to_improve_parent"], sent["penalty_notice_parent"]
    for request in (nti, pn):
        assert (request.context["unauthorised_sessions"], request.context["period_start"],
                request.context["period_end"]) == (11, start.isoformat(), end.isoformat())
    nti_text, pn_text = _letter(nti), _letter(pn)
    between = f"between {long_date(start)} and {long_date(end)}"
    assert f"Ava Thompson has missed 11 sessions without authorisation {between}" in nti_text
    assert f"11 sessions of unauthorised absence {between}" in pn_text
    # Neither the school year's start nor a day after the count was taken.
    assert start != date(start.year if start.month >= 9 else start.year - 1, 9, 1)
    assert end <= reported
    assert nti_text.rstrip().endswith("Test Officer\nFor and on behalf of Northshire County Council")
    assert pn_text.rstrip().endswith("Joanna Hale\nHeadteacher, Harbour View Academy")
    assert "by the headteacher of Harbour View Academy under section 444A" in pn_text


async def test_an_la_officer_without_the_las_name_gets_no_blank_signature(journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes, settle=True):
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT))
        await journey.signal(fact(E.PENALTY_THRESHOLD_MET, session_date=await today(env) - 3 * DAY))
        await eventually(lambda: len(fakes.entries()) >= 2)
        await journey.act(A.RECORD_DECISION, **decision())
        await journey.act(A.RECORD_SUPPORT, **SUPPORT)
        nameless = Actor(subject="ewo-2", name="Dan Price", role="la_ewo")
        await journey.handle.execute_update(UPDATE_OFFICER_ACTION, OfficerAction(
            action=A.ISSUE_NOTICE_TO_IMPROVE, actor=nameless), result_type=JourneyView)
        await eventually(lambda: bool(fakes.refused))
        refused = fakes.refused[:]
        fakes.refused.clear()  # the fake refused it as notifications would (422): that is the point
    assert [r.template for r in refused] == ["notice_to_improve_parent"]
    assert "signatory" not in refused[0].context
    assert any(e.kind == "notification_failed" and "signatory" in e.details["reason"] for e in fakes.entries())


def test_the_period_comes_from_one_source() -> None:
    state = JourneyState(pupil_id=str(uuid.uuid4()), school_urn="900001", la_code="999")
    none = {"unauthorised_sessions": None, "period_start": None, "period_end": None}
    given = {"unauthorised_sessions": 8, "period_start": date(2026, 11, 2), "period_end": date(2026, 11, 6)}
    assert counted_period(state, given) == (8, "2026-11-02", "2026-11-06")
    # No window from register: the fast track's entry figures, with their own period.
    state.fast_track = FastTrack(started_on=date(2026, 11, 20), ends_on=date(2027, 2, 19), unauthorised_sessions=12,
                                 period_start=date(2026, 10, 12), period_end=date(2026, 11, 20))
    assert counted_period(state, none) == (12, "2026-10-12", "2026-11-20")
    # Register's window wins over the fast track: its first Monday to its last week's Friday (no calendar read),
    # or to the day register reported it when that was earlier in the week.
    state.threshold_details = {"unauthorised_sessions": 10, "window_weeks": ["2026-09-14", "2026-11-16"],
                               "session_date": "2026-11-18"}
    assert counted_period(state, none) == (10, "2026-09-14", "2026-11-20")
    state.threshold_details["reported_on"] = "2026-11-18"
    assert counted_period(state, none) == (10, "2026-09-14", "2026-11-18")
