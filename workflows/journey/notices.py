"""What notice to improve, penalty notice and support steps do to the journey: pure state changes.

The `_legacy` handlers are what journeys started before the lawful-pathway patch keep doing (PATCHES.md): dates
from the issue day in calendar days. The others count from the day of receipt and in school weeks."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from temporalio import workflow

from workflows.journey import legal_steps
from workflows.journey import policy as rules
from workflows.journey.state import (
    DeadlineKind,
    JourneyState,
    NoticeToImprove,
    PenaltyNotice,
    SupportEntry,
    SupportInappropriate,
)

with workflow.unsafe.imports_passed_through():
    from shared.contracts.journey import JourneyPolicy, LedgerNotice, OfficerAction, Stage
    from shared.contracts.notifications import RecipientRole, TemplateName

T = TemplateName
R = RecipientRole
K = DeadlineKind


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _with_note(title: str, note: str | None) -> str:
    return f"{title} ({note})" if note else title


def signatory(action: OfficerAction) -> dict[str, str] | None:
    """Who signs a notice: the headteacher for the school, or the LA officer for the local authority (its name as
    casework gives it). None when that cannot be said, so notifications refuses the letter rather than leave the
    signature blank."""
    who = action.actor
    if not who.name.strip():
        return None
    if who.role.startswith("la_"):
        if not who.organisation.strip():
            return None
        return {"name": who.name.strip(), "role": who.role, "on_behalf_of": "local_authority",
                "organisation": who.organisation.strip()}
    title = "Headteacher" if who.role == "headteacher" else "On behalf of the headteacher"
    return {"name": who.name.strip(), "role": who.role, "on_behalf_of": "school", "title": title}


SIGNED_LETTERS = (T.NOTICE_TO_IMPROVE_PARENT, T.PENALTY_NOTICE_PARENT)


def sign(s: JourneyState, since: int, action: OfficerAction) -> None:
    """Put the signatory on the notices this action queued (every run: a payload, not a command)."""
    if (signed_by := signatory(action)) is None:
        return
    for pending in s.pending_notifications[since:]:
        if pending.template in SIGNED_LETTERS:
            pending.context["signatory"] = signed_by


def _issue_notice_to_improve(s: JourneyState, d: dict[str, Any], today: date, until: date, wid: str) -> str:
    notice = NoticeToImprove(notice_id=s.next_id("nti"), issued_on=today, improvement_until=until,
                             early_issue_grounds=d["early_issue_grounds"])
    s.notices_to_improve.append(notice)
    s.set_deadline(f"{K.NOTICE_TO_IMPROVE}:{notice.notice_id}", K.NOTICE_TO_IMPROVE, "Improvement period ends",
                   notice.improvement_until, notice.notice_id)
    sessions, start, end = legal_steps.counted_period(s, d)
    support = d["support_offered"] or [f"{e.what} ({e.provider})" for e in s.support] or \
        ([s.decisions[-1].support_offered] if s.decisions else [])
    s.notify(f"{wid}:{notice.notice_id}:{T.NOTICE_TO_IMPROVE_PARENT}", T.NOTICE_TO_IMPROVE_PARENT, R.PARENTS,
             pupil_id=s.pupil_id, improvement_period_end=notice.improvement_until.isoformat(),
             unauthorised_sessions=sessions, period_start=start, period_end=end, support_offered=support,
             sufficient_improvement=d["sufficient_improvement"],
             early_issue_grounds=d["early_issue_grounds"])
    s.escalate_to(Stage.LEGAL_INTERVENTION)
    return f"Notice to improve issued, improvement period until {notice.improvement_until}"


def notice_to_improve_legacy(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    days = d["improvement_days"] or p.notice_to_improve_days
    return _issue_notice_to_improve(s, d, today, today + timedelta(days), wid)


def notice_to_improve(s: JourneyState, d: dict[str, Any], day: date, p: JourneyPolicy, wid: str,
                      action: OfficerAction) -> str:
    """The improvement period in school weeks (3-6), so that a half term inside it does not shorten it."""
    weeks = d["improvement_school_weeks"] or (d["improvement_days"] // 7 if d["improvement_days"] else None) \
        or p.notice_to_improve_school_weeks
    until = rules.add_school_weeks(s.school_calendar, day, weeks)
    return _with_note(_issue_notice_to_improve(s, d, day, until.day, wid) + f" ({weeks} school weeks)", until.note)


def _issue_penalty(s: JourneyState, d: dict[str, Any], issued_on: date, p: JourneyPolicy, wid: str,
                   notice: PenaltyNotice) -> str:
    s.penalty_notices.append(notice)
    if notice.discount_until:
        s.set_deadline(f"{K.PENALTY_DISCOUNT}:{notice.notice_id}", K.PENALTY_DISCOUNT, "Reduced penalty period ends",
                       notice.discount_until, notice.notice_id)
    s.set_deadline(f"{K.PENALTY_PAYMENT}:{notice.notice_id}", K.PENALTY_PAYMENT, "Penalty notice payment due",
                   notice.pay_by, notice.notice_id)
    sessions, start, end = legal_steps.counted_period(s, d)
    s.notify(f"{wid}:{notice.notice_id}:{T.PENALTY_NOTICE_PARENT}", T.PENALTY_NOTICE_PARENT, R.PARENTS,
             pupil_id=s.pupil_id, parent=notice.parent, notice_reference=f"PN-{s.la_code}-{notice.notice_id}",
             issue_date=notice.issued_on.isoformat(), amount_pence=notice.amount_pence,
             discounted_amount_pence=notice.discounted_amount_pence, discount_by_date=_iso(notice.discount_until),
             pay_by_date=notice.pay_by.isoformat(), how_to_pay=p.penalty_how_to_pay,
             unauthorised_sessions=sessions, period_start=start, period_end=end)
    s.escalate_to(Stage.LEGAL_INTERVENTION)
    amounts = (f"{rules.pounds(notice.discounted_amount_pence)} by {notice.discount_until}, "
               if notice.discounted_amount_pence else "")
    # The reference is what an officer quotes when recording the payment.
    return f"Penalty notice {notice.sequence} ({notice.notice_id}) issued to {notice.parent}: {amounts}" \
           f"{rules.pounds(notice.amount_pence)} by {notice.pay_by}"


def _absence_period(s: JourneyState, d: dict[str, Any]) -> str:
    _, start, end = legal_steps.counted_period(s, d)
    return d["absence_period"] or f"{start} to {end}"


def penalty_legacy(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    issued_on: date = d["issued_on"] or today
    prior = [rules.PriorNotice(n.issued_on, n.status == "withdrawn") for n in s.penalty_notices
             if n.parent == d["parent"]]
    terms = rules.penalty_terms(prior, issued_on, p)
    assert terms is not None
    notice = PenaltyNotice(notice_id=s.next_id("pn"), parent=d["parent"], absence_period=_absence_period(s, d),
                           issued_on=issued_on, sequence=terms.sequence, amount_pence=terms.amount_pence,
                           discounted_amount_pence=terms.discounted_amount_pence, discount_until=terms.discount_until,
                           pay_by=terms.pay_by)
    return _issue_penalty(s, d, issued_on, p, wid, notice)


def penalty(s: JourneyState, d: dict[str, Any], day: date, p: JourneyPolicy, wid: str,
            action: OfficerAction) -> str:
    """Counted with the parent's notices for this child from casework's ledger; the periods for payment run
    beginning with the day the notice is presumed received."""
    terms = legal_steps.new_notice_terms(s, d, day, p, action.prior_notices)
    assert terms is not None
    _, _, window_end = s.threshold_window()
    notice = PenaltyNotice(notice_id=s.next_id("pn"), parent=d["parent"], absence_period=_absence_period(s, d),
                           issued_on=day, sequence=terms.sequence, amount_pence=terms.amount_pence,
                           discounted_amount_pence=terms.discounted_amount_pence, discount_until=terms.discount_until,
                           pay_by=terms.pay_by, service_method=d["service_method"].value,
                           received_on=terms.received_on,
                           period_end=d["period_end"] or legal_steps._as_date(window_end))
    title = _issue_penalty(s, d, day, p, wid, notice)
    return f"{title}; served {d['service_method'].value.replace('_', ' ')}, received {notice.received_on}"


def payment_legacy(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    notice = s.notice(d["notice_id"])
    assert notice is not None
    notice.status, notice.paid_on, notice.paid_amount_pence = "paid", d["paid_on"] or today, d["amount_pence"]
    for kind in (K.PENALTY_DISCOUNT, K.PENALTY_PAYMENT):
        s.clear_deadline(f"{kind}:{notice.notice_id}")
    return f"Penalty notice {notice.notice_id} paid ({rules.pounds(notice.paid_amount_pence)}): " \
           f"the period {notice.absence_period} is closed, no prosecution for it"


def payment(s: JourneyState, d: dict[str, Any], day: date, p: JourneyPolicy, wid: str, action: OfficerAction) -> str:
    """Paid in time at the rate for the day: the period is closed. Paid after the payment period: recorded as a
    late payment; it does not discharge the notice, so the LA's decision to prosecute or withdraw stands."""
    notice = s.notice(d["notice_id"])
    assert notice is not None
    notice.paid_on, notice.paid_amount_pence = day, d["amount_pence"]
    if notice.pay_by < day:
        notice.status = "paid_late"
        return f"Late payment of {rules.pounds(d['amount_pence'])} on {day} for penalty notice {notice.notice_id} " \
               f"(the payment period ended {notice.pay_by}): the LA decides to prosecute or withdraw the notice" + \
               (f" by {notice.decide_by}" if notice.decide_by else "")
    notice.status = "paid"
    for kind in (K.PENALTY_DISCOUNT, K.PENALTY_PAYMENT, K.PROSECUTION_DECISION):
        s.clear_deadline(f"{kind}:{notice.notice_id}")
    notice.decide_by = None
    s.prosecution_decision_due = any(n.status in ("unpaid", "paid_late") for n in s.penalty_notices)
    return f"Penalty notice {notice.notice_id} paid on {day} ({rules.pounds(d['amount_pence'])}): " \
           f"the period {notice.absence_period} is closed, no prosecution for it"


def withdraw(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    notice = s.notice(d["notice_id"])
    assert notice is not None
    notice.status, notice.withdrawal_reason = "withdrawn", d["reason"]
    for kind in (K.PENALTY_DISCOUNT, K.PENALTY_PAYMENT, K.PROSECUTION_DECISION):
        s.clear_deadline(f"{kind}:{notice.notice_id}")
    s.prosecution_decision_due = any(n.status in ("unpaid", "paid_late") for n in s.penalty_notices)
    return f"Penalty notice {notice.notice_id} withdrawn (it no longer counts towards the limit)"


def ledger(s: JourneyState) -> list[LedgerNotice]:
    """This journey's notices as casework's ledger keeps them."""
    return [LedgerNotice(notice_id=legal_steps.ledger_id(s, n.notice_id), parent=n.parent, issued_on=n.issued_on,
                         status=n.status, issued_by=s.la_code) for n in s.penalty_notices]


def support(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    response = d["response"].value
    if d["support_id"]:
        entry = next(e for e in s.support if e.support_id == d["support_id"])
        entry.response, entry.outcome = response, d["outcome"] or entry.outcome
        entry.end_date, entry.review_date = d["end_date"] or entry.end_date, d["review_date"] or entry.review_date
        return f"Support {entry.support_id} ({entry.what}): {response.replace('_', ' ')}" + \
            (f", {entry.outcome}" if entry.outcome else "")
    entry = SupportEntry(support_id=s.next_id("support"), recorded_on=today, what=d["what"].strip(),
                         provider=d["provider"].strip(), start_date=d["start_date"], end_date=d["end_date"],
                         review_date=d["review_date"], response=response, outcome=d["outcome"])
    s.support.append(entry)
    return f"Support {entry.support_id} {response.replace('_', ' ')}: {entry.what} by {entry.provider} from " \
           f"{entry.start_date}"


def support_inappropriate(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    s.support_inappropriate.append(SupportInappropriate(recorded_on=today, reason=d["reason"]))
    return f"Support recorded as inappropriate: {d['reason']}"
