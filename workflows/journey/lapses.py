"""What a lapsed deadline does: the journey escalates (EWO and attendance lead told, case flagged) rather than
waiting silently; the end of a closure monitoring period ends the journey."""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio import workflow

from workflows.journey import policy as rules
from workflows.journey.state import Deadline, DeadlineKind, JourneyState

with workflow.unsafe.imports_passed_through():
    from shared.contracts.journey import STAGE_LABELS, JourneyStatus
    from shared.contracts.notifications import RecipientRole, TemplateName

K = DeadlineKind
T = TemplateName
R = RecipientRole

LAPSE_TEXT = {
    K.ACTION_PLAN_REVIEW: "Action plan review date passed without a review",
    K.CONTRACT_REVIEW: "Attendance contract review date passed without a review",
    K.WHOLE_FAMILY_PLAN_REVIEW: "Whole-family plan review date passed without a review",
    K.NOTICE_TO_IMPROVE: "Improvement period ended: review attendance and decide on a penalty notice",
    K.FAST_TRACK_END: "Fast track period ended: decide on prosecution or closure",
    K.ESO_REVIEW: "Education supervision order review is overdue",
    K.ESO_EXPIRY: "Education supervision order expired",
    K.PENALTY_PAYMENT: "Penalty notice unpaid after 28 days: decide on prosecution or withdraw the notice",
    K.CME_SCHOOL_ENQUIRIES: "The school's reasonable enquiries for a child who may be missing education are "
                            "overdue: make and record them, and tell the LA's CME officer what they found",
    K.CME_LA_ENQUIRIES: "The LA's reasonable enquiries for a child who may be missing education are overdue: "
                        "make and record them, or record the outcome",
    K.COURT_HEARING: "The adjourned court hearing's day has passed: record what the court decided",
    K.PARENTING_ORDER_END: "The parenting order has ended: record whether the parent kept its requirements (a "
                           "breach is an offence) and review the case",
    K.PARENTING_PROGRAMME_END: "The parenting order's counselling or guidance programme has ended: record whether "
                               "the parent attended it",
    K.PROSECUTION_DECISION: "The time to decide on an unpaid penalty notice has passed: decide on prosecution or "
                            "withdraw the notice now",
}


def lapse(state: JourneyState, deadline: Deadline, now: datetime, wid: str, tell_attendance_lead: bool = True,
          decision_days: int | None = None) -> None:
    """A deadline passed without the step it waited for: escalate rather than wait silently. With
    `decision_days` (journeys after the lawful-pathway patch), an unpaid notice also starts the LA's own
    deadline to prosecute or withdraw, counted from the last day for payment."""
    state.clear_deadline(deadline.key)
    wid = f"{wid}:{state.journey_ref}"
    if deadline.kind is K.CLOSURE_MONITORING:
        state.status = JourneyStatus.ENDED
        state.add_entry("journey_ended", "Monitoring period ended without renewed concern", now)
        return
    if deadline.kind is K.PENALTY_DISCOUNT:
        notice = state.notice(deadline.ref or "")
        if notice and notice.status == "issued":
            state.add_entry("penalty_discount_ended", f"Reduced rate period of {notice.notice_id} ended: "
                            f"{rules.pounds(notice.amount_pence)} due by {notice.pay_by}", now)
        return
    if deadline.kind is K.PENALTY_PAYMENT:
        notice = state.notice(deadline.ref or "")
        # A payment recorded late before this timer ran still leaves the LA to decide.
        if notice is None or notice.status not in ("issued", "paid_late"):
            return
        if notice.status == "issued":
            notice.status = "unpaid"
        state.prosecution_decision_due = True
        if decision_days is not None:
            notice.decide_by = notice.pay_by + timedelta(days=decision_days)
            state.set_deadline(f"{K.PROSECUTION_DECISION}:{notice.notice_id}", K.PROSECUTION_DECISION,
                               f"Decide to prosecute or withdraw penalty notice {notice.notice_id}", notice.decide_by,
                               notice.notice_id)
    elif deadline.kind is K.PROSECUTION_DECISION:
        notice = state.notice(deadline.ref or "")
        if notice is None or notice.status not in ("unpaid", "paid_late"):
            return
    elif deadline.kind is K.NOTICE_TO_IMPROVE:
        for nti in state.notices_to_improve:
            if nti.notice_id == deadline.ref:
                nti.status = "period_ended"
    elif deadline.kind is K.FAST_TRACK_END and state.fast_track:
        state.fast_track.status = "ended"
    elif deadline.kind is K.ESO_EXPIRY and state.eso:
        state.eso.status = "expired"
    title = LAPSE_TEXT.get(deadline.kind, f"{deadline.title} lapsed")
    state.escalations.append(deadline.key)
    state.flagged = True
    state.add_entry("escalation", title, now, deadline=deadline.key, due_on=deadline.due_on.isoformat())
    context = {"pupil_id": state.pupil_id, "school_urn": state.school_urn, "reason": title,
               "stage": STAGE_LABELS[state.stage], "deadline_name": deadline.title.lower(),
               "deadline_date": deadline.due_on.isoformat()}
    state.notify(f"{wid}:{deadline.key}:{T.ESCALATION_EWO}", T.ESCALATION_EWO, R.EWO, **context)
    if tell_attendance_lead:
        state.notify(f"{wid}:{deadline.key}:{T.DEADLINE_LAPSED_ATTENDANCE_LEAD}", T.DEADLINE_LAPSED_ATTENDANCE_LEAD,
                     R.ATTENDANCE_LEAD, **context)
