"""Court outcomes (issue 18 item 8): each hearing with its date, what the court decided, and a parenting order's
requirements and dates, whose end is a durable deadline. Journeys after the adapted-path patch only; earlier runs
keep steps.py's outcome without dates (PATCHES.md)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from temporalio import workflow

from workflows.journey import policy as rules
from workflows.journey.court_records import CourtHearing, ParentingOrder
from workflows.journey.state import DeadlineKind, JourneyState

with workflow.unsafe.imports_passed_through():
    from shared.contracts.journey import JourneyPolicy

K = DeadlineKind
# Statutory (rules.md s10, [H]): Sentencing Act 2020 s369, on conviction under s443/s444 Education Act 1996.
MAX_ORDER_MONTHS = 12
MAX_PROGRAMME_MONTHS = 3
S369 = "Sentencing Act 2020 s369"
HEARING_KEY = f"{K.COURT_HEARING.value}:court"
ORDER_KEY = f"{K.PARENTING_ORDER_END.value}:po"
PROGRAMME_KEY = f"{K.PARENTING_PROGRAMME_END.value}:po"
ORDER_FIELDS = ("parenting_order_months", "parenting_order_requirements", "parenting_order_start", "programme",
                "programme_end")


def last_day(start: date, months: int) -> date:
    """The last day of a period of `months` beginning with `start`."""
    return rules.add_months(start, months) - timedelta(days=1)


def refusal(state: JourneyState, d: dict[str, Any], day: date) -> str | None:
    """Why an outcome cannot be recorded as given on the step's date `day`, naming the field; None when it can."""
    heard, outcome = d["hearing_date"], d["outcome"]
    if heard is None:
        return "details.hearing_date: give the date of the hearing"
    if heard > day:
        return (f"details.hearing_date: the hearing ({heard.isoformat()}) is after the day recorded "
                f"({day.isoformat()}): record the outcome once the court has given it")
    prosecution = state.prosecution
    if prosecution and heard < prosecution.decided_on:
        return (f"details.hearing_date: the hearing ({heard.isoformat()}) is before the decision to prosecute "
                f"({prosecution.decided_on.isoformat()})")
    if prosecution and prosecution.hearings and heard < prosecution.hearings[-1].heard_on:
        return (f"details.hearing_date: the hearing ({heard.isoformat()}) is before the previous hearing "
                f"({prosecution.hearings[-1].heard_on.isoformat()})")
    following = d["next_hearing_date"]
    if outcome == "adjourned" and (following is None or following <= heard):
        return "details.next_hearing_date: give the day the court sits again, after this hearing"
    if outcome != "adjourned" and following is not None:
        return "details.next_hearing_date: only an adjourned hearing has a next hearing"
    if d["fine_pence"] and outcome != "convicted":
        return "details.fine_pence: a fine follows a conviction"
    if not d["parenting_order"]:
        given = [f for f in ORDER_FIELDS if d[f] not in (None, "") and str(d[f]).strip()]
        return f"details.parenting_order: say a parenting order was made to record its terms ({given[0]})" \
            if given else None
    return order_refusal(d, outcome, heard)


def order_refusal(d: dict[str, Any], outcome: str, heard: date) -> str | None:
    if outcome != "convicted":
        return "details.parenting_order: a parenting order follows a conviction"
    if not d["parenting_order_requirements"].strip():
        return "details.parenting_order_requirements: say what the order requires of the parent"
    start, months = d["parenting_order_start"], d["parenting_order_months"]
    if start is None:
        return "details.parenting_order_start: give the day the order's requirements start"
    if start < heard:
        return (f"details.parenting_order_start: the order cannot start before the hearing that made it "
                f"({heard.isoformat()})")
    if months is None:
        return f"details.parenting_order_months: give the order's length in months (at most {MAX_ORDER_MONTHS})"
    if months > MAX_ORDER_MONTHS:
        return (f"details.parenting_order_months: a parenting order's requirements last at most {MAX_ORDER_MONTHS} "
                f"months ({S369}), not {months}")
    programme, ends = d["programme"].strip(), d["programme_end"]
    if not programme and ends is None:
        return None
    if not programme:
        return "details.programme: say which counselling or guidance programme the parent is to attend"
    latest = last_day(start, MAX_PROGRAMME_MONTHS)
    if ends is None:
        return (f"details.programme_end: give the day the programme ends (by {latest.isoformat()}: at most "
                f"{MAX_PROGRAMME_MONTHS} months)")
    if ends < start:
        return f"details.programme_end: the programme cannot end before the order starts ({start.isoformat()})"
    if ends > latest:
        return (f"details.programme_end: a counselling or guidance programme lasts at most {MAX_PROGRAMME_MONTHS} "
                f"months ({S369}): from {start.isoformat()} it ends by {latest.isoformat()}")
    return None


def record_outcome(s: JourneyState, d: dict[str, Any], day: date, p: JourneyPolicy, wid: str) -> str:
    """The hearing on the prosecution; an outcome ends it, a parenting order starts its end's deadline."""
    prosecution = s.prosecution
    assert prosecution is not None
    heard, outcome = d["hearing_date"] or day, d["outcome"]
    prosecution.hearings.append(CourtHearing(heard_on=heard, outcome=outcome, next_hearing_on=d["next_hearing_date"]))
    if outcome == "adjourned":
        s.set_deadline(HEARING_KEY, K.COURT_HEARING, "Adjourned court hearing", d["next_hearing_date"])
        return f"Court hearing on {heard}: adjourned to {d['next_hearing_date']}"
    s.clear_deadline(HEARING_KEY)
    prosecution.outcome, prosecution.fine_pence = outcome, d["fine_pence"]
    title = f"Court outcome on {heard}: {outcome}"
    if d["fine_pence"]:
        title += f", fined {rules.pounds(d['fine_pence'])}"
    if not d["parenting_order"]:
        return title
    start, months = d["parenting_order_start"], d["parenting_order_months"]
    order = ParentingOrder(made_on=heard, requirements=d["parenting_order_requirements"].strip(), starts_on=start,
                           months=months, ends_on=last_day(start, months), programme=d["programme"].strip(),
                           programme_ends_on=d["programme_end"])
    prosecution.order, prosecution.parenting_order, prosecution.parenting_order_months = order, True, months
    s.set_deadline(ORDER_KEY, K.PARENTING_ORDER_END, "Parenting order ends", order.ends_on)
    if order.programme_ends_on:
        s.set_deadline(PROGRAMME_KEY, K.PARENTING_PROGRAMME_END, "Parenting programme ends", order.programme_ends_on)
    return f"{title}; parenting order from {start} to {order.ends_on}: {order.requirements}"


def view(s: JourneyState) -> list[dict[str, Any]]:
    """The prosecution's hearings and outcome, any parenting order with its terms, and the ESO's dates."""
    found: list[dict[str, Any]] = []
    p = s.prosecution
    if p:
        found.append({"kind": "prosecution", "section": p.section.value, "decided_on": p.decided_on.isoformat(),
                      "outcome": p.outcome, "fine_pence": p.fine_pence,
                      "hearings": [h.model_dump(mode="json") for h in p.hearings]})
        if p.order:
            found.append({"kind": "parenting_order", **p.order.model_dump(mode="json")})
        elif p.parenting_order:  # recorded before its terms were asked for
            found.append({"kind": "parenting_order", "months": p.parenting_order_months})
    if s.eso:
        found.append({"kind": "education_supervision_order", **s.eso.model_dump(mode="json")})
    return found
