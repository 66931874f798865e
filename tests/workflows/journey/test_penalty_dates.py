"""Penalty notice dates, rates and the notice ledger: the pure arithmetic (unit) and what the journey does with
late payments, the LA's decision deadline and the parent's notices from other journeys (time-skipping)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from temporalio.testing import WorkflowEnvironment

from shared.contracts.journey import (
    QUERY_DETAIL,
    UPDATE_OFFICER_ACTION,
    ActionName,
    JourneyDetail,
    JourneyPolicy,
    JourneyView,
    LedgerNotice,
    ServiceMethod,
)
from shared.contracts.register import RegisterEventType
from tests.workflows.journey.support import (
    FakeServices,
    Journey,
    action,
    decision,
    eventually,
    fact,
    new_queue,
    refusal_of,
    running_worker,
    today,
)
from workflows.journey import penalty
from workflows.journey.legal_steps import THIRD_NOTICE

A = ActionName
E = RegisterEventType
DAY = timedelta(days=1)
POLICY = JourneyPolicy()


def notices(*issued: tuple[date, bool]) -> list[penalty.CountedNotice]:
    return [penalty.CountedNotice(f"n{i}", day, withdrawn) for i, (day, withdrawn) in enumerate(issued)]


@pytest.mark.unit
def test_posted_on_christmas_eve_it_is_received_on_the_second_working_day() -> None:
    # Thursday 24 December 2026 posted: Christmas (Fri), the weekend, Boxing Day's substitute (Mon 28) are not
    # working days; the 1st working day after posting is Tue 29, the 2nd Wed 30 December.
    assert penalty.received_on(date(2026, 12, 24), ServiceMethod.FIRST_CLASS_POST) == date(2026, 12, 30)
    assert penalty.received_on(date(2026, 12, 24), ServiceMethod.BY_HAND) == date(2026, 12, 24)
    assert penalty.received_on(date(2026, 11, 19), ServiceMethod.FIRST_CLASS_POST) == date(2026, 11, 23)  # Thu->Mon


@pytest.mark.unit
def test_the_periods_run_beginning_with_the_day_of_receipt() -> None:
    terms = penalty.notice_terms([], date(2026, 12, 24), date(2026, 12, 30), POLICY)
    assert terms is not None
    assert (terms.discount_until, terms.pay_by) == (date(2027, 1, 19), date(2027, 1, 26))  # days 21 and 28
    assert penalty.rate_on(16000, 8000, terms.discount_until, terms.pay_by, date(2027, 1, 19)) == 8000
    assert penalty.rate_on(16000, 8000, terms.discount_until, terms.pay_by, date(2027, 1, 20)) == 16000
    assert penalty.rate_on(16000, 8000, terms.discount_until, terms.pay_by, date(2027, 1, 26)) == 16000
    assert penalty.rate_on(16000, 8000, terms.discount_until, terms.pay_by, date(2027, 1, 27)) is None  # late


@pytest.mark.unit
def test_second_within_three_years_is_160_flat_third_refused_withdrawn_not_counted() -> None:
    day = date(2026, 11, 25)
    second = penalty.notice_terms(notices((date(2025, 1, 10), False)), day, day, POLICY)
    assert second is not None
    assert (second.sequence, second.amount_pence, second.discounted_amount_pence) == (2, 16000, None)
    assert penalty.notice_terms(notices((date(2025, 1, 10), False), (date(2026, 1, 10), False)), day, day,
                                POLICY) is None
    assert penalty.notice_terms(notices((date(2025, 1, 10), True), (date(2026, 1, 10), False)), day, day,
                                POLICY).sequence == 2  # type: ignore[union-attr]
    after = penalty.notice_terms(notices((date(2023, 11, 24), False), (date(2024, 6, 1), False)), day, day, POLICY)
    assert after is not None
    assert (after.sequence, after.discounted_amount_pence) == (1, 8000)


@pytest.mark.unit
def test_the_unconfirmed_points_are_settings() -> None:
    day = date(2026, 11, 25)
    # More than 3 years after the first but within 3 years of the second.
    history = notices((date(2023, 9, 1), False), (date(2025, 3, 1), False))
    assert penalty.notice_terms(history, day, day, POLICY).amount_pence == 16000  # type: ignore[union-attr]
    assert penalty.notice_terms(history, day, day, POLICY).discounted_amount_pence == 8000  # type: ignore[union-attr]
    flat = POLICY.model_copy(update={"penalty_rate_after_limit_period": "second"})
    terms = penalty.notice_terms(history, day, day, flat)
    assert terms is not None
    assert (terms.amount_pence, terms.discounted_amount_pence) == (16000, None)
    # Notices before 19 August 2024 count by default; an LA may decide they do not.
    before = notices((date(2024, 5, 1), False), (date(2025, 3, 1), False))
    assert penalty.notice_terms(before, day, day, POLICY) is None
    ignoring = POLICY.model_copy(update={"count_notices_before_framework": False})
    assert penalty.notice_terms(before, day, day, ignoring).sequence == 2  # type: ignore[union-attr]


@pytest.mark.unit
def test_the_ledger_and_the_journey_count_each_notice_once() -> None:
    own = [penalty.CountedNotice("j1-pn-1", date(2026, 1, 5), False)]
    ledger = [penalty.CountedNotice("j1-pn-1", date(2026, 1, 5), False),
              penalty.CountedNotice("other-la-7", date(2025, 6, 1), True)]
    assert [n.notice_id for n in penalty.merged(own, ledger)] == ["j1-pn-1", "other-la-7"]


async def _ready_for_a_notice(journey: Journey, fakes: FakeServices, env: WorkflowEnvironment) -> None:
    await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT))
    await journey.signal(fact(E.PENALTY_THRESHOLD_MET, session_date=await today(env) - 3 * DAY))
    await eventually(lambda: len(fakes.entries()) >= 2)
    await journey.act(A.RECORD_DECISION, **decision())
    await journey.act(A.RECORD_SUPPORT_INAPPROPRIATE, reason="Unauthorised term-time holiday")


async def _notices(journey: Journey) -> list[dict[str, object]]:
    return (await journey.handle.query(QUERY_DETAIL, result_type=JourneyDetail)).penalty_notices


@pytest.mark.workflows
async def test_a_posted_notice_counts_from_receipt_and_a_late_payment_leaves_the_la_to_decide(
        journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue, JourneyPolicy(prosecution_decision_days=14))
    async with running_worker(env.client, queue, fakes):
        await _ready_for_a_notice(journey, fakes, env)
        issued = await today(env)
        await journey.act(A.ISSUE_PENALTY_NOTICE, parent="parent-1", service_method="first_class_post")
        notice = (await _notices(journey))[0]
        received = penalty.received_on(issued, ServiceMethod.FIRST_CLASS_POST)
        assert notice["received_on"] == received.isoformat()
        assert notice["discount_until"] == (received + 20 * DAY).isoformat()
        assert notice["pay_by"] == (received + 27 * DAY).isoformat()
        # Nobody pays: 28 days on, the LA has 14 days (the setting) to prosecute or withdraw.
        await env.sleep(received + 28 * DAY - issued + DAY)
        await eventually(lambda: any(e.title.startswith("Penalty notice unpaid") for e in fakes.entries()))
        view = await journey.view()
        decide = next(d for d in view.deadlines if d["kind"] == "prosecution_decision")
        assert decide["due_date"] == (received + 27 * DAY + 14 * DAY).isoformat()
        assert view.flagged
        # The parent pays after the period: recorded as a late payment at the amount paid, not refused.
        view = await journey.act(A.RECORD_PENALTY_PAYMENT, notice_id=notice["notice_id"], amount_pence=16000)
        assert view.flagged
        assert any(d["kind"] == "prosecution_decision" for d in view.deadlines)
        assert (await _notices(journey))[0]["status"] == "paid_late"
        late = next(e for e in fakes.entries() if e.kind == "record_penalty_payment")
        assert late.title.startswith("Late payment of £160")
        assert "the LA decides to prosecute or withdraw" in late.title
        await env.sleep(timedelta(days=15))
        await eventually(lambda: any(e.title.startswith("The time to decide on an unpaid penalty notice")
                                     for e in fakes.entries()))
        view = await journey.act(A.WITHDRAW_PENALTY_NOTICE, notice_id=notice["notice_id"],
                                 reason="Paid late; the LA accepts the payment")
    assert not view.flagged
    assert not [d for d in view.deadlines if d["kind"] == "prosecution_decision"]
    ledger = fakes.projections[-1].penalty_notices
    assert [(n.parent, n.status) for n in ledger] == [("parent-1", "withdrawn")]


@pytest.mark.workflows
async def test_the_rate_for_the_date_paid_and_a_payment_recorded_after_the_timer(
        journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await _ready_for_a_notice(journey, fakes, env)
        issued = await today(env)
        await journey.act(A.ISSUE_PENALTY_NOTICE, parent="parent-1", service_method="by_hand")
        await journey.act(A.ISSUE_PENALTY_NOTICE, parent="parent-2", service_method="by_hand")
        first, second = await _notices(journey)
        await env.sleep(timedelta(days=30))
        await eventually(lambda: sum(e.title.startswith("Penalty notice unpaid") for e in fakes.entries()) == 2)
        # Paid on day 21 (the last day at £80), recorded after the 28 days ran out: paid in time.
        day_21 = (issued + 20 * DAY).isoformat()
        wrong = await refusal_of(journey, A.RECORD_PENALTY_PAYMENT, notice_id=first["notice_id"],
                                 amount_pence=16000, paid_on=day_21)
        assert wrong == f"amount_pence: a payment on {day_21} must be £80"
        await journey.act(A.RECORD_PENALTY_PAYMENT, notice_id=first["notice_id"], amount_pence=8000,
                          paid_on=day_21)
        await journey.act(A.RECORD_PENALTY_PAYMENT, notice_id=second["notice_id"], amount_pence=16000,
                          effective_date=issued + 22 * DAY)
        statuses = [n["status"] for n in await _notices(journey)]
        view = await journey.view()
    assert statuses == ["paid", "paid"]
    assert not view.flagged
    assert not [d for d in view.deadlines if d["kind"] == "prosecution_decision"]


@pytest.mark.workflows
async def test_the_notice_ledger_counts_the_parents_notices_from_other_journeys(
        journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)

    async def issue(parent: str, prior: list[LedgerNotice]) -> JourneyView:
        step = action(A.ISSUE_PENALTY_NOTICE, parent=parent, service_method="by_hand", prior_notices=prior)
        return await journey.handle.execute_update(UPDATE_OFFICER_ACTION, step, result_type=JourneyView)

    async with running_worker(env.client, queue, fakes):
        await _ready_for_a_notice(journey, fakes, env)
        now = await today(env)
        elsewhere = [LedgerNotice(notice_id="la-888-pn-4", parent="parent-1", issued_on=now - 400 * DAY,
                                  status="paid", issued_by="888", recorded_from="other_la"),
                     LedgerNotice(notice_id="la-888-pn-5", parent="parent-1", issued_on=now - 200 * DAY,
                                  status="unpaid", issued_by="888", recorded_from="other_la")]
        third = await refusal_of(journey, A.ISSUE_PENALTY_NOTICE, parent="parent-1", service_method="by_hand",
                                 prior_notices=elsewhere)
        assert third == THIRD_NOTICE
        assert "prosecution, an education supervision order or an attendance contract" in third
        # One of them withdrawn: this is a second notice, £160 flat.
        elsewhere[1] = elsewhere[1].model_copy(update={"status": "withdrawn"})
        await issue("parent-1", elsewhere)
        notice = (await _notices(journey))[0]
        assert (notice["sequence"], notice["amount_pence"], notice["discounted_amount_pence"]) == (2, 16000, None)
        await journey.act(A.RECORD_PENALTY_PAYMENT, notice_id=notice["notice_id"], amount_pence=16000)
        # The ledger now holds this journey's notice too (casework fills it from the projection): counted once.
        mine = fakes.projections[-1].penalty_notices
        assert [(n.parent, n.status, n.issued_by) for n in mine] == [("parent-1", "paid", "999")]
        assert await refusal_of(journey, A.ISSUE_PENALTY_NOTICE, parent="parent-1", service_method="by_hand",
                                prior_notices=[*elsewhere, *mine]) == THIRD_NOTICE
        # A notice more than 3 years ago does not count.
        old = [LedgerNotice(notice_id="old", parent="parent-2", issued_on=now - 1200 * DAY, status="paid")]
        await issue("parent-2", old)
        sequences = [n["sequence"] for n in await _notices(journey)]
    assert sequences == [2, 1]
