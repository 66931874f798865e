"""Recording journey histories for replay tests.

`uv run python -m tests.workflows.journey.histories [sample ...]` runs the sample journeys (all, or those named)
on a time-skipping server and writes their histories to histories/<sample>.json; commit them, so CI proves
today's code still replays journeys that were started by older code (add a new file, never rewrite an old one,
when the workflow changes: improvement_and_closure.json was recorded before the lawful-pathway patch,
lawful_pathway.json after it, severe_absence.json after the severe-absence joint approach,
children_missing_education.json after the children-missing-education patch, adapted_path.json after the
adapted-path patch, adapted_path_local_first.json, the adapted_path sample, after the local-activities-first
patch)."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import timedelta
from pathlib import Path

from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from shared.contracts.journey import ActionName, JourneyPolicy, JourneyView, LaContact
from shared.contracts.register import PupilFlags, RegisterEventType
from shared.temporal import bundled_binary
from tests.workflows.journey.support import (
    SUPPORT,
    FakeServices,
    Journey,
    decision,
    due_date,
    eventually,
    fact,
    new_queue,
    running_worker,
    school_day,
    sleep_past,
    today,
)
from workflows.journey.policy import add_school_days

HISTORIES = Path(__file__).parent / "histories"
A = ActionName
E = RegisterEventType
DAY = timedelta(days=1)


async def improvement_and_closure(env: WorkflowEnvironment, fakes: FakeServices | None = None) -> WorkflowHistory:
    """A social-worker pupil: first-day notices, persistent absence, a lapsed plan review, a contract, a paid
    penalty notice, closure and the end of monitoring."""
    fakes, queue = fakes or FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    flags = PupilFlags(has_social_worker=True)
    figures = {"academic_year": 2026, "possible_sessions": 100, "attended_sessions": 86,
               "unauthorised_absence_sessions": 12, "attendance_rate": "86.0"}
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.UNEXPLAINED_ABSENCE, flags, code="N"))
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT, flags, details=figures))
        await eventually(lambda: len(fakes.notify_calls) >= 3)
        await journey.act(A.RECORD_MEETING, attendees=["parent", "pupil", "social worker"])
        await journey.act(A.AGREE_ACTION_PLAN, actions=["Attend daily"],
                          review_date=(await school_day(env, 28)).isoformat())
        await env.sleep(30 * DAY)
        await eventually(lambda: "escalation_ewo" in fakes.templates())
        await journey.act(A.REVIEW_ACTION_PLAN, outcome="not_improved")
        await journey.act(A.OFFER_ATTENDANCE_CONTRACT, parent="parent-1", parent_commitments=["Attend"],
                          support_provided=["Mentor"])
        await journey.act(A.SIGN_ATTENDANCE_CONTRACT, parent="parent-1")
        await journey.signal(fact(E.PENALTY_THRESHOLD_MET, flags, details={
            "unauthorised_sessions": 11, "threshold": 10, "window_weeks": ["2026-10-05", "2026-12-07"]}))
        await journey.act(A.RECORD_DECISION, **decision(adjustments="Meetings at home",
                                                         partners_consulted=["social worker"]))
        await journey.act(A.RECORD_SUPPORT, **SUPPORT)
        view = await journey.act(A.ISSUE_PENALTY_NOTICE, parent="parent-1", absence_period="autumn 1",
                                 service_method="by_hand")
        await env.sleep(5 * DAY)
        notice_id = next(d["key"] for d in view.deadlines if d["kind"] == "penalty_payment").split(":", 1)[1]
        await journey.act(A.RECORD_PENALTY_PAYMENT, notice_id=notice_id, amount_pence=8000)
        await journey.act(A.REVIEW_ATTENDANCE_CONTRACT, outcome="improved")
        await journey.act(A.CLOSE_CASE, reason="Sustained improvement", attendance_rate="95.0",
                          previous_attendance_rate="87.0")
        await env.sleep(43 * DAY)
        await env.client.get_workflow_handle(journey.workflow_id, result_type=JourneyView).result()
    return await journey.handle.fetch_history()


async def lawful_pathway(env: WorkflowEnvironment, fakes: FakeServices | None = None) -> WorkflowHistory:
    """After the lawful-pathway patch: the school's calendar read, support recorded, steps back-dated, a
    notice to improve in school weeks, a posted penalty notice left unpaid, the LA's decision deadline, a late
    payment and the notice withdrawn, then closure and the end of monitoring."""
    fakes, queue = fakes or FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT))
        await journey.signal(fact(E.PENALTY_THRESHOLD_MET, session_date=await today(env) - 3 * DAY, details={
            "unauthorised_sessions": 10, "threshold": 10, "window_weeks": ["2026-10-05", "2026-12-07"]}))
        await eventually(lambda: len(fakes.entries()) >= 2 and bool(fakes.calendar_reads))
        await journey.act(A.RECORD_DECISION, effective_date=await today(env) - 2 * DAY, **decision())
        await journey.act(A.RECORD_SUPPORT, effective_date=await today(env) - DAY, **SUPPORT)
        view = await journey.act(A.ISSUE_NOTICE_TO_IMPROVE, improvement_school_weeks=3)
        await sleep_past(env, due_date(view, "notice_to_improve"))
        await eventually(lambda: any(e.title.startswith("Improvement period ended") for e in fakes.entries()))
        view = await journey.act(A.ISSUE_PENALTY_NOTICE, parent="parent-1", service_method="first_class_post")
        notice_id = next(d["key"] for d in view.deadlines if d["kind"] == "penalty_payment").split(":", 1)[1]
        await sleep_past(env, due_date(view, "penalty_payment"))  # 28 days beginning with receipt by post
        await eventually(lambda: any(e.title.startswith("Penalty notice unpaid") for e in fakes.entries()))
        await journey.act(A.RECORD_PENALTY_PAYMENT, notice_id=notice_id, amount_pence=16000)
        await journey.act(A.WITHDRAW_PENALTY_NOTICE, notice_id=notice_id, reason="Paid late; accepted")
        await journey.act(A.CLOSE_CASE, reason="Sustained improvement")
        await env.sleep(43 * DAY)
        await env.client.get_workflow_handle(journey.workflow_id, result_type=JourneyView).result()
    return await journey.handle.fetch_history()


async def severe_absence(env: WorkflowEnvironment, fakes: FakeServices | None = None) -> WorkflowHistory:
    """A severely absent pupil: the LA's named contact joins and is told, a whole-family plan whose review lapses
    and is then held, a home visit, a notice to improve signed for the LA, and the end of the journey."""
    fakes, queue = fakes or FakeServices(), new_queue()
    contact = LaContact(name="Priya Shah", email="attendance.contact@northshire.example.gov")
    journey = Journey(env.client, queue, JourneyPolicy(la_attendance_contact=contact))
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.BECAME_SEVERELY_ABSENT, details={
            "academic_year": 2026, "possible_sessions": 100, "attended_sessions": 48, "attendance_rate": "48.0"}))
        await eventually(lambda: any(e.kind == "participant_joined" for e in fakes.entries()))
        review = (await school_day(env, 28)).isoformat()
        await journey.act(A.AGREE_WHOLE_FAMILY_PLAN, review_date=review, lead_professional="Early help key worker",
                          agencies=[{"agency": "Early help", "will_do": "Weekly family support sessions"}],
                          actions=["Morning routine at home"])
        await journey.act(A.RECORD_HOME_VISIT, attendees=["EWO"], seen=["mother", "pupil"],
                          observations="Pupil in bed at 10am", agreed="Wake-up at 7:30",
                          next_steps="EWO calls on Monday")
        await env.sleep(31 * DAY)
        await eventually(lambda: any(e.title.startswith("Whole-family plan review date passed")
                                     for e in fakes.entries()))
        await journey.act(A.REVIEW_WHOLE_FAMILY_PLAN, outcome="not_improved")
        await journey.signal(fact(E.PENALTY_THRESHOLD_MET, session_date=await today(env) - 3 * DAY))
        await eventually(lambda: any(e.details.get("event_type") == "penalty_threshold_met" for e in fakes.entries()))
        await journey.act(A.RECORD_DECISION, **decision())
        await journey.act(A.RECORD_SUPPORT, **SUPPORT)
        await journey.act(A.ISSUE_NOTICE_TO_IMPROVE, improvement_school_weeks=3)
        await journey.act(A.CLOSE_CASE, reason="Attendance improved with the family plan")
        await env.sleep(43 * DAY)
        await env.client.get_workflow_handle(journey.workflow_id, result_type=JourneyView).result()
    return await journey.handle.fetch_history()


async def children_missing_education(env: WorkflowEnvironment,
                                     fakes: FakeServices | None = None) -> WorkflowHistory:
    """A new pupil who did not arrive: the LA's CME officer is told, the school's enquiry deadline lapses and
    escalates, both enquiries are recorded, a later reason adds to the open concern, the outcome closes it, and the
    case closes and ends."""
    fakes, queue = fakes or FakeServices(), new_queue()
    officer = LaContact(name="Tom Okafor", email="cme@northshire.example.gov")
    journey = Journey(env.client, queue, JourneyPolicy(la_cme_officer=officer))
    enquiry = {"made_by": "J Patel, attendance officer", "what_was_done": "Phoned the parents, home visit",
               "result": "Family not at the address"}
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.DID_NOT_ARRIVE, details={"start_date": (await today(env)).isoformat()}))
        await eventually(lambda: "cme_concern_la_officer" in fakes.templates())
        # Past the school's enquiry deadline (5 school days of the fake school, whatever holidays fall in them).
        now = await today(env)
        await env.sleep((add_school_days(None, now, 5).day - now).days * DAY + 2 * DAY)
        await eventually(lambda: "escalation_ewo" in fakes.templates())
        await journey.act(A.RECORD_CME_ENQUIRY, by="school", **enquiry)
        await journey.signal(fact(E.CONTINUOUS_UNAUTHORISED_ABSENCE, details={"school_days": 10}))
        await eventually(lambda: any(e.kind == "cme_concern_reason" for e in fakes.entries()))
        await journey.act(A.RECORD_CME_ENQUIRY, by="la", **{**enquiry, "made_by": "Tom Okafor, CME officer"})
        await journey.act(A.RECORD_CME_OUTCOME, outcome="found_at_school", new_school="Southshire Academy",
                          details="Confirmed on roll by Southshire Academy")
        await journey.act(A.CLOSE_CASE, reason="On roll elsewhere")
        await env.sleep(43 * DAY)
        await env.client.get_workflow_handle(journey.workflow_id, result_type=JourneyView).result()
    return await journey.handle.fetch_history()


async def adapted_path(env: WorkflowEnvironment, fakes: FakeServices | None = None) -> WorkflowHistory:
    """A pupil with an EHC plan: the decision factors name the SEN team, a prosecution, an adjourned
    hearing, a conviction with a parenting order and programme whose ends lapse, then closure and the end."""
    fakes, queue = fakes or FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    flags = PupilFlags(ehcp=True)
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT, flags))
        await eventually(lambda: bool(fakes.entries()) and bool(fakes.calendar_reads))
        await journey.act(A.RECORD_SUPPORT, **SUPPORT)
        await journey.act(A.RECORD_DECISION, **decision(adjustments="Meetings at home",
                                                         partners_consulted=["SEN team: Ann Cole"]))
        await journey.act(A.DECIDE_PROSECUTION, section="s444(1)", reasons="No engagement",
                          eso_considered="Family would not engage with supervision")
        day = await today(env)
        await journey.act(A.RECORD_COURT_OUTCOME, outcome="adjourned", hearing_date=day.isoformat(),
                          next_hearing_date=(day + 14 * DAY).isoformat())
        await env.sleep(7 * DAY)
        day = await today(env)
        view = await journey.act(A.RECORD_COURT_OUTCOME, outcome="convicted", hearing_date=day.isoformat(),
                                 parenting_order=True, parenting_order_months=2,
                                 parenting_order_requirements="Take the pupil to school every day",
                                 parenting_order_start=day.isoformat(), programme="Parenting group",
                                 programme_end=(day + 30 * DAY).isoformat())
        await sleep_past(env, due_date(view, "parenting_order_end"))
        await eventually(lambda: any(e.title.startswith("The parenting order has ended") for e in fakes.entries()))
        await journey.act(A.CLOSE_CASE, reason="Attendance improved under the parenting order")
        await env.sleep(43 * DAY)
        await env.client.get_workflow_handle(journey.workflow_id, result_type=JourneyView).result()
    return await journey.handle.fetch_history()


SAMPLES = {"improvement_and_closure": improvement_and_closure, "lawful_pathway": lawful_pathway,
           "severe_absence": severe_absence, "children_missing_education": children_missing_education,
           "adapted_path": adapted_path}


async def record() -> None:
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=bundled_binary("temporal-test-server"), data_converter=pydantic_data_converter)
    try:
        HISTORIES.mkdir(exist_ok=True)
        for name, sample in SAMPLES.items():
            if sys.argv[1:] and name not in sys.argv[1:]:
                continue
            history = await sample(env)
            (HISTORIES / f"{name}.json").write_text(history.to_json())
            sys.stdout.write(f"wrote {name}.json ({len(history.events)} events)\n")
    finally:
        await env.shutdown()


if __name__ == "__main__":
    asyncio.run(record())
    sys.stdout.flush()
    os._exit(0)  # tooling.md gotcha 1
