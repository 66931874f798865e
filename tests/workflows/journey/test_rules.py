"""The journey's pure parts: policy arithmetic, the transition table, and the contract's names."""

from __future__ import annotations

from datetime import date

import pytest
from temporalio import workflow

from shared.contracts import journey as contract
from shared.contracts.journey import ACTION_DETAILS, ActionName, Actor, JourneyPolicy, OfficerAction, Stage
from shared.contracts.register import PupilFlags
from workflows.journey import policy as rules
from workflows.journey.legal_steps import NO_SUPPORT, THRESHOLD_ON
from workflows.journey.state import Decision, JourneyState, PenaltyNotice, SupportInappropriate
from workflows.journey.transitions import (
    NO_DECISION,
    NOT_CSA,
    THIRD_NOTICE,
    available_actions,
    refusal,
)
from workflows.journey.workflow import PupilJourney

pytestmark = pytest.mark.unit

POLICY = JourneyPolicy()
TODAY = date(2026, 11, 25)
A = ActionName


def prior(*issued: tuple[date, bool]) -> list[rules.PriorNotice]:
    return [rules.PriorNotice(day, withdrawn) for day, withdrawn in issued]


def test_first_notice_is_80_within_21_days_else_160_within_28() -> None:
    terms = rules.penalty_terms([], TODAY, POLICY)
    assert terms is not None
    assert (terms.sequence, terms.discounted_amount_pence, terms.amount_pence) == (1, 8000, 16000)
    assert rules.amount_due(terms, date(2026, 12, 16)) == 8000  # day 21
    assert rules.amount_due(terms, date(2026, 12, 17)) == 16000
    assert rules.amount_due(terms, date(2026, 12, 23)) == 16000  # day 28
    assert rules.amount_due(terms, date(2026, 12, 24)) is None


def test_second_notice_within_three_years_is_160_flat_and_a_third_is_refused() -> None:
    second = rules.penalty_terms(prior((date(2025, 1, 10), False)), TODAY, POLICY)
    assert second is not None
    assert (second.sequence, second.amount_pence, second.discounted_amount_pence) == (2, 16000, None)
    assert rules.penalty_terms(prior((date(2025, 1, 10), False), (date(2026, 1, 10), False)), TODAY, POLICY) is None


def test_withdrawn_notices_do_not_count_and_the_period_ends_after_three_years() -> None:
    assert rules.penalty_terms(prior((date(2025, 1, 10), True), (date(2026, 1, 10), False)), TODAY,
                               POLICY).sequence == 2  # type: ignore[union-attr]
    after = rules.penalty_terms(prior((date(2023, 11, 24), False), (date(2024, 6, 1), False)), TODAY, POLICY)
    assert after is not None
    assert after.sequence == 1


def test_months_and_eso_extension_window() -> None:
    assert rules.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert rules.add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    expires = date(2027, 11, 25)
    assert rules.eso_extension_refusal(date(2027, 6, 1), expires, 1) is not None
    assert rules.eso_extension_refusal(date(2027, 9, 1), expires, 3) is None
    assert rules.eso_extension_refusal(date(2027, 9, 1), expires, 4) is not None


def test_action_plan_review_no_more_than_six_weeks() -> None:
    assert rules.action_plan_review_refusal(TODAY, date(2027, 1, 6), POLICY) is None  # 42 days
    assert rules.action_plan_review_refusal(TODAY, date(2027, 1, 7), POLICY) is not None
    assert rules.action_plan_review_refusal(TODAY, TODAY, POLICY) is not None


def state(**kwargs: object) -> JourneyState:
    return JourneyState(pupil_id="p", school_urn="900001", la_code="999", **kwargs)  # type: ignore[arg-type]


def act(name: str, **details: object) -> OfficerAction:
    return OfficerAction(action=name, actor=Actor(subject="s", name="n", role="la_ewo"), details=details)


def decided(**kwargs: object) -> Decision:
    return Decision(recorded_on=TODAY, actor="x", support_offered="meetings", support_taken_up=False,
                    family_view="v", **kwargs)  # type: ignore[arg-type]


ADAPTED_SEN = ("This pupil has special educational, medical or social-care needs: before a legal step, record in the "
               "decision factors the adjustments made for the pupil (details.adjustments) and the partners consulted "
               "(details.partners_consulted)")
HOLIDAY = [SupportInappropriate(recorded_on=TODAY, reason="Unauthorised term-time holiday")]


@pytest.mark.parametrize(("journey", "step", "reason"), [
    (state(stage=Stage.PERSISTENT_ABSENCE, decisions=[decided()], support_inappropriate=HOLIDAY),
     act(A.ISSUE_PENALTY_NOTICE, parent="p1", absence_period="t", service_method="by_hand"), THRESHOLD_ON),
    (state(stage=Stage.PERSISTENT_ABSENCE, penalty_threshold_met=True),
     act(A.ISSUE_PENALTY_NOTICE, parent="p1", absence_period="t"), NO_DECISION),
    (state(stage=Stage.PERSISTENT_ABSENCE, penalty_threshold_met=True, flags=PupilFlags(sen_support=True),
           decisions=[decided()]), act(A.ISSUE_PENALTY_NOTICE, parent="p1", absence_period="t"), ADAPTED_SEN),
    (state(stage=Stage.PERSISTENT_ABSENCE, penalty_threshold_met=True, decisions=[decided()],
           support_inappropriate=HOLIDAY,
           penalty_notices=[PenaltyNotice(notice_id=f"pn-{i}", parent="p1", absence_period="t", issued_on=TODAY,
                                          sequence=i, amount_pence=1, pay_by=TODAY, status="paid") for i in (1, 2)]),
     act(A.ISSUE_PENALTY_NOTICE, parent="p1", absence_period="t", service_method="by_hand"), THIRD_NOTICE),
    (state(stage=Stage.SEVERE_ABSENCE, decisions=[decided()], flags=PupilFlags(compulsory_school_age=False)),
     act(A.APPLY_FOR_ESO), NOT_CSA),
    # A Reception child under compulsory school age: no notice to improve or penalty notice, whatever the absence.
    (state(stage=Stage.PERSISTENT_ABSENCE, penalty_threshold_met=True, decisions=[decided()],
           flags=PupilFlags(compulsory_school_age=False)), act(A.ISSUE_NOTICE_TO_IMPROVE), NOT_CSA),
    (state(stage=Stage.PERSISTENT_ABSENCE, penalty_threshold_met=True, decisions=[decided()],
           flags=PupilFlags(compulsory_school_age=False)),
     act(A.ISSUE_PENALTY_NOTICE, parent="p1", absence_period="t"), NOT_CSA),
    (state(), act(A.SIGN_ATTENDANCE_CONTRACT, parent="p1"), "Offer an attendance contract first"),
    (state(), act(A.RECORD_MEETING, details_nobody_knows=1), None),
    (state(), act("fly_to_the_moon"), "Unknown action 'fly_to_the_moon'"),
    (state(), act(A.OFFER_ATTENDANCE_CONTRACT, parent="p1", parent_commitments=["a"], support_provided=["b"]),
     "An attendance contract follows an identified attendance concern (at risk or worse)"),
    (state(stage=Stage.AT_RISK), act(A.OFFER_ATTENDANCE_CONTRACT, parent="p1"),
     "details.parent_commitments: Field required"),
])
def test_transition_table_gives_reasons(journey: JourneyState, step: OfficerAction, reason: str | None) -> None:
    assert refusal(journey, step, TODAY, POLICY) == reason


def test_available_actions_follow_the_state() -> None:
    monitoring = available_actions(state(), TODAY)
    assert monitoring[A.RECORD_MEETING] is None
    assert monitoring[A.CLOSE_CASE] is None
    assert monitoring[A.REOPEN_CASE] == "The case is open"
    assert A.OPEN_CASE not in monitoring


def test_every_action_has_details_and_a_label() -> None:
    assert set(ACTION_DETAILS) == set(ActionName) == set(contract.ACTION_LABELS)


def test_the_workflow_registers_exactly_the_contract_names() -> None:
    defn = workflow._Definition.must_from_class(PupilJourney)
    assert defn.name == contract.WORKFLOW_TYPE
    assert set(defn.signals) == {contract.SIGNAL_REGISTER_FACT}
    assert set(defn.updates) == {contract.UPDATE_OFFICER_ACTION}
    assert set(defn.queries) == {contract.QUERY_VIEW, contract.QUERY_DETAIL}
    assert contract.journey_workflow_id(__import__("uuid").UUID(int=1)) == \
        "journey-00000000-0000-0000-0000-000000000001"


def test_processed_event_ids_are_remembered_but_bounded() -> None:
    journey = state()
    assert journey.remember_event("e-0")
    assert not journey.remember_event("e-0")
    for n in range(1, 600):
        journey.remember_event(f"e-{n}")
    assert len(journey.processed_event_ids) == 500
    assert journey.processed_event_ids[-1] == "e-599"


def test_runs_before_the_lawful_pathway_patch_keep_their_rules_in_the_handler() -> None:
    """Update handlers of older runs re-check with the rules they were recorded under (PATCHES.md), so that
    their histories replay; validators, which are not replayed, apply the lawful pathway to every run."""
    journey = state(stage=Stage.PERSISTENT_ABSENCE, penalty_threshold_met=True, decisions=[decided()])
    step = act(A.ISSUE_PENALTY_NOTICE, parent="p1", absence_period="t")
    assert refusal(journey, step, TODAY, POLICY, lawful=False) is None
    assert refusal(journey, step, TODAY, POLICY) == NO_SUPPORT
    unpaid = state(stage=Stage.LEGAL_INTERVENTION, penalty_notices=[PenaltyNotice(
        notice_id="pn-1", parent="p1", absence_period="t", issued_on=date(2026, 10, 1), sequence=1,
        amount_pence=16000, discounted_amount_pence=8000, discount_until=date(2026, 10, 22),
        pay_by=date(2026, 10, 29), status="unpaid")])
    late = act(A.RECORD_PENALTY_PAYMENT, notice_id="pn-1", amount_pence=16000)
    assert refusal(unpaid, late, TODAY, POLICY, lawful=False) == "There is no penalty notice awaiting payment"
    assert refusal(unpaid, late, TODAY, POLICY) is None  # recorded as a late payment


def test_a_journey_without_a_calendar_counts_calendar_weeks_in_the_validator() -> None:
    journey = state(stage=Stage.AT_RISK)
    in_six_weeks = act(A.AGREE_ACTION_PLAN, actions=["a"], review_date="2027-01-06")  # a Wednesday
    assert journey.school_calendar is None
    assert refusal(journey, in_six_weeks, TODAY, POLICY) is None
    assert (refusal(journey, act(A.AGREE_ACTION_PLAN, actions=["a"], review_date="2027-01-07"), TODAY, POLICY)
            or "").endswith("the school's calendar could not be read from the register")
