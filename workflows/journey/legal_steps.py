"""The lawful pathway's refusals (issue 13): when a step happened, support first, and the guards the law puts
on fast track, notices, penalty notices and prosecution. Pure functions of JourneyState; transitions.py calls
them for validators always and for update handlers of journeys started after the lawful-pathway patch."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from temporalio import workflow

from workflows.journey import cme, penalty, severe
from workflows.journey import policy as rules
from workflows.journey.state import JourneyState

with workflow.unsafe.imports_passed_through():
    from shared.contracts.journey import ActionName, JourneyPolicy, LedgerNotice, OfficerAction, ServiceMethod

A = ActionName

NO_SUPPORT = ("Record the support offered to the family (what, who provides it, when, and how they responded), "
              "or why support is inappropriate (for example an unauthorised term-time holiday), before a legal step")
INDEPENDENT = "Penalty notices are only for pupils of state-funded schools, not a pupil at an independent school"
THRESHOLD_ON = ("A penalty notice needs the national threshold met on the notice's date (10 unauthorised sessions "
                "in 10 school weeks); for one of the other cases the framework allows, record why in "
                "details.other_case_reason")
THIRD_NOTICE = ("A third penalty notice within 3 years of the first is not allowed: use the other tools "
                "(prosecution, an education supervision order or an attendance contract)")
NO_ESO_CONSIDERED = ("details.eso_considered: record the decision that an education supervision order was "
                     "considered and why it was or was not pursued (s447 Education Act 1996)")
# Steps that carry their date in a field of their own as well (older callers); both must agree.
LEGACY_DATE_FIELDS = {A.RECORD_MEETING: "held_on", A.RECORD_TSM_DISCUSSION: "discussed_on",
                      A.ISSUE_PENALTY_NOTICE: "issued_on", A.RECORD_PENALTY_PAYMENT: "paid_on",
                      A.RECORD_ESO_DECISION: "decided_on"}


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None  # the details' own validation names the field


def step_date(action: OfficerAction, today: date) -> tuple[date, str | None]:
    """The day the step happened (today when not given) and, when the dates given disagree, why."""
    field = LEGACY_DATE_FIELDS.get(A(action.action))
    own = _as_date(action.details.get(field)) if field else None
    if action.effective_date and own and action.effective_date != own:
        return today, (f"details.{field} ({own.isoformat()}) and the step's date "
                       f"({action.effective_date.isoformat()}) differ: give one date")
    return action.effective_date or own or today, None


def date_refusal(state: JourneyState, day: date, today: date) -> str | None:
    if day > today:
        return f"The step's date ({day.isoformat()}) is after today: record a step once it has happened"
    if state.last_step_on and day < state.last_step_on:
        return (f"The step's date ({day.isoformat()}) is before the journey's previous step "
                f"({state.last_step_on.isoformat()}): record steps in the order they happened")
    return None


def support_refusal(state: JourneyState) -> str | None:
    return None if state.support_recorded() else NO_SUPPORT


def lawful_refusal(state: JourneyState, action: OfficerAction, d: dict[str, Any], day: date, today: date,
                   policy: JourneyPolicy) -> str | None:
    """Checks of the lawful pathway that need the action's details, at the step's date."""
    name = A(action.action)
    cal = state.school_calendar
    if name is A.AGREE_ACTION_PLAN:
        return rules.review_date_refusal(cal, day, today, d["review_date"], policy.action_plan_review_school_weeks)
    if name is A.REVIEW_ACTION_PLAN and d["next_review_date"]:
        return rules.review_date_refusal(cal, day, today, d["next_review_date"],
                                         policy.action_plan_review_school_weeks)
    if name is A.SIGN_ATTENDANCE_CONTRACT and d["review_date"]:
        return rules.review_date_refusal(cal, day, today, d["review_date"], policy.contract_review_school_weeks,
                                         "contract review")
    if name is A.REVIEW_ATTENDANCE_CONTRACT and d["next_review_date"]:
        return rules.review_date_refusal(cal, day, today, d["next_review_date"], policy.contract_review_school_weeks,
                                         "contract review")
    if name is A.START_FAST_TRACK:
        return fast_track_refusal(state, d, day, policy)
    if name is A.ISSUE_NOTICE_TO_IMPROVE and not state.threshold_met_on(day):
        return (f"A notice to improve needs the national threshold met on its date ({day.isoformat()}): "
                "10 unauthorised sessions in 10 school weeks")
    if name is A.ISSUE_NOTICE_TO_IMPROVE:
        return figures_refusal(state, d, day)
    if name is A.ISSUE_PENALTY_NOTICE:
        return penalty_notice_refusal(state, d, day, policy, action.prior_notices) or figures_refusal(state, d, day)
    if name is A.RECORD_PENALTY_PAYMENT:
        return payment_refusal(state, d, day)
    if name is A.DECIDE_PROSECUTION:
        return prosecution_refusal(state, d, day)
    if name is A.RECORD_SUPPORT:
        return support_details_refusal(state, d)
    if name in (A.AGREE_WHOLE_FAMILY_PLAN, A.REVIEW_WHOLE_FAMILY_PLAN, A.RECORD_HOME_VISIT):
        return severe.details_refusal(state, name, d, day, today, policy)
    if name in (A.RECORD_CME_ENQUIRY, A.RECORD_CME_OUTCOME):
        return cme.details_refusal(state, name, d)
    return None


def counted_period(s: JourneyState, d: dict[str, Any]) -> tuple[int | None, str | None, str | None]:
    """The unauthorised sessions a letter quotes and the first and last day of the period they were counted over,
    always from one source: the officer's own figures (count and period together), else the register's
    penalty-threshold window (its first school week's first school day to its last school week's last school
    day), else the fast track's entry figures. Never the school year's start, nor the day of issue."""
    if d["unauthorised_sessions"] is not None:
        return d["unauthorised_sessions"], _iso_or_none(d["period_start"]), _iso_or_none(d["period_end"])
    sessions = s.threshold_details.get("unauthorised_sessions")
    weeks = [w for w in (_as_date(w) for w in s.threshold_details.get("window_weeks") or []) if w]
    if sessions and weeks:
        first, last = rules.school_days_of_weeks(s.school_calendar, min(weeks), max(weeks),
                                                 _as_date(s.threshold_details.get("reported_on")))
        return sessions, first.isoformat(), last.isoformat()
    ft = s.fast_track
    if ft and ft.unauthorised_sessions is not None and ft.period_start and ft.period_end:
        return ft.unauthorised_sessions, ft.period_start.isoformat(), ft.period_end.isoformat()
    sessions, start, end = s.threshold_window()
    return sessions, _iso_or_none(d["period_start"]) or start, _iso_or_none(d["period_end"]) or end


def _iso_or_none(day: date | None) -> str | None:
    return day.isoformat() if day else None


FIGURES_TOGETHER = ("give the unauthorised sessions together with the period they were counted over (period_start "
                    "and period_end), or none of them to quote the register's penalty-threshold window")


def figures_refusal(state: JourneyState, d: dict[str, Any], day: date) -> str | None:
    """A letter quotes a count with the period it was counted over: the officer's three figures, or the ones the
    journey holds (threshold window, fast track entry figures), never a mixture, never none."""
    given = {f: d[f] is not None for f in ("unauthorised_sessions", "period_start", "period_end")}
    if any(given.values()) and not all(given.values()):
        missing = next(f for f, there in given.items() if not there)
        return f"details.{missing}: {FIGURES_TOGETHER}"
    if all(given.values()):
        if d["period_start"] > d["period_end"]:
            return "details.period_start: the period counted starts after it ends"
        if d["period_end"] > day:
            return "details.period_end: the period counted cannot end after the notice's date"
        return None
    sessions, start, end = counted_period(state, d)
    if sessions is None or start is None or end is None:
        return ("details.unauthorised_sessions: the register has given no penalty-threshold window for this pupil: "
                "give the unauthorised sessions and the period they were counted over (period_start, period_end)")
    return None


def fast_track_refusal(state: JourneyState, d: dict[str, Any], day: date, policy: JourneyPolicy) -> str | None:
    """The entry criterion (local practice, JourneyPolicy): an unauthorised rate over the last school weeks."""
    weeks, percent = policy.fast_track_window_school_weeks, policy.fast_track_unauthorised_percent
    criterion = f"at least {percent}% unauthorised absence over the last {weeks} school weeks"
    figures = (d["unauthorised_sessions"], d["possible_sessions"], d["period_start"], d["period_end"])
    if any(v is None for v in figures):
        return (f"Fast track needs {criterion}: record details.unauthorised_sessions and possible_sessions for "
                "the period (period_start, period_end) they cover")
    unauthorised, possible, start, end = figures
    if unauthorised > possible:
        return "details.unauthorised_sessions: more than the possible sessions"
    if end > day or end < day - timedelta(days=7) or start > end:
        return f"details.period_end: the figures must cover the last {weeks} school weeks up to the step's date"
    counted, _ = rules.school_weeks_in(state.school_calendar, start, end)
    if counted != weeks:
        return f"details.period_start: the period covers {counted} school weeks, not {weeks}"
    rate = Decimal(unauthorised) * 100 / Decimal(possible)
    if rate < percent:
        return (f"Fast track needs {criterion}: the recorded figures give {rate:.1f}% "
                f"({unauthorised} of {possible} sessions)")
    return None


def _counted(state: JourneyState, parent: str, ledger: list[LedgerNotice]) -> list[penalty.CountedNotice]:
    own = [penalty.CountedNotice(ledger_id(state, n.notice_id), n.issued_on, n.status == "withdrawn")
           for n in state.penalty_notices if n.parent == parent]
    theirs = [penalty.CountedNotice(n.notice_id, n.issued_on, n.status == "withdrawn") for n in ledger]
    return penalty.merged(own, theirs)


def ledger_id(state: JourneyState, notice_id: str) -> str:
    """A notice's id in casework's ledger: unique across the pupil's journeys (a journey's ids restart)."""
    return f"{state.journey_ref}-{notice_id}"


def new_notice_terms(state: JourneyState, d: dict[str, Any], day: date, policy: JourneyPolicy,
                     ledger: list[LedgerNotice]) -> penalty.Terms | None:
    method = ServiceMethod(d["service_method"])
    return penalty.notice_terms(_counted(state, d["parent"], ledger), day, penalty.received_on(day, method), policy)


def penalty_notice_refusal(state: JourneyState, d: dict[str, Any], day: date, policy: JourneyPolicy,
                           ledger: list[LedgerNotice]) -> str | None:
    if d["service_method"] is None:
        return "details.service_method: say how the notice is served: by_hand or first_class_post"
    if not state.threshold_met_on(day) and not d["other_case_reason"].strip():
        return THRESHOLD_ON
    nti = state.running_notice_to_improve(day)
    if nti and not d["early_issue_grounds_met"].strip():
        return (f"The notice to improve's improvement period runs until {nti.improvement_until.isoformat()}: a "
                "penalty notice before then needs details.early_issue_grounds_met naming which of its early-issue "
                f"grounds happened ({nti.early_issue_grounds or 'as the notice to improve states them'})")
    # Without an offence period that ended before the order began, the absence is taken to run into it.
    offence_end = d["period_end"] or day
    if state.eso_in_force_on(day) and state.eso and state.eso.decided_on and offence_end >= state.eso.decided_on:
        return eso_in_force(state)
    if any(n.status == "issued" for n in state.penalty_notices if n.parent == d["parent"]):
        return "That parent already has a penalty notice awaiting payment"
    if new_notice_terms(state, d, day, policy, ledger) is None:
        return THIRD_NOTICE
    return None


def eso_in_force(state: JourneyState) -> str:
    until = state.eso.expires_on.isoformat() if state.eso and state.eso.expires_on else "its end"
    return (f"An education supervision order is in force until {until}: no penalty notice or prosecution for "
            "absence in its period; the parents' duty is to follow its directions")


def payment_refusal(state: JourneyState, d: dict[str, Any], day: date) -> str | None:
    """Payments are recorded with the date paid; one after the payment period is recorded as late, not refused."""
    notice = state.notice(d["notice_id"])
    if notice is None or notice.status not in ("issued", "unpaid"):
        return "That penalty notice is not awaiting payment"
    if day < notice.issued_on:
        return f"paid_on: the payment date cannot be before the notice was issued ({notice.issued_on.isoformat()})"
    due = penalty.rate_on(notice.amount_pence, notice.discounted_amount_pence, notice.discount_until,
                          notice.pay_by, day)
    if due is not None and d["amount_pence"] != due:
        return f"amount_pence: a payment on {day.isoformat()} must be {rules.pounds(due)}"
    return None


def prosecution_refusal(state: JourneyState, d: dict[str, Any], day: date) -> str | None:
    if not d["eso_considered"].strip():
        return NO_ESO_CONSIDERED
    if not d["reasons"].strip():
        return "details.reasons: record the reasons for prosecuting"
    notice = state.notice(d["notice_id"]) if d["notice_id"] else None
    offence_end = notice.period_end if notice and notice.period_end else day
    if state.eso_in_force_on(day) and state.eso and state.eso.decided_on and offence_end >= state.eso.decided_on:
        return eso_in_force(state)
    return None


def support_details_refusal(state: JourneyState, d: dict[str, Any]) -> str | None:
    if d["support_id"]:
        return None if any(s.support_id == d["support_id"] for s in state.support) else \
            "support_id: no such support entry"
    for field, words in (("what", "what the support is"), ("provider", "who provides it")):
        if not d[field].strip():
            return f"details.{field}: say {words}"
    if d["start_date"] is None:
        return "details.start_date: say when the support starts (or started)"
    if d["response"] != "declined" and d["end_date"] is None and d["review_date"] is None:
        return "details.end_date: give an end date or a review date for the support"
    return None
