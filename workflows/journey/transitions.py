"""The transition table: which officer actions are legal in which stage and state, and why not when not.

Pure functions of JourneyState; the update validator calls `refusal`, the query calls `available_actions`.
`lawful` is False only in update handlers of journeys started before the lawful-pathway patch, which must keep
deciding as they did when their history was recorded (PATCHES.md); legal_steps.py holds the newer checks. `adapted`
likewise for the adapted-path patch (adapted.py: named partners before a legal step; court.py: court outcomes
with their dates)."""

from __future__ import annotations

from datetime import date
from typing import Any

from temporalio import workflow

from workflows.journey import adapted as adapted_path
from workflows.journey import cme, court, severe
from workflows.journey import legal_steps as lawful_rules
from workflows.journey import policy as rules
from workflows.journey.legal_steps import THIRD_NOTICE
from workflows.journey.state import JourneyState

with workflow.unsafe.imports_passed_through():
    from pydantic import BaseModel, ValidationError

    from shared.contracts.journey import (
        ACTION_DETAILS,
        ActionName,
        JourneyPolicy,
        JourneyStatus,
        OfficerAction,
        Stage,
    )

__all__ = ["THIRD_NOTICE", "available_actions", "parse_details", "precondition", "refusal"]

A = ActionName
LEGAL_STEPS = {A.START_FAST_TRACK, A.ISSUE_NOTICE_TO_IMPROVE, A.ISSUE_PENALTY_NOTICE, A.APPLY_FOR_ESO,
               A.DECIDE_PROSECUTION}
CONCERN_STAGES = {Stage.AT_RISK, Stage.PERSISTENT_ABSENCE, Stage.SEVERE_ABSENCE, Stage.FORMAL_SUPPORT,
                  Stage.LEGAL_INTERVENTION}
ABSENCE_STAGES = CONCERN_STAGES - {Stage.AT_RISK}

CLOSED = "The case is closed: reopen it first"
THRESHOLD = "A penalty notice needs the national threshold met (10 unauthorised sessions in 10 school weeks)"
NTI_THRESHOLD = "A notice to improve needs the national threshold met (10 unauthorised sessions in 10 school weeks)"
NO_DECISION = "Record the decision factors before a legal step"
ADAPTED = "SEND / medical / social worker pupils need the adjustments and partners recorded before a legal step"
NOT_CSA = "Only for a pupil of compulsory school age"
AFTER_CONCERN = "A formal step follows persistent or severe absence (or formal support) for this pupil"


def parse_details(action: OfficerAction) -> BaseModel:
    """The action's details as their model; ValueError names the first bad field."""
    model = ACTION_DETAILS[ActionName(action.action)]
    try:
        return model.model_validate(action.details)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "details"
        raise ValueError(f"{field}: {first['msg']}") from None


def _legal_step_refusal(state: JourneyState, adapted: bool) -> str | None:
    if not state.decisions:
        return NO_DECISION
    latest = state.decisions[-1]
    if adapted:
        return adapted_path.refusal(state.flags, latest)
    if state.needs_adapted_path() and not (latest.adjustments.strip() and latest.partners_consulted):
        return ADAPTED
    return None


def precondition(state: JourneyState, name: ActionName, today: date, lawful: bool = True,
                 adapted: bool = True) -> str | None:
    """Why `name` cannot be taken on that day whatever its details, or None."""
    if state.status is JourneyStatus.ENDED:
        return "This journey has ended: a new concern starts a new one"
    if name is A.REOPEN_CASE:
        return None if state.status is JourneyStatus.CLOSED_MONITORING else "The case is open"
    if state.status is not JourneyStatus.OPEN:
        return CLOSED
    # Fast track, notices, penalty notices, ESOs and prosecution exist only for children of compulsory school age.
    if name in LEGAL_STEPS and not state.flags.compulsory_school_age:
        return NOT_CSA
    if lawful and name is A.ISSUE_PENALTY_NOTICE and state.flags.independent_school:
        return lawful_rules.INDEPENDENT
    if reason := severe.precondition(state, name) or cme.precondition(state, name):
        return reason
    checks = _LAWFUL_STATE_CHECKS if lawful else _STATE_CHECKS
    if reason := checks.get(name, _always)(state, today):
        return reason
    if name not in LEGAL_STEPS:
        return None
    return _legal_step_refusal(state, adapted) or (lawful_rules.support_refusal(state) if lawful else None)


def _always(state: JourneyState, today: date) -> str | None:
    return None


def _review_plan(state: JourneyState, today: date) -> str | None:
    return None if state.open_plan() else "There is no open action plan to review"


def _agree_plan(state: JourneyState, today: date) -> str | None:
    return "Review the open action plan first" if state.open_plan() else None


def _offer_contract(state: JourneyState, today: date) -> str | None:
    return None if state.stage in CONCERN_STAGES else \
        "An attendance contract follows an identified attendance concern (at risk or worse)"


def _offered(state: JourneyState, today: date) -> str | None:
    return None if any(c.status == "offered" for c in state.contracts) else "Offer an attendance contract first"


def _signed(state: JourneyState, today: date) -> str | None:
    return None if any(c.status in ("signed", "breached") for c in state.contracts) else \
        "There is no signed attendance contract"


def _fast_track(state: JourneyState, today: date) -> str | None:
    if state.stage not in ABSENCE_STAGES:
        return AFTER_CONCERN
    if state.fast_track and state.fast_track.status == "running":
        return "Fast track is already running"
    return None


def _notice_to_improve(state: JourneyState, today: date) -> str | None:
    if not state.penalty_threshold_met:
        return NTI_THRESHOLD
    if any(n.status == "running" for n in state.notices_to_improve):
        return "A notice to improve is already running"
    return None


def _penalty(state: JourneyState, today: date) -> str | None:
    return None if state.penalty_threshold_met else THRESHOLD


def _payable(state: JourneyState, today: date) -> str | None:
    return None if any(n.status == "issued" for n in state.penalty_notices) else \
        "There is no penalty notice awaiting payment"


def _payable_or_late(state: JourneyState, today: date) -> str | None:
    return None if any(n.status in ("issued", "unpaid") for n in state.penalty_notices) else \
        "There is no penalty notice awaiting payment"


def _withdrawable_lawful(state: JourneyState, today: date) -> str | None:
    return None if any(n.status in ("issued", "unpaid", "paid_late") for n in state.penalty_notices) else \
        "There is no penalty notice that can be withdrawn"


def _notice_to_improve_lawful(state: JourneyState, today: date) -> str | None:
    if any(n.status == "running" for n in state.notices_to_improve):
        return "A notice to improve is already running"
    return None


def _withdrawable(state: JourneyState, today: date) -> str | None:
    return None if any(n.status in ("issued", "unpaid") for n in state.penalty_notices) else \
        "There is no penalty notice that can be withdrawn"


def _apply_eso(state: JourneyState, today: date) -> str | None:
    if state.stage not in ABSENCE_STAGES:
        return AFTER_CONCERN
    if state.eso and state.eso.status in ("applied", "granted"):
        return "An education supervision order is already applied for or in force"
    return None


def _eso_applied(state: JourneyState, today: date) -> str | None:
    return None if state.eso and state.eso.status == "applied" else "There is no ESO application awaiting decision"


def _eso_granted(state: JourneyState, today: date) -> str | None:
    return None if state.eso and state.eso.status == "granted" else "There is no education supervision order in force"


def _extend_eso(state: JourneyState, today: date) -> str | None:
    if (reason := _eso_granted(state, today)) or state.eso is None or state.eso.expires_on is None:
        return reason
    return rules.eso_extension_refusal(today, state.eso.expires_on, 1)


def _prosecute(state: JourneyState, today: date) -> str | None:
    if state.stage not in ABSENCE_STAGES:
        return AFTER_CONCERN
    if state.prosecution and state.prosecution.outcome is None:
        return "A prosecution is already under way: record the court outcome"
    return None


def _court_outcome(state: JourneyState, today: date) -> str | None:
    return None if state.prosecution and state.prosecution.outcome is None else "No prosecution awaits an outcome"


def _close(state: JourneyState, today: date) -> str | None:
    if state.prosecution and state.prosecution.outcome is None:
        return "Record the court outcome before closing the case"
    if any(n.status == "issued" for n in state.penalty_notices):
        return "A penalty notice is still awaiting payment"
    return None


_STATE_CHECKS = {
    A.AGREE_ACTION_PLAN: _agree_plan, A.REVIEW_ACTION_PLAN: _review_plan,
    A.OFFER_ATTENDANCE_CONTRACT: _offer_contract, A.SIGN_ATTENDANCE_CONTRACT: _offered,
    A.REVIEW_ATTENDANCE_CONTRACT: _signed, A.RECORD_CONTRACT_BREACH: _signed,
    A.START_FAST_TRACK: _fast_track, A.ISSUE_NOTICE_TO_IMPROVE: _notice_to_improve,
    A.ISSUE_PENALTY_NOTICE: _penalty, A.RECORD_PENALTY_PAYMENT: _payable, A.WITHDRAW_PENALTY_NOTICE: _withdrawable,
    A.APPLY_FOR_ESO: _apply_eso, A.RECORD_ESO_DECISION: _eso_applied, A.REVIEW_ESO: _eso_granted,
    A.EXTEND_ESO: _extend_eso, A.DECIDE_PROSECUTION: _prosecute, A.RECORD_COURT_OUTCOME: _court_outcome,
    A.CLOSE_CASE: _close,
}
# The threshold is checked at the step's date with the details (a penalty notice may record another case the
# framework allows); a payment after the period is recorded as late.
_LAWFUL_STATE_CHECKS = _STATE_CHECKS | {
    A.ISSUE_NOTICE_TO_IMPROVE: _notice_to_improve_lawful, A.ISSUE_PENALTY_NOTICE: _always,
    A.RECORD_PENALTY_PAYMENT: _payable_or_late, A.WITHDRAW_PENALTY_NOTICE: _withdrawable_lawful,
}


def details_refusal(state: JourneyState, name: ActionName, details: BaseModel, today: date,
                    policy: JourneyPolicy, lawful: bool = False) -> str | None:
    """Checks that need the action's details (dates, which parent, which notice); with `lawful`, those that
    legal_steps.py has not already made at the step's date."""
    d = details.model_dump()
    if lawful and name in (A.ISSUE_PENALTY_NOTICE, A.RECORD_PENALTY_PAYMENT, A.AGREE_ACTION_PLAN):
        return None
    if lawful:  # review dates were checked in school weeks
        d = {**d, "review_date": None} | ({"next_review_date": None} if name is not A.REVIEW_ESO else {})
    if name is A.AGREE_ACTION_PLAN:
        return rules.action_plan_review_refusal(today, d["review_date"], policy)
    if name is A.INVITE_TO_MEETING and d["meeting_date"] < today:
        return "details.meeting_date: the meeting cannot be in the past"
    if name in (A.REVIEW_ACTION_PLAN, A.REVIEW_ATTENDANCE_CONTRACT, A.REVIEW_ESO) and d["next_review_date"]:
        if name is A.REVIEW_ESO:
            return None if d["next_review_date"] > today else "The review date must be after today"
        check = rules.contract_review_refusal if name is A.REVIEW_ATTENDANCE_CONTRACT \
            else rules.action_plan_review_refusal
        return check(today, d["next_review_date"], policy)
    if name is A.OFFER_ATTENDANCE_CONTRACT and (c := state.contract_for(d["parent"])) and c.status != "improved":
        return "That parent already has an attendance contract"
    if name is A.SIGN_ATTENDANCE_CONTRACT:
        contract = state.contract_for(d["parent"])
        if contract is None or contract.status != "offered":
            return "Offer a contract to that parent first"
        if d["review_date"]:
            return rules.contract_review_refusal(today, d["review_date"], policy)
    if name is A.RECORD_CONTRACT_BREACH:
        contract = state.contract_for(d["parent"])
        if contract is None or contract.status not in ("signed", "breached"):
            return "That parent has no signed attendance contract"
    if name is A.ISSUE_PENALTY_NOTICE:
        return _penalty_details(state, d["parent"], d["issued_on"] or today, today, policy)
    if name is A.RECORD_PENALTY_PAYMENT:
        return _payment_details(state, d["notice_id"], d["paid_on"] or today, d["amount_pence"], today)
    if name is A.WITHDRAW_PENALTY_NOTICE:
        notice = state.notice(d["notice_id"])
        if notice is None or notice.status not in ("issued", "unpaid") + (("paid_late",) if lawful else ()):
            return "That penalty notice cannot be withdrawn"
    if name is A.EXTEND_ESO and state.eso and state.eso.expires_on:
        return rules.eso_extension_refusal(today, state.eso.expires_on, d["years"])
    if name is A.DECIDE_PROSECUTION and d["notice_id"]:
        notice = state.notice(d["notice_id"])
        if notice is None:
            return "notice_id: no such penalty notice"
        if notice.status == "paid":
            return "That penalty notice was paid: no prosecution for the same absence"
        if notice.status == "issued":
            return "The notice's payment period has not ended"
    if name is A.RECORD_COURT_OUTCOME and d["parenting_order"] and d["outcome"] != "convicted":
        return "A parenting order follows a conviction"
    return None


def _penalty_details(state: JourneyState, parent: str, issued_on: date, today: date,
                     policy: JourneyPolicy) -> str | None:
    if issued_on > today:
        return "issued_on: a notice cannot be dated in the future"
    mine = [n for n in state.penalty_notices if n.parent == parent]
    if any(n.status == "issued" for n in mine):
        return "That parent already has a penalty notice awaiting payment"
    prior = [rules.PriorNotice(n.issued_on, n.status == "withdrawn") for n in mine]
    if rules.penalty_terms(prior, issued_on, policy) is None:
        return THIRD_NOTICE
    return None


def _payment_details(state: JourneyState, notice_id: str, paid_on: date, amount: int, today: date) -> str | None:
    notice = state.notice(notice_id)
    if notice is None or notice.status != "issued":
        return "That penalty notice is not awaiting payment"
    if paid_on > today or paid_on < notice.issued_on:
        return "paid_on: the payment date must be between the issue date and today"
    terms = rules.NoticeTerms(notice.sequence, notice.amount_pence, notice.discounted_amount_pence,
                              notice.discount_until, notice.pay_by)
    due = rules.amount_due(terms, paid_on)
    if due is None:
        return "The payment period has ended: decide on prosecution or withdraw the notice"
    if amount != due:
        return f"amount_pence: a payment on {paid_on.isoformat()} must be {rules.pounds(due)}"
    return None


def refusal(state: JourneyState, action: OfficerAction, today: date, policy: JourneyPolicy,
            lawful: bool = True, adapted: bool = True) -> str | None:
    """Why the officer's action is refused, in words the UI can show; None when it is legal. Every condition is
    checked at the step's date (its effective date, today when omitted)."""
    try:
        name = ActionName(action.action)
    except ValueError:
        return f"Unknown action {action.action!r}"
    if not lawful:
        if reason := precondition(state, name, today, lawful=False, adapted=adapted):
            return reason
        try:
            details = parse_details(action)
        except ValueError as exc:
            return f"details.{exc}"
        return details_refusal(state, name, details, today, policy) or \
            _adapted_refusal(state, name, details.model_dump(), today, adapted)
    day, reason = lawful_rules.step_date(action, today)
    if name is not A.OPEN_CASE:
        reason = reason or lawful_rules.date_refusal(state, day, today)
    if reason or (reason := precondition(state, name, day, adapted=adapted)):
        return reason
    try:
        details = parse_details(action)
    except ValueError as exc:
        return f"details.{exc}"
    d = details.model_dump()
    return lawful_rules.lawful_refusal(state, action, d, day, today, policy) or \
        details_refusal(state, name, details, day, policy, lawful=True) or \
        _adapted_refusal(state, name, d, day, adapted)


def _adapted_refusal(state: JourneyState, name: ActionName, d: dict[str, Any], day: date,
                     adapted: bool) -> str | None:
    """Checks of the adapted-path patch that need the action's details: a court outcome's dates and terms."""
    if adapted and name is A.RECORD_COURT_OUTCOME:
        return court.refusal(state, d, day)
    return None


def available_actions(state: JourneyState, today: date) -> dict[ActionName, str | None]:
    """Every action with None when it may be taken now, else the reason it may not."""
    return {name: precondition(state, name, today) for name in ActionName if name is not A.OPEN_CASE}
