"""The journey refuses every step the law does not allow (issue 13), with a reason an officer can act on: support
first, the guards on penalty notices and prosecution, facts that follow the register both ways, effective
dates, and the fast track entry criterion. Time-skipping server, plus the refusals as pure functions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from temporalio.testing import WorkflowEnvironment

from shared.contracts.journey import QUERY_DETAIL, ActionName, JourneyDetail, Stage
from shared.contracts.register import PupilFlags, RegisterEventType
from tests.workflows.journey.support import (
    SUPPORT,
    FakeServices,
    Journey,
    decision,
    eventually,
    fact,
    fast_track_figures,
    new_queue,
    refusal_of,
    running_worker,
    school_day,
    today,
)
from workflows.journey.legal_steps import INDEPENDENT, NO_ESO_CONSIDERED, NO_SUPPORT, THRESHOLD_ON

pytestmark = pytest.mark.workflows

A = ActionName
E = RegisterEventType
DAY = timedelta(days=1)
PROSECUTE = {"section": "s444(1)", "reasons": "No engagement with support",
             "eso_considered": "Considered; the family would not follow directions"}


async def _started(journey: Journey, fakes: FakeServices, env: WorkflowEnvironment,
                   flags: PupilFlags | None = None, threshold: bool = True) -> None:
    await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT, flags))
    if threshold:
        await journey.signal(fact(E.PENALTY_THRESHOLD_MET, flags, session_date=await today(env) - 3 * DAY))
    await eventually(lambda: len(fakes.entries()) >= (2 if threshold else 1) and bool(fakes.calendar_reads))


async def test_every_legal_step_needs_support_recorded_first(journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await _started(journey, fakes, env)
        await journey.act(A.RECORD_DECISION, **decision())
        for step, details in ((A.START_FAST_TRACK, fast_track_figures(await today(env))),
                              (A.ISSUE_NOTICE_TO_IMPROVE, {}),
                              (A.ISSUE_PENALTY_NOTICE, {"parent": "parent-1", "service_method": "by_hand"}),
                              (A.APPLY_FOR_ESO, {}), (A.DECIDE_PROSECUTION, PROSECUTE)):
            assert await refusal_of(journey, step, **details) == NO_SUPPORT
        detail = await journey.handle.query(QUERY_DETAIL, result_type=JourneyDetail)
        assert detail.refusals["apply_for_eso"] == NO_SUPPORT
        assert (await refusal_of(journey, A.RECORD_SUPPORT, what="Mentoring")).startswith("details.provider")
        assert (await refusal_of(journey, A.RECORD_SUPPORT, what="Mentoring", provider="School",
                                 start_date="2026-09-07")).startswith("details.end_date")
        await journey.act(A.RECORD_SUPPORT, what="Mentoring", provider="School pastoral team",
                          start_date="2026-09-07", review_date="2026-10-19", response="offered")
        recorded = next(e for e in fakes.entries() if e.kind == "record_support").title
        assert recorded.endswith("offered: Mentoring by School pastoral team from 2026-09-07")
        support_id = recorded.split()[1]
        assert (await refusal_of(journey, A.RECORD_SUPPORT, support_id="support-999")).startswith("support_id")
        await journey.act(A.RECORD_SUPPORT, support_id=support_id, response="declined",
                          outcome="Parent did not attend the sessions")
        view = await journey.act(A.APPLY_FOR_ESO)
    assert view.stage is Stage.FORMAL_SUPPORT
    titles = [e.title for e in fakes.entries()]
    assert f"Support {support_id} (Mentoring): declined, Parent did not attend the sessions" in titles


async def test_an_eso_in_force_stops_penalty_notices_and_prosecution(journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await _started(journey, fakes, env)
        await journey.act(A.RECORD_DECISION, **decision())
        await journey.act(A.RECORD_SUPPORT, **SUPPORT)
        await journey.act(A.APPLY_FOR_ESO)
        await journey.act(A.RECORD_ESO_DECISION, granted=True)
        notice = await refusal_of(journey, A.ISSUE_PENALTY_NOTICE, parent="parent-1", service_method="by_hand")
        assert notice.startswith("An education supervision order is in force until ")
        assert "no penalty notice or prosecution for absence in its period" in notice
        assert (await refusal_of(journey, A.DECIDE_PROSECUTION, **PROSECUTE)).startswith(
            "An education supervision order is in force")
        # Absence that ended before the order began is outside its period.
        await journey.act(A.ISSUE_PENALTY_NOTICE, parent="parent-1", service_method="by_hand",
                          unauthorised_sessions=12, period_start=(await today(env) - 60 * DAY).isoformat(),
                          period_end=(await today(env) - DAY).isoformat())


async def test_a_notice_to_improve_running_needs_early_issue_grounds(journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await _started(journey, fakes, env)
        await journey.act(A.RECORD_DECISION, **decision())
        await journey.act(A.RECORD_SUPPORT, **SUPPORT)
        await journey.act(A.ISSUE_NOTICE_TO_IMPROVE, early_issue_grounds="any unauthorised absence in the period")
        await env.sleep(5 * DAY)
        refused = await refusal_of(journey, A.ISSUE_PENALTY_NOTICE, parent="parent-1", service_method="by_hand")
        assert refused.startswith("The notice to improve's improvement period runs until ")
        assert "details.early_issue_grounds_met" in refused
        assert "(any unauthorised absence in the period)" in refused
        await journey.act(A.ISSUE_PENALTY_NOTICE, parent="parent-1", service_method="by_hand",
                          early_issue_grounds_met="Unauthorised absence on two days of the period")


async def test_the_threshold_follows_the_register_both_ways_and_dates_count(journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await _started(journey, fakes, env, threshold=False)
        now = await today(env)
        await journey.act(A.RECORD_DECISION, effective_date=now - 10 * DAY, **decision())
        await journey.act(A.RECORD_SUPPORT, effective_date=now - 10 * DAY, **SUPPORT)
        assert await refusal_of(journey, A.ISSUE_PENALTY_NOTICE, parent="parent-1",
                                service_method="by_hand") == THRESHOLD_ON
        await journey.signal(fact(E.PENALTY_THRESHOLD_MET, session_date=now - DAY))
        await eventually(lambda: any(e.details.get("event_type") == "penalty_threshold_met" for e in fakes.entries()))
        # A notice dated before the threshold was met is refused; one dated after it is not.
        assert await refusal_of(journey, A.ISSUE_PENALTY_NOTICE, parent="parent-1", service_method="by_hand",
                                effective_date=now - 3 * DAY) == THRESHOLD_ON
        assert (await refusal_of(journey, A.ISSUE_NOTICE_TO_IMPROVE, effective_date=now - 3 * DAY)).startswith(
            "A notice to improve needs the national threshold met on its date")
        # An amendment takes the pupil back under the threshold: new notices are refused again.
        await journey.signal(fact(E.PENALTY_THRESHOLD_NO_LONGER_MET, session_date=now - 20 * DAY))
        await eventually(lambda: any(e.details.get("event_type") == "penalty_threshold_no_longer_met"
                                     for e in fakes.entries()))
        assert await refusal_of(journey, A.ISSUE_PENALTY_NOTICE, parent="parent-1",
                                service_method="by_hand") == THRESHOLD_ON
        # One of the other cases the framework allows, with the reason recorded.
        holiday = {"unauthorised_sessions": 8, "period_start": (now - 12 * DAY).isoformat(),
                   "period_end": (now - 9 * DAY).isoformat()}
        assert (await refusal_of(journey, A.ISSUE_PENALTY_NOTICE, parent="parent-1", service_method="by_hand",
                                 other_case_reason="Unauthorised term-time holiday of 8 sessions")
                ).startswith("details.unauthorised_sessions: the register has given no penalty-threshold window")
        await journey.act(A.ISSUE_PENALTY_NOTICE, parent="parent-1", service_method="by_hand",
                          other_case_reason="Unauthorised term-time holiday of 8 sessions", **holiday)
    entry = next(e for e in fakes.entries() if e.kind == "issue_penalty_notice")
    assert entry.details["other_case_reason"] == "Unauthorised term-time holiday of 8 sessions"


async def test_effective_dates(journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await _started(journey, fakes, env, threshold=False)
        now = await today(env)
        tomorrow = now + DAY
        assert await refusal_of(journey, A.RECORD_MEETING, effective_date=tomorrow) == \
            f"The step's date ({tomorrow.isoformat()}) is after today: record a step once it has happened"
        await journey.act(A.RECORD_MEETING, held_on=(now - 5 * DAY).isoformat(), attendees=["parent"])
        earlier = now - 6 * DAY
        assert await refusal_of(journey, A.RECORD_TSM_DISCUSSION, outcome="x", effective_date=earlier) == (
            f"The step's date ({earlier.isoformat()}) is before the journey's previous step "
            f"({(now - 5 * DAY).isoformat()}): record steps in the order they happened")
        disagree = await refusal_of(journey, A.RECORD_MEETING, held_on=(now - 2 * DAY).isoformat(),
                                    effective_date=now - DAY)
        assert disagree.startswith(f"details.held_on ({(now - 2 * DAY).isoformat()}) and the step's date")
        await journey.act(A.RECORD_MEETING, held_on=(now - 2 * DAY).isoformat(), effective_date=now - 2 * DAY)
        # An action plan agreed yesterday: its review limit counts from then.
        agreed = now - DAY
        view = await journey.act(A.AGREE_ACTION_PLAN, actions=["Attend"], effective_date=agreed,
                                 review_date=(await school_day(env, 41)).isoformat())
        assert [d["kind"] for d in view.deadlines] == ["action_plan_review"]
    meetings = [e for e in fakes.entries() if e.kind == "record_meeting"]
    assert [e.details["effective_date"] for e in meetings] == [(now - 5 * DAY).isoformat(),
                                                               (now - 2 * DAY).isoformat()]
    assert all("recorded_at" in e.details for e in meetings)


async def test_prosecution_needs_the_eso_considered_and_independent_schools_get_no_notice(
        journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    flags = PupilFlags(independent_school=True)
    async with running_worker(env.client, queue, fakes):
        await _started(journey, fakes, env, flags=flags)
        await journey.act(A.RECORD_DECISION, **decision())
        await journey.act(A.RECORD_SUPPORT_INAPPROPRIATE, reason="Unauthorised term-time holiday")
        assert await refusal_of(journey, A.ISSUE_PENALTY_NOTICE, parent="parent-1",
                                service_method="by_hand") == INDEPENDENT
        blank = {**PROSECUTE, "eso_considered": "   "}
        assert await refusal_of(journey, A.DECIDE_PROSECUTION, **blank) == NO_ESO_CONSIDERED
        assert (await refusal_of(journey, A.DECIDE_PROSECUTION, **{**PROSECUTE, "reasons": " "})).startswith(
            "details.reasons")
        view = await journey.act(A.DECIDE_PROSECUTION, **PROSECUTE)
    assert view.stage is Stage.LEGAL_INTERVENTION
    bundle_entry = next(e for e in fakes.entries() if e.kind == "decide_prosecution")
    assert bundle_entry.title.startswith("Decided to prosecute under s444(1)")


async def test_fast_track_needs_the_entry_criterion(journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await _started(journey, fakes, env)
        await journey.act(A.RECORD_DECISION, **decision())
        await journey.act(A.RECORD_SUPPORT, **SUPPORT)
        now = await today(env)
        assert (await refusal_of(journey, A.START_FAST_TRACK)).startswith(
            "Fast track needs at least 15% unauthorised absence over the last 6 school weeks: record")
        low = await refusal_of(journey, A.START_FAST_TRACK, **fast_track_figures(now, unauthorised=8, possible=60))
        assert low.endswith("the recorded figures give 13.3% (8 of 60 sessions)")
        short = {**fast_track_figures(now), "period_start": (now - 14 * DAY).isoformat()}
        assert "not 6" in await refusal_of(journey, A.START_FAST_TRACK, **short)
        old = fast_track_figures(now - 21 * DAY)
        assert (await refusal_of(journey, A.START_FAST_TRACK, **old)).startswith("details.period_end")
        view = await journey.act(A.START_FAST_TRACK, **fast_track_figures(now, unauthorised=9, possible=60))
    assert view.stage is Stage.LEGAL_INTERVENTION
