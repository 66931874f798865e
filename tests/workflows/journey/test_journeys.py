"""Whole journeys of months, walked in seconds on the time-skipping server."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import pytest
from temporalio.client import WithStartWorkflowOperation, WorkflowUpdateFailedError
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.testing import WorkflowEnvironment

from shared.contracts.journey import (
    QUERY_DETAIL,
    UPDATE_OFFICER_ACTION,
    WORKFLOW_TYPE,
    ActionName,
    JourneyDetail,
    JourneyPolicy,
    JourneyView,
    Stage,
)
from shared.contracts.register import PupilFlags, RegisterEventType
from tests.workflows.journey.support import (
    FIGURES,
    SUPPORT,
    FakeServices,
    Journey,
    action,
    decision,
    due_date,
    eventually,
    fact,
    fast_track_figures,
    new_queue,
    refusal_of,
    running_worker,
    school_day,
    sleep_past,
    today,
)
from workflows.journey.transitions import NO_DECISION, THIRD_NOTICE

pytestmark = pytest.mark.workflows

A = ActionName
E = RegisterEventType
DAY = timedelta(days=1)
EHCP_LACKS = ("This pupil has an EHC plan: before a legal step, record in the decision factors the adjustments made "
              "for the pupil (details.adjustments) and the partners consulted naming the LA's SEN team "
              "(details.partners_consulted, for example 'SEN team: <name>')")


async def test_improvement_closure_monitoring_and_end(journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.ENTERED_AT_RISK, details=FIGURES))
        await eventually(lambda: bool(fakes.projections))
        assert (await refusal_of(journey, A.INVITE_TO_MEETING, meeting_date="2020-01-01", meeting_time="15:30",
                                 meeting_place="school office")).startswith("details.meeting_date")
        await journey.act(A.INVITE_TO_MEETING, meeting_date=(await today(env) + 5 * DAY).isoformat(),
                          meeting_time="15:30", meeting_place="the school office")
        await journey.act(A.RECORD_MEETING, attendees=["parent", "pupil"], pupil_voice="Finds mornings hard")
        view = await journey.act(A.AGREE_ACTION_PLAN, actions=["Breakfast club daily", "Weekly check-in"],
                                 review_date=(await school_day(env, 42)).isoformat())
        assert [d["kind"] for d in view.deadlines] == ["action_plan_review"]
        await env.sleep(30 * DAY)
        view = await journey.act(A.REVIEW_ACTION_PLAN, outcome="improved")
        assert view.deadlines == []
        assert not view.flagged
        view = await journey.act(A.CLOSE_CASE, reason="Attendance above 95% for six weeks",
                                 attendance_rate="96.1", previous_attendance_rate="88.5", period_start="2026-09-03")
        assert view.stage is Stage.CLOSED
        assert view.status == "closed_monitoring"
        assert [a.action for a in view.available_actions] == ["reopen_case"]
        assert await refusal_of(journey, A.RECORD_MEETING) == "The case is closed: reopen it first"
        await env.sleep(43 * DAY)
        result = await env.client.get_workflow_handle(journey.workflow_id, result_type=JourneyView).result()
    assert result.status == "ended"
    assert "escalation_ewo" not in fakes.templates()
    assert fakes.templates() == ["traffic_light_letter_parent", "meeting_invitation_parent", "action_plan_parent",
                                 "improvement_praise_parent"]
    assert fakes.entries()[-1].title == "Monitoring period ended without renewed concern"
    versions = [p.state_version for p in fakes.projections]
    assert versions == sorted(set(versions))


async def test_concern_returning_during_monitoring_reopens_the_case(journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT))
        await eventually(lambda: bool(fakes.projections))
        await journey.act(A.CLOSE_CASE, reason="Improved")
        await env.sleep(10 * DAY)
        await journey.signal(fact(E.BECAME_SEVERELY_ABSENT))
        await eventually(lambda: fakes.projections[-1].stage == "severe_absence")
        view = await journey.view()
        assert view.status == "open"
        assert view.deadlines == []  # the closure monitoring timer went with the reopening
        await journey.act(A.CLOSE_CASE, reason="Improved again")
        view = await journey.act(A.REOPEN_CASE, reason="Parent asked for help")
    assert view.stage is Stage.SEVERE_ABSENCE


async def test_escalation_through_contract_fast_track_notice_to_improve_and_penalty_notices(
        journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT))
        await eventually(lambda: bool(fakes.projections))
        assert await refusal_of(journey, A.START_FAST_TRACK) == NO_DECISION
        await journey.act(A.OFFER_ATTENDANCE_CONTRACT, parent="parent-1", parent_commitments=["School every day"],
                          support_provided=["Morning call from the attendance officer"])
        view = await journey.act(A.SIGN_ATTENDANCE_CONTRACT, parent="parent-1")
        assert view.stage is Stage.FORMAL_SUPPORT
        # The review date passes without a review: the journey escalates instead of waiting.
        await sleep_past(env, due_date(view, "contract_review"))
        await eventually(lambda: fakes.projections[-1].status == "flagged")
        assert {"escalation_ewo", "deadline_lapsed_attendance_lead"} <= set(fakes.templates())
        view = await journey.act(A.RECORD_CONTRACT_BREACH, parent="parent-1", breach="Missed 8 sessions")
        assert not view.flagged
        await journey.act(A.RECORD_DECISION, **decision())
        await journey.act(A.RECORD_SUPPORT, **SUPPORT)
        view = await journey.act(A.START_FAST_TRACK, **fast_track_figures(await today(env)))
        assert view.stage is Stage.LEGAL_INTERVENTION
        assert "fast_track_end" in [d["kind"] for d in view.deadlines]
        await journey.signal(fact(E.PENALTY_THRESHOLD_MET))
        await eventually(lambda: "penalty_threshold_met" in [e.details.get("event_type") for e in fakes.entries()])
        view = await journey.act(A.ISSUE_NOTICE_TO_IMPROVE, improvement_days=21)
        await sleep_past(env, due_date(view, "notice_to_improve"))
        await eventually(lambda: any(e.title.startswith("Improvement period ended") for e in fakes.entries()))
        first = await journey.act(A.ISSUE_PENALTY_NOTICE, parent="parent-1", absence_period="autumn 1",
                                  service_method="by_hand")
        await journey.act(A.ISSUE_PENALTY_NOTICE, parent="parent-2", absence_period="autumn 1",
                          service_method="by_hand")
        detail = await journey.handle.query(QUERY_DETAIL, result_type=JourneyDetail)
        notices = {n["parent"]: n for n in detail.penalty_notices}
        assert (notices["parent-1"]["discounted_amount_pence"], notices["parent-1"]["amount_pence"]) == (8000, 16000)
        await env.sleep(10 * DAY)  # inside the 21 days at the reduced rate
        late = await refusal_of(journey, A.RECORD_PENALTY_PAYMENT, notice_id=notices["parent-1"]["notice_id"],
                                amount_pence=16000)
        assert late.endswith("must be £80")
        await journey.act(A.RECORD_PENALTY_PAYMENT, notice_id=notices["parent-1"]["notice_id"], amount_pence=8000)
        # parent-2 does not pay: after 28 days a prosecution decision is due.
        await sleep_past(env, date.fromisoformat(notices["parent-2"]["pay_by"]))
        await eventually(lambda: any(e.title.startswith("Penalty notice unpaid") for e in fakes.entries()))
        view = await journey.view()
        assert view.flagged
        paid = await refusal_of(journey, A.DECIDE_PROSECUTION, section="s444(1)", reasons="No engagement",
                                notice_id=notices["parent-1"]["notice_id"], eso_considered="Not suitable")
        assert paid == "That penalty notice was paid: no prosecution for the same absence"
        view = await journey.act(A.DECIDE_PROSECUTION, section="s444(1A)", reasons="Knew of the absence, no support "
                                 "taken up", notice_id=notices["parent-2"]["notice_id"],
                                 eso_considered="Family would not engage with supervision")
        assert not view.flagged
        assert await refusal_of(journey, A.CLOSE_CASE, reason="x") == \
            "Record the court outcome before closing the case"
        heard = await today(env)
        await journey.act(A.RECORD_COURT_OUTCOME, outcome="convicted", hearing_date=heard.isoformat(),
                          fine_pence=20000, parenting_order=True, parenting_order_months=12,
                          parenting_order_requirements="Ensure the pupil attends school every day",
                          parenting_order_start=heard.isoformat())
        detail = await journey.handle.query(QUERY_DETAIL, result_type=JourneyDetail)
    assert first.stage is Stage.LEGAL_INTERVENTION
    statuses = {n["parent"]: n["status"] for n in detail.penalty_notices}
    assert statuses == {"parent-1": "paid", "parent-2": "prosecuted"}
    assert fakes.templates().count("penalty_notice_parent") == 2
    assert fakes.templates().count("notice_to_improve_parent") == 1
    kinds = [e.kind for e in fakes.entries()]
    assert kinds.count("escalation") == 3  # contract review, improvement period, unpaid notice
    assert "record_court_outcome" in kinds


async def test_a_third_penalty_notice_within_three_years_is_refused(journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT))
        await journey.signal(fact(E.PENALTY_THRESHOLD_MET))
        await eventually(lambda: len(fakes.entries()) >= 2)
        await journey.act(A.RECORD_DECISION, **decision())
        await journey.act(A.RECORD_SUPPORT_INAPPROPRIATE, reason="Unauthorised term-time holiday")
        for expected_amount in (8000, 16000):
            await journey.act(A.ISSUE_PENALTY_NOTICE, parent="parent-1", absence_period="term",
                              service_method="by_hand")
            detail = await journey.handle.query(QUERY_DETAIL, result_type=JourneyDetail)
            notice = detail.penalty_notices[-1]
            await journey.act(A.RECORD_PENALTY_PAYMENT, notice_id=notice["notice_id"], amount_pence=expected_amount)
            await env.sleep(120 * DAY)
        assert await refusal_of(journey, A.ISSUE_PENALTY_NOTICE, parent="parent-1",
                                absence_period="term", service_method="by_hand") == THIRD_NOTICE
        # The other parent is counted separately.
        await journey.act(A.ISSUE_PENALTY_NOTICE, parent="parent-2", absence_period="term",
                          service_method="first_class_post")


async def test_eso_applied_granted_reviewed_and_extended(journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.BECAME_SEVERELY_ABSENT))
        await eventually(lambda: bool(fakes.projections))
        await journey.act(A.RECORD_DECISION, **decision())
        await journey.act(A.RECORD_SUPPORT, **SUPPORT)
        await journey.act(A.APPLY_FOR_ESO)
        assert "apply_for_eso" not in [a.action for a in (await journey.view()).available_actions]
        view = await journey.act(A.RECORD_ESO_DECISION, granted=True)
        assert {d["kind"] for d in view.deadlines} == {"eso_review", "eso_expiry"}
        await env.sleep(91 * DAY)
        await eventually(lambda: fakes.projections[-1].status == "flagged")
        view = await journey.act(A.REVIEW_ESO, outcome="improved")
        assert not view.flagged
        assert (await refusal_of(journey, A.EXTEND_ESO, years=1)).startswith(
            "An ESO can only be extended within the last 3 months")
        await env.sleep(200 * DAY)
        await journey.act(A.REVIEW_ESO, outcome="not_improved")
        view = await journey.act(A.EXTEND_ESO, years=1)
    expiry = next(d for d in view.deadlines if d["kind"] == "eso_expiry")
    assert expiry["due_date"] > (await today(env) + 300 * DAY).isoformat()


async def test_send_pupil_needs_adjustments_and_partners_before_a_legal_step(
        journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    flags = PupilFlags(ehcp=True, medical_condition=True)
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT, flags))
        await journey.signal(fact(E.PENALTY_THRESHOLD_MET, flags))
        await eventually(lambda: len(fakes.entries()) >= 2)
        await journey.act(A.RECORD_DECISION, **decision())
        await journey.act(A.RECORD_SUPPORT, **SUPPORT)
        for step, details in ((A.ISSUE_PENALTY_NOTICE, {"parent": "parent-1", "absence_period": "term"}),
                              (A.START_FAST_TRACK, {}), (A.APPLY_FOR_ESO, {})):
            assert await refusal_of(journey, step, **details) == EHCP_LACKS
        detail = await journey.handle.query(QUERY_DETAIL, result_type=JourneyDetail)
        assert detail.refusals["start_fast_track"] == EHCP_LACKS
        await journey.act(A.RECORD_DECISION, **decision(
            send_or_health_needs="EHCP for autism; anxiety", adjustments="Reduced timetable agreed with SENCO",
            partners_consulted=["SEND casework officer", "school nurse"]))
        view = await journey.act(A.ISSUE_PENALTY_NOTICE, parent="parent-1", absence_period="term",
                                 service_method="by_hand")
    assert view.stage is Stage.LEGAL_INTERVENTION


async def test_social_worker_is_told_of_pending_deletion(journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.PENDING_DELETION, PupilFlags(has_social_worker=True, looked_after=True)))
        await eventually(lambda: len(fakes.notify_calls) == 2)
    assert fakes.templates() == ["pending_deletion_social_worker", "pending_deletion_virtual_school_head"]


def start_operation(journey: Journey, queue: str) -> WithStartWorkflowOperation[Any, JourneyView]:
    return WithStartWorkflowOperation(WORKFLOW_TYPE, journey.input(), id=journey.workflow_id, task_queue=queue,
                                      id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                                      result_type=JourneyView)


async def test_officer_opens_a_case_by_hand_with_update_with_start(journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        view = await env.client.execute_update_with_start_workflow(
            UPDATE_OFFICER_ACTION, action(A.OPEN_CASE, note="Parent asked for help"),
            start_workflow_operation=start_operation(journey, queue), result_type=JourneyView)
        assert view.stage is Stage.MONITORING
        # A second call joins the running journey; an illegal step is refused before it reaches history.
        with pytest.raises(WorkflowUpdateFailedError):
            await env.client.execute_update_with_start_workflow(
                UPDATE_OFFICER_ACTION, action(A.RECORD_COURT_OUTCOME, outcome="convicted"),
                start_workflow_operation=start_operation(journey, queue), result_type=JourneyView)
        view = await env.client.execute_update_with_start_workflow(
            UPDATE_OFFICER_ACTION, action(A.RECORD_MEETING), start_workflow_operation=start_operation(journey, queue),
            result_type=JourneyView)
    assert [e.title for e in fakes.entries()] == ["Case opened by an officer", "Attendance meeting recorded"]


async def test_long_journey_continues_as_new_and_keeps_its_state(journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue, JourneyPolicy(max_history_events=40))
    repeated = fact(E.UNEXPLAINED_ABSENCE, code="N")
    async with running_worker(env.client, queue, fakes):
        first_run = (await journey.signal(repeated)).result_run_id
        await journey.act(A.AGREE_ACTION_PLAN, actions=["x"], review_date=(await school_day(env, 14)).isoformat())
        for _ in range(4):
            await journey.signal(fact(E.UNEXPLAINED_ABSENCE, code="N"))
        await eventually(lambda: len(fakes.notify_calls) == 6)
        for _ in range(100):
            if (await journey.handle.describe()).run_id != first_run:
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the journey did not continue as new")
        await journey.signal(repeated)  # already processed before the continue-as-new
        await env.sleep(15 * DAY)  # the review timer survived the continue-as-new
        await eventually(lambda: "escalation_ewo" in fakes.templates())
    assert fakes.templates().count("first_day_absence_parent") == 5
    keys = [e.entry_key for e in fakes.entries()]
    assert len(keys) == len(set(keys))


async def test_a_new_concern_after_the_journey_ended_starts_a_new_journey(journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue, JourneyPolicy(closure_monitoring_days=7))
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT))
        await eventually(lambda: bool(fakes.projections))
        await journey.act(A.CLOSE_CASE, reason="Improved")
        await env.sleep(8 * DAY)
        ended = await env.client.get_workflow_handle(journey.workflow_id, result_type=JourneyView).result()
        assert ended.status == "ended"
        await journey.signal(fact(E.BECAME_SEVERELY_ABSENT))  # signal-with-start: a new run, same id
        await eventually(lambda: fakes.projections[-1].stage == "severe_absence")
    versions = [p.state_version for p in fakes.projections]
    assert versions == sorted(set(versions))  # casework never sees the new journey as older
    keys = [e.entry_key for e in fakes.entries()]
    assert len(keys) == len(set(keys))
