"""The adapted path and court outcomes (issue 18 item 8): a pupil with an EHC plan, an individual healthcare plan
or a personal education plan (looked after) takes no legal step until the decision factors record the adjustments
and name the partner holding each plan; a court outcome keeps its hearing date and a parenting order's requirements
and dates, whose ends are durable deadlines. Pure rules, then journeys on the time-skipping server."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from temporalio.testing import WorkflowEnvironment

from shared.contracts.journey import ActionName, Stage
from shared.contracts.register import PupilFlags, RegisterEventType
from tests.workflows.journey.support import (
    SUPPORT,
    FakeServices,
    Journey,
    decision,
    due_date,
    eventually,
    fact,
    new_queue,
    refusal_of,
    running_worker,
    sleep_past,
    today,
)
from workflows.journey import adapted, court
from workflows.journey.state import Decision

A = ActionName
E = RegisterEventType
DAY = timedelta(days=1)
PLANS = PupilFlags(ehcp=True, looked_after=True, individual_healthcare_plan=True)


def decided(adjustments: str = "", partners: list[str] | None = None) -> Decision:
    return Decision(recorded_on=date(2026, 11, 25), actor="x", support_offered="meetings", support_taken_up=False,
                    family_view="v", adjustments=adjustments, partners_consulted=partners or [])


@pytest.mark.unit
def test_each_plan_names_the_partner_who_holds_it() -> None:
    reason = adapted.refusal(PLANS, decided())
    assert reason is not None
    assert reason.startswith("This pupil has an EHC plan and is looked after (a personal education plan) and has "
                             "an individual healthcare plan: before a legal step")
    assert "the adjustments made for the pupil (details.adjustments)" in reason
    assert "naming the LA's SEN team and the virtual school head and health" in reason
    # The school's SENCO is not the LA's SEN team; a nurse or GP is health; VSH is the virtual school head.
    partial = adapted.refusal(PLANS, decided("Meetings at home", ["SENCO", "VSH Raj Patel"]))
    assert partial is not None
    assert "details.adjustments" not in partial
    assert "naming the LA's SEN team and health (" in partial
    assert adapted.refusal(PLANS, decided("Meetings at home", ["SEND casework officer", "Virtual School Head",
                                                               "GP"])) is None
    assert adapted.refusal(PupilFlags(sen_support=True), decided("Meetings at home", ["SENCO"])) is None
    assert adapted.refusal(PupilFlags(), decided()) is None


@pytest.mark.unit
def test_a_parenting_order_and_its_programme_have_statutory_limits() -> None:
    assert court.last_day(date(2027, 1, 10), 12) == date(2028, 1, 9)
    assert court.last_day(date(2027, 1, 31), 1) == date(2027, 2, 27)


async def _prosecuted(env: WorkflowEnvironment, journey: Journey, fakes: FakeServices,
                      flags: PupilFlags | None = None) -> None:
    await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT, flags))
    await journey.signal(fact(E.PENALTY_THRESHOLD_MET, flags))
    await eventually(lambda: len(fakes.entries()) >= 2)


@pytest.mark.workflows
async def test_a_legal_step_waits_for_each_plans_partner_and_the_adjustments(
        journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await _prosecuted(env, journey, fakes, PLANS)
        await journey.act(A.RECORD_SUPPORT, **SUPPORT)
        await journey.act(A.RECORD_DECISION, **decision(partners_consulted=["SENCO"]))
        refused = await refusal_of(journey, A.APPLY_FOR_ESO)
        assert "details.adjustments" in refused
        assert "the LA's SEN team and the virtual school head and health" in refused
        await journey.act(A.RECORD_DECISION, **decision(
            adjustments="Meetings at the virtual school's office; letters read to the carer",
            partners_consulted=["SEN team: Ann Cole", "Virtual school head: Raj Patel"]))
        refused = await refusal_of(journey, A.APPLY_FOR_ESO)
        assert "details.adjustments" not in refused
        assert "naming health (details.partners_consulted, for example 'School nurse: <name>')" in refused
        await journey.act(A.RECORD_DECISION, **decision(
            adjustments="Meetings at the virtual school's office; letters read to the carer",
            partners_consulted=["SEN team: Ann Cole", "Virtual school head: Raj Patel", "School nurse: Kim Shaw"]))
        view = await journey.act(A.APPLY_FOR_ESO)
    assert view.stage is Stage.FORMAL_SUPPORT
    assert [o["kind"] for o in view.court_orders] == ["education_supervision_order"]


@pytest.mark.workflows
async def test_a_court_outcome_keeps_its_hearing_and_a_parenting_orders_terms_and_deadlines(
        journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await _prosecuted(env, journey, fakes)
        await journey.act(A.RECORD_SUPPORT, **SUPPORT)
        await journey.act(A.RECORD_DECISION, **decision())
        await journey.act(A.DECIDE_PROSECUTION, section="s444(1)", reasons="No engagement with support",
                          eso_considered="The family would not engage with supervision")
        day = await today(env)
        order: dict[str, Any] = {"outcome": "convicted", "hearing_date": day.isoformat(), "fine_pence": 12000,
                 "parenting_order": True, "parenting_order_months": 6,
                 "parenting_order_requirements": "Take the pupil to school every day; attend fortnightly reviews",
                 "parenting_order_start": day.isoformat(), "programme": "Parenting skills group",
                 "programme_end": (day + 60 * DAY).isoformat()}
        assert (await refusal_of(journey, A.RECORD_COURT_OUTCOME, **{**order, "hearing_date": None})) == \
            "details.hearing_date: give the date of the hearing"
        future = await refusal_of(journey, A.RECORD_COURT_OUTCOME, **{**order,
                                                                      "hearing_date": (day + DAY).isoformat()})
        assert future.startswith("details.hearing_date: the hearing")
        assert "after the day recorded" in future
        assert (await refusal_of(journey, A.RECORD_COURT_OUTCOME, **{**order, "parenting_order_months": 13})) == \
            ("details.parenting_order_months: a parenting order's requirements last at most 12 months "
             "(Sentencing Act 2020 s369), not 13")
        long_programme = await refusal_of(journey, A.RECORD_COURT_OUTCOME,
                                          **{**order, "programme_end": (day + 100 * DAY).isoformat()})
        assert long_programme.startswith("details.programme_end: a counselling or guidance programme lasts at most "
                                         "3 months")
        assert (await refusal_of(journey, A.RECORD_COURT_OUTCOME,
                                 **{**order, "parenting_order_requirements": " "})).startswith(
            "details.parenting_order_requirements")
        assert (await refusal_of(journey, A.RECORD_COURT_OUTCOME, **{**order, "outcome": "acquitted",
                                                                     "fine_pence": None})) == \
            "A parenting order follows a conviction"

        adjourned = await journey.act(A.RECORD_COURT_OUTCOME, outcome="adjourned", hearing_date=day.isoformat(),
                                      next_hearing_date=(day + 14 * DAY).isoformat())
        assert due_date(adjourned, "court_hearing") == day + 14 * DAY
        assert A.RECORD_COURT_OUTCOME.value in [a.action for a in adjourned.available_actions]
        view = await journey.act(A.RECORD_COURT_OUTCOME, **order)
        assert "court_hearing" not in [d["kind"] for d in view.deadlines]
        ends = due_date(view, "parenting_order_end")
        assert ends == court.last_day(day, 6)
        assert due_date(view, "parenting_programme_end") == day + 60 * DAY
        made = next(o for o in view.court_orders if o["kind"] == "parenting_order")
        assert made["requirements"] == order["parenting_order_requirements"]
        assert (made["starts_on"], made["ends_on"]) == (day.isoformat(), ends.isoformat())
        prosecution = next(o for o in view.court_orders if o["kind"] == "prosecution")
        assert [h["outcome"] for h in prosecution["hearings"]] == ["adjourned", "convicted"]
        assert prosecution["fine_pence"] == 12000

        await sleep_past(env, day + 60 * DAY)
        await eventually(lambda: any("programme has ended" in e.title for e in fakes.entries()))
        await sleep_past(env, ends)
        await eventually(lambda: any(e.title.startswith("The parenting order has ended") for e in fakes.entries()))
        view = await journey.view()
    assert view.flagged
    assert not [d for d in view.deadlines if d["kind"].startswith("parenting")]
