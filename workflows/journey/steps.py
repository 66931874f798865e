"""What each officer action does to the journey: pure state changes.

Notifications are queued on the state (with idempotency keys) for the workflow to send through activities."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from temporalio import workflow

from workflows.journey import cme, court, legal_steps, notices, severe
from workflows.journey import policy as rules
from workflows.journey.state import (
    ActionPlan,
    Contract,
    DeadlineKind,
    Decision,
    Eso,
    FastTrack,
    JourneyState,
    Meeting,
    Prosecution,
    Referral,
)
from workflows.journey.transitions import parse_details

with workflow.unsafe.imports_passed_through():
    from shared.contracts.journey import ActionName, JourneyPolicy, JourneyStatus, OfficerAction, Stage
    from shared.contracts.notifications import RecipientRole, TemplateName
    from shared.contracts.register import RegisterEventType

A = ActionName
E = RegisterEventType
T = TemplateName
R = RecipientRole
K = DeadlineKind

# Officer actions that deal with a lapsed deadline of these kinds, so the case is no longer flagged for it.
RESOLVES: dict[ActionName, tuple[DeadlineKind, ...]] = {
    A.AGREE_ACTION_PLAN: (K.ACTION_PLAN_REVIEW,), A.REVIEW_ACTION_PLAN: (K.ACTION_PLAN_REVIEW,),
    A.REVIEW_ATTENDANCE_CONTRACT: (K.CONTRACT_REVIEW,), A.RECORD_CONTRACT_BREACH: (K.CONTRACT_REVIEW,),
    A.DECIDE_PROSECUTION: (K.PENALTY_PAYMENT, K.FAST_TRACK_END, K.NOTICE_TO_IMPROVE, K.PROSECUTION_DECISION),
    A.WITHDRAW_PENALTY_NOTICE: (K.PENALTY_PAYMENT, K.PROSECUTION_DECISION),
    A.ISSUE_PENALTY_NOTICE: (K.NOTICE_TO_IMPROVE,),
    A.RECORD_DECISION: (K.FAST_TRACK_END, K.NOTICE_TO_IMPROVE, K.ESO_EXPIRY),
    A.REVIEW_ESO: (K.ESO_REVIEW,), A.EXTEND_ESO: (K.ESO_REVIEW, K.ESO_EXPIRY), A.APPLY_FOR_ESO: (K.ESO_EXPIRY,),
    A.AGREE_WHOLE_FAMILY_PLAN: (K.WHOLE_FAMILY_PLAN_REVIEW,), A.REVIEW_WHOLE_FAMILY_PLAN: (K.WHOLE_FAMILY_PLAN_REVIEW,),
    A.RECORD_COURT_OUTCOME: (K.COURT_HEARING,),
    A.CLOSE_CASE: tuple(DeadlineKind),
}


def apply_action(state: JourneyState, action: OfficerAction, now: datetime, policy: JourneyPolicy, wid: str,
                 lawful: bool = True, adapted: bool = True) -> None:
    """An officer's action the validator accepted: change the state, set timers, queue letters. With `lawful`
    (journeys started after the lawful-pathway patch) the step happens on its effective date and counts in
    school weeks; without, it does what it did when older histories were recorded. With `adapted` (the
    adapted-path patch) a court outcome keeps its hearing and a parenting order's terms, with their deadlines."""
    name = ActionName(action.action)
    wid = f"{wid}:{state.journey_ref}"  # record ids restart with each journey of the same pupil
    d: dict[str, Any] = parse_details(action).model_dump()
    today = now.date()
    actor = f"{action.actor.name} ({action.actor.role})"
    for kind in RESOLVES.get(name, ()):
        for key in [k for k in state.escalations if k.startswith(f"{kind.value}:")]:
            state.clear_deadline(key)
    dated: dict[str, Any] = {}
    queued = len(state.pending_notifications)
    handler = (_ADAPTED_HANDLERS.get(name) if adapted else None) or _HANDLERS[name]
    if lawful:
        day, _ = legal_steps.step_date(action, today)
        if name is not A.OPEN_CASE:
            state.last_step_on = max(day, state.last_step_on or day)
        dated = {"effective_date": day.isoformat(), "recorded_at": now.isoformat()}
        lawful_handler = _LAWFUL_HANDLERS.get(name)
        title = lawful_handler(state, d, day, policy, wid, action) if lawful_handler else \
            handler(state, d, day, policy, wid)
    else:
        title = handler(state, d, today, policy, wid)
    notices.sign(state, queued, action)
    if name is A.RECORD_DECISION:
        state.decisions[-1].actor = actor
    state.add_entry(name.value, title, now, actor=actor, note=action.note,
                    **{k: _json(v) for k, v in d.items()}, **dated)


def _json(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_json(v) for v in value]
    return value.value if hasattr(value, "value") else value


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _invite(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    key = f"{wid}:{s.next_id('invite')}:{T.MEETING_INVITATION_PARENT}"
    s.notify(key, T.MEETING_INVITATION_PARENT, R.PARENTS, pupil_id=s.pupil_id,
             meeting_date=d["meeting_date"].isoformat(), meeting_time=d["meeting_time"],
             meeting_place=d["meeting_place"])
    return f"Parents invited to an attendance meeting on {d['meeting_date']}"


def _meeting(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    s.meetings.append(Meeting(held_on=d["held_on"] or today, attendees=d["attendees"],
                              pupil_voice=d["pupil_voice"], summary=d["summary"]))
    return "Attendance meeting recorded"


def _agree_plan(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    plan = ActionPlan(plan_id=s.next_id("plan"), agreed_on=today, actions=d["actions"], review_on=d["review_date"])
    s.action_plans.append(plan)
    s.set_deadline(f"{K.ACTION_PLAN_REVIEW}:{plan.plan_id}", K.ACTION_PLAN_REVIEW, "Action plan review",
                   plan.review_on, plan.plan_id)
    s.notify(f"{wid}:{plan.plan_id}:{T.ACTION_PLAN_PARENT}", T.ACTION_PLAN_PARENT, R.PARENTS,
             pupil_id=s.pupil_id, review_date=plan.review_on.isoformat(), actions=plan.actions)
    return f"Action plan agreed, review by {plan.review_on.isoformat()}"


def _review_plan(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    plan = s.open_plan()
    assert plan is not None
    key = f"{K.ACTION_PLAN_REVIEW}:{plan.plan_id}"
    if d["next_review_date"]:
        plan.review_on = d["next_review_date"]
        s.set_deadline(key, K.ACTION_PLAN_REVIEW, "Action plan review", plan.review_on, plan.plan_id)
        return f"Action plan reviewed ({d['outcome'].value.replace('_', ' ')}); next review {plan.review_on}"
    plan.status = d["outcome"].value
    s.clear_deadline(key)
    return "Action plan reviewed: " + ("attendance improved" if plan.status == "improved" else
                                       "no improvement, consider formal support")


def _refer(kind: str, label: str) -> Any:
    def handler(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
        s.referrals.append(Referral(kind=kind, made_on=today, reason=d["reason"], agency=d["agency"]))
        s.lead_practitioner = s.lead()
        return f"Referred to {label}"
    return handler


def _tsm(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    s.tsm_discussions.append(d["outcome"])
    return "Discussed at a Targeting Support Meeting"


def _offer_contract(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    contract = Contract(contract_id=s.next_id("contract"), parent=d["parent"], offered_on=today,
                        parent_commitments=d["parent_commitments"], support_provided=d["support_provided"])
    s.contracts.append(contract)
    return f"Attendance contract offered to {contract.parent}"


def _sign_contract(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    contract = s.contract_for(d["parent"])
    assert contract is not None
    contract.status, contract.signed_on = "signed", today
    contract.review_on = d["review_date"] or today + timedelta(days=p.contract_review_days)
    s.set_deadline(f"{K.CONTRACT_REVIEW}:{contract.contract_id}", K.CONTRACT_REVIEW, "Attendance contract review",
                   contract.review_on, contract.contract_id)
    s.escalate_to(Stage.FORMAL_SUPPORT)
    s.notify(f"{wid}:{contract.contract_id}:{T.ATTENDANCE_CONTRACT_PARENT}", T.ATTENDANCE_CONTRACT_PARENT,
             R.PARENTS, pupil_id=s.pupil_id, parent=contract.parent, contract_start_date=today.isoformat(),
             review_date=contract.review_on.isoformat(), parent_commitments=contract.parent_commitments,
             support_offered=contract.support_provided)
    return f"Attendance contract signed by {contract.parent}, review by {contract.review_on}"


def _review_contract(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    contract = next(c for c in reversed(s.contracts) if c.status in ("signed", "breached"))
    key = f"{K.CONTRACT_REVIEW}:{contract.contract_id}"
    if d["next_review_date"]:
        contract.review_on = d["next_review_date"]
        s.set_deadline(key, K.CONTRACT_REVIEW, "Attendance contract review", contract.review_on,
                       contract.contract_id)
        return f"Attendance contract reviewed; next review {contract.review_on}"
    s.clear_deadline(key)
    contract.status = "improved" if d["outcome"].value == "improved" else "ended"
    return "Attendance contract reviewed: " + ("attendance improved" if contract.status == "improved"
                                               else "no improvement, contract ended")


def _breach(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    contract = s.contract_for(d["parent"])
    assert contract is not None
    contract.breaches.append(d["breach"])
    contract.status = "breached"
    return f"Attendance contract breach recorded ({contract.parent})"


def _decision(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    s.decisions.append(Decision(recorded_on=today, actor="officer", **d))
    return "Decision factors recorded"


def _fast_track(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    s.fast_track = FastTrack(started_on=today, ends_on=rules.add_calendar_weeks(today, p.fast_track_school_weeks))
    s.set_deadline(f"{K.FAST_TRACK_END}:{s.next_id('ft')}", K.FAST_TRACK_END, "Fast track ends", s.fast_track.ends_on)
    s.escalate_to(Stage.LEGAL_INTERVENTION)
    return f"Fast track started, ends {s.fast_track.ends_on}"


def _sign_contract_lawful(s: JourneyState, d: dict[str, Any], day: date, p: JourneyPolicy, wid: str,
                          action: OfficerAction) -> str:
    review = rules.add_school_weeks(s.school_calendar, day, p.contract_review_school_weeks)
    title = _sign_contract(s, {**d, "review_date": d["review_date"] or review.day}, day, p, wid)
    return title if d["review_date"] else notices._with_note(title, review.note)


def _fast_track_lawful(s: JourneyState, d: dict[str, Any], day: date, p: JourneyPolicy, wid: str,
                       action: OfficerAction) -> str:
    ends = rules.add_school_weeks(s.school_calendar, day, p.fast_track_school_weeks)
    s.fast_track = FastTrack(started_on=day, ends_on=ends.day, unauthorised_sessions=d["unauthorised_sessions"],
                             period_start=d["period_start"], period_end=d["period_end"])
    s.set_deadline(f"{K.FAST_TRACK_END}:{s.next_id('ft')}", K.FAST_TRACK_END, "Fast track ends", s.fast_track.ends_on)
    s.escalate_to(Stage.LEGAL_INTERVENTION)
    rate = f"{d['unauthorised_sessions']} of {d['possible_sessions']} sessions unauthorised " \
           f"{d['period_start']} to {d['period_end']}"
    return notices._with_note(f"Fast track started ({rate}), ends {s.fast_track.ends_on} "
                              f"({p.fast_track_school_weeks} school weeks)", ends.note)


def _prosecute_lawful(s: JourneyState, d: dict[str, Any], day: date, p: JourneyPolicy, wid: str,
                      action: OfficerAction) -> str:
    if d["notice_id"]:
        s.clear_deadline(f"{K.PROSECUTION_DECISION}:{d['notice_id']}")
    _prosecute(s, d, day, p, wid)
    assert s.prosecution is not None
    # The support given (or why none was appropriate) is what the court asks about first.
    s.prosecution.evidence_bundle[-1:-1] = [
        f"support {e.support_id}: {e.what} by {e.provider} from {e.start_date} ({e.response})" for e in s.support
    ] + [f"support inappropriate {x.recorded_on}: {x.reason}" for x in s.support_inappropriate] + [
        f"whole-family plan {w.plan_id} agreed {w.agreed_on} with "
        f"{', '.join(a['agency'] for a in w.agencies)} ({w.status})" for w in s.whole_family_plans
    ] + [f"home visit {v.visited_on}: seen {', '.join(v.seen)}; agreed: {v.agreed}" for v in s.home_visits]
    s.prosecution_decision_due = any(n.status in ("unpaid", "paid_late") for n in s.penalty_notices)
    return f"Decided to prosecute under {d['section'].value}; evidence bundle of " \
           f"{len(s.prosecution.evidence_bundle)} items assembled"


def _apply_eso(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    s.eso = Eso(applied_on=today)
    s.escalate_to(Stage.FORMAL_SUPPORT)
    return "Education supervision order applied for"


def _eso_decision(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    assert s.eso is not None
    decided_on: date = d["decided_on"] or today
    s.eso.decided_on = decided_on
    if not d["granted"]:
        s.eso.status = "refused"
        return "Education supervision order refused"
    s.eso.status = "granted"
    s.eso.expires_on = rules.add_months(decided_on, p.eso_initial_months)
    s.eso.next_review_on = decided_on + timedelta(days=p.eso_review_days)
    s.set_deadline(f"{K.ESO_REVIEW}:eso", K.ESO_REVIEW, "ESO review", s.eso.next_review_on)
    s.set_deadline(f"{K.ESO_EXPIRY}:eso", K.ESO_EXPIRY, "ESO expires", s.eso.expires_on)
    return f"Education supervision order granted until {s.eso.expires_on}"


def _review_eso(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    assert s.eso is not None
    s.eso.next_review_on = d["next_review_date"] or today + timedelta(days=p.eso_review_days)
    s.set_deadline(f"{K.ESO_REVIEW}:eso", K.ESO_REVIEW, "ESO review", s.eso.next_review_on)
    return f"Education supervision order reviewed; next review {s.eso.next_review_on}"


def _extend_eso(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    assert s.eso is not None
    assert s.eso.expires_on is not None
    s.eso.expires_on = rules.add_years(s.eso.expires_on, d["years"])
    s.eso.extensions += 1
    s.set_deadline(f"{K.ESO_EXPIRY}:eso", K.ESO_EXPIRY, "ESO expires", s.eso.expires_on)
    return f"Education supervision order extended until {s.eso.expires_on}"


def _prosecute(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    bundle = [f"decision {x.recorded_on}: support offered: {x.support_offered}" for x in s.decisions]
    bundle += [f"meeting {m.held_on}" for m in s.meetings]
    bundle += [f"action plan {x.plan_id} agreed {x.agreed_on} ({x.status})" for x in s.action_plans]
    bundle += [f"contract {c.contract_id} ({c.status}, breaches: {len(c.breaches)})" for c in s.contracts]
    bundle += [f"notice to improve {n.notice_id} issued {n.issued_on}" for n in s.notices_to_improve]
    bundle += [f"penalty notice {n.notice_id} issued {n.issued_on} ({n.status})" for n in s.penalty_notices]
    bundle.append(f"ESO considered: {d['eso_considered']}")
    s.prosecution = Prosecution(decided_on=today, section=d["section"], reasons=d["reasons"],
                                notice_id=d["notice_id"], evidence_bundle=bundle)
    if d["notice_id"] and (notice := s.notice(d["notice_id"])):
        notice.status = "prosecuted"
    s.prosecution_decision_due = any(n.status == "unpaid" for n in s.penalty_notices)
    s.escalate_to(Stage.LEGAL_INTERVENTION)
    return f"Decided to prosecute under {d['section'].value}; evidence bundle of {len(bundle)} items assembled"


def _court(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    assert s.prosecution is not None
    s.prosecution.outcome, s.prosecution.fine_pence = d["outcome"], d["fine_pence"]
    s.prosecution.parenting_order, s.prosecution.parenting_order_months = d["parenting_order"], \
        d["parenting_order_months"]
    return f"Court outcome: {d['outcome']}" + (" with a parenting order" if d["parenting_order"] else "")


def _close(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    s.stage_before_closure, s.closed_on = s.stage, today
    s.deadlines = []
    s.escalations, s.flagged = [], False
    s.move_to(Stage.CLOSED)
    s.status = JourneyStatus.CLOSED_MONITORING
    until = today + timedelta(days=p.closure_monitoring_days)
    s.set_deadline(f"{K.CLOSURE_MONITORING}:{s.next_id('close')}", K.CLOSURE_MONITORING, "Monitoring period ends",
                   until)
    if d["attendance_rate"] and d["previous_attendance_rate"]:
        s.notify(f"{wid}:{s.next_id('close')}:{T.IMPROVEMENT_PRAISE_PARENT}", T.IMPROVEMENT_PRAISE_PARENT,
                 R.PARENTS, pupil_id=s.pupil_id, attendance_rate=d["attendance_rate"],
                 previous_attendance_rate=d["previous_attendance_rate"], period_start=_iso(d["period_start"]),
                 period_end=_iso(d["period_end"]) or today.isoformat())
    return f"Case closed; monitoring until {until}"


def _reopen_action(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    s.reopen(s.stage_before_closure or Stage.MONITORING)
    return "Case reopened"


def _open_case(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    return "Case opened by an officer"


_HANDLERS = {
    A.INVITE_TO_MEETING: _invite, A.RECORD_MEETING: _meeting, A.AGREE_ACTION_PLAN: _agree_plan,
    A.REVIEW_ACTION_PLAN: _review_plan,
    A.REFER_EARLY_HELP: _refer("early_help", "early help"),
    A.REFER_SOCIAL_CARE: _refer("social_care", "children's social care"),
    A.RECORD_TSM_DISCUSSION: _tsm, A.OFFER_ATTENDANCE_CONTRACT: _offer_contract,
    A.SIGN_ATTENDANCE_CONTRACT: _sign_contract, A.REVIEW_ATTENDANCE_CONTRACT: _review_contract,
    A.RECORD_CONTRACT_BREACH: _breach, A.RECORD_DECISION: _decision, A.START_FAST_TRACK: _fast_track,
    A.ISSUE_NOTICE_TO_IMPROVE: notices.notice_to_improve_legacy, A.ISSUE_PENALTY_NOTICE: notices.penalty_legacy,
    A.RECORD_PENALTY_PAYMENT: notices.payment_legacy, A.WITHDRAW_PENALTY_NOTICE: notices.withdraw,
    A.APPLY_FOR_ESO: _apply_eso,
    A.RECORD_ESO_DECISION: _eso_decision, A.REVIEW_ESO: _review_eso, A.EXTEND_ESO: _extend_eso,
    A.DECIDE_PROSECUTION: _prosecute, A.RECORD_COURT_OUTCOME: _court, A.CLOSE_CASE: _close,
    A.REOPEN_CASE: _reopen_action, A.OPEN_CASE: _open_case,
    A.RECORD_SUPPORT: notices.support, A.RECORD_SUPPORT_INAPPROPRIATE: notices.support_inappropriate,
    A.AGREE_WHOLE_FAMILY_PLAN: severe.agree_plan, A.REVIEW_WHOLE_FAMILY_PLAN: severe.review_plan,
    A.RECORD_HOME_VISIT: severe.home_visit,
    A.RECORD_CME_ENQUIRY: cme.record_enquiry, A.RECORD_CME_OUTCOME: cme.record_outcome,
}
# Where the lawful pathway changes what a step does (not only its date); the others take the step's date.
_LAWFUL_HANDLERS = {
    A.SIGN_ATTENDANCE_CONTRACT: _sign_contract_lawful, A.START_FAST_TRACK: _fast_track_lawful,
    A.ISSUE_NOTICE_TO_IMPROVE: notices.notice_to_improve, A.ISSUE_PENALTY_NOTICE: notices.penalty,
    A.RECORD_PENALTY_PAYMENT: notices.payment, A.DECIDE_PROSECUTION: _prosecute_lawful,
}
# Where the adapted-path patch changes what a step does (PATCHES.md).
_ADAPTED_HANDLERS = {A.RECORD_COURT_OUTCOME: court.record_outcome}
