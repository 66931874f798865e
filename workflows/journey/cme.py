"""Children missing education (rules.md s7, s8, s12): a new pupil who did not arrive on the agreed start day, a
deletion with no known destination and 10 school days of continuous unauthorised absence open a CME concern. The
LA's CME officer is told, the school's and then the LA's reasonable enquiries are due within the policy's school
days (durable deadlines that escalate when they lapse), and the concern ends with a recorded outcome. Pure state
changes and refusals; the workflow sends what is queued, behind its patch."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from temporalio import workflow

from workflows.journey import policy as rules
from workflows.journey.cme_records import CmeConcern, CmeEnquiry, CmeTrigger
from workflows.journey.state import DeadlineKind, JourneyState

with workflow.unsafe.imports_passed_through():
    from shared.contracts.casework import CaseParticipant
    from shared.contracts.cme import (
        CME_ENQUIRY_REQUIRED,
        CME_OUTCOME_LABELS,
        CME_OUTCOME_REQUIRED,
        ENQUIRY_BY_LABELS,
        CmeOutcome,
        EnquiryBy,
    )
    from shared.contracts.journey import ActionName, JourneyPolicy, JourneyStatus, RegisterFact, Stage
    from shared.contracts.notifications import RecipientRole, TemplateName
    from shared.contracts.register import RegisterEventType

A = ActionName
E = RegisterEventType
K = DeadlineKind
CME_OFFICER_ROLE = "la_cme_officer"
# Grounds that rest on the school and the LA having failed to locate the pupil (rules.md s7: joint enquiries).
NOT_LOCATED_GROUNDS = ("9(1)(h)", "9(1)(i)")
NO_CONCERN = "There is no open children missing education concern for this pupil"
OPEN_CONCERN = "Record the outcome of the children missing education concern before closing the case"
ENQUIRIES_FIRST = ("Record the school's and the LA's reasonable enquiries before recording that the child is still "
                   "missing")
DEADLINE_TITLES = {K.CME_SCHOOL_ENQUIRIES: "School's reasonable enquiries (child missing education)",
                   K.CME_LA_ENQUIRIES: "LA's reasonable enquiries (child missing education)"}
_DEADLINE_OF = {EnquiryBy.SCHOOL.value: K.CME_SCHOOL_ENQUIRIES, EnquiryBy.LA.value: K.CME_LA_ENQUIRIES}


def no_known_destination(fact: RegisterFact) -> bool:
    """A deletion whose details record no known destination: said so, or on a not-located ground."""
    d = fact.details
    return d.get("destination_known") is False or d.get("ground") in NOT_LOCATED_GROUNDS


def trigger_of(fact: RegisterFact) -> CmeTrigger | None:
    """The CME reason a register fact gives, if it gives one."""
    on = fact.session_date or fact.occurred_at.date()
    d = fact.details
    if fact.event_type is E.DID_NOT_ARRIVE:
        summary = f"New pupil did not arrive on the agreed start day ({d.get('start_date') or on})"
    elif fact.event_type is E.CONTINUOUS_UNAUTHORISED_ABSENCE:
        summary = f"{d.get('school_days') or 10} school days of continuous unauthorised absence"
    elif fact.event_type is E.PENDING_DELETION and no_known_destination(fact):
        summary = f"To be deleted from the admission register on ground {d.get('ground')} with no known destination"
    else:
        return None
    return CmeTrigger(event_id=str(fact.event_id), event_type=fact.event_type.value, on=on, summary=summary)


def open_concerns(state: JourneyState, now: datetime, policy: JourneyPolicy, wid: str) -> None:
    """Open a CME concern for the triggers waiting (or add them to the one open): the LA's CME officer is told once
    per concern and the enquiry deadlines set. A closed case in its monitoring period is reopened."""
    triggers, state.cme_triggers = state.cme_triggers, []
    if not triggers:
        return
    today = now.date()
    if state.status is JourneyStatus.CLOSED_MONITORING:
        state.reopen(Stage.MONITORING)
        state.add_entry("reopened", "Reopened: the child may be missing education", now)
    reasons = "; ".join(t.summary for t in triggers)
    concern = state.open_cme()
    if concern is not None:
        concern.triggers += triggers
        state.add_entry("cme_concern_reason", f"Children missing education concern: also {reasons}", now,
                        concern_id=concern.concern_id)
        return
    cal = state.school_calendar
    school_due = rules.add_school_days(cal, today, policy.cme_school_enquiry_school_days)
    la_due = rules.add_school_days(cal, today, policy.cme_la_enquiry_school_days)
    officer = policy.la_cme_officer
    concern = CmeConcern(concern_id=state.next_id("cme"), opened_on=today, triggers=triggers,
                         school_enquiries_due=school_due.day, la_enquiries_due=la_due.day,
                         due_note=school_due.note or la_due.note, cme_officer=officer.name if officer else None)
    state.cme_concerns.append(concern)
    for kind, due in ((K.CME_SCHOOL_ENQUIRIES, concern.school_enquiries_due),
                      (K.CME_LA_ENQUIRIES, concern.la_enquiries_due)):
        state.set_deadline(f"{kind}:{concern.concern_id}", kind, DEADLINE_TITLES[kind], due, concern.concern_id)
    note = f" ({concern.due_note})" if concern.due_note else ""
    state.add_entry("cme_concern_opened", f"Child may be missing education: {reasons}. School's reasonable "
                    f"enquiries due by {concern.school_enquiries_due}, the LA's by {concern.la_enquiries_due}{note}",
                    now, concern_id=concern.concern_id, triggers=[t.event_type for t in triggers],
                    school_enquiries_due=concern.school_enquiries_due.isoformat(),
                    la_enquiries_due=concern.la_enquiries_due.isoformat())
    if officer is None:
        state.add_entry("participant_missing", "Child may be missing education: the LA has no children missing "
                        "education officer set up, so nobody at the LA was told; tell the LA directly", now,
                        role=CME_OFFICER_ROLE)
        return
    template = TemplateName.CME_CONCERN_LA_OFFICER
    state.notify(f"{wid}:{state.journey_ref}:{concern.concern_id}:{template}", template,
                 RecipientRole.LA_CME_OFFICER, pupil_id=state.pupil_id, school_urn=state.school_urn,
                 reasons=[t.summary for t in triggers], opened_on=today.isoformat(),
                 school_enquiries_due=concern.school_enquiries_due.isoformat(),
                 la_enquiries_due=concern.la_enquiries_due.isoformat(),
                 cme_officer={"name": officer.name, "email": officer.email})


def participants(state: JourneyState, policy: JourneyPolicy) -> list[CaseParticipant]:
    """The LA's CME officer, on the case from the first concern they were told of."""
    told = next((c for c in state.cme_concerns if c.cme_officer), None)
    officer = policy.la_cme_officer
    if told is None or officer is None:
        return []
    return [CaseParticipant(role=CME_OFFICER_ROLE, name=officer.name, email=officer.email, joined_on=told.opened_on,
                            reason="child may be missing education")]


def record_enquiry(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    concern = s.open_cme()
    assert concern is not None
    by = EnquiryBy(d["by"])
    concern.enquiries.append(CmeEnquiry(enquiry_id=s.next_id("enquiry"), by=by.value, made_by=d["made_by"].strip(),
                                        made_on=today, what_was_done=d["what_was_done"].strip(),
                                        result=d["result"].strip()))
    s.clear_deadline(f"{_DEADLINE_OF[by.value]}:{concern.concern_id}")
    s.dirty = True
    return f"Reasonable enquiry by {ENQUIRY_BY_LABELS[by]} ({d['made_by'].strip()}): {d['what_was_done'].strip()}; " \
           f"found: {d['result'].strip()}"


def record_outcome(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    concern = s.open_cme()
    assert concern is not None
    outcome = CmeOutcome(d["outcome"])
    concern.status, concern.outcome, concern.closed_on = "closed", outcome.value, today
    concern.outcome_details = d["details"].strip()
    concern.new_school, concern.referred_to = d["new_school"].strip(), d["referred_to"].strip()
    for kind in _DEADLINE_OF.values():
        s.clear_deadline(f"{kind}:{concern.concern_id}")
    s.dirty = True
    where = f" ({concern.new_school})" if concern.new_school else \
        f" (referred to {concern.referred_to})" if concern.referred_to else ""
    return f"Children missing education concern closed: {CME_OUTCOME_LABELS[outcome]}{where}"


def precondition(state: JourneyState, name: ActionName) -> str | None:
    if name in (A.RECORD_CME_ENQUIRY, A.RECORD_CME_OUTCOME):
        return None if state.open_cme() else NO_CONCERN
    if name is A.CLOSE_CASE and state.open_cme():
        return OPEN_CONCERN
    return None


def details_refusal(state: JourneyState, name: ActionName, d: dict[str, Any]) -> str | None:
    """Blank answers are refused naming the field; a still-missing outcome needs both parties' enquiries."""
    required = CME_ENQUIRY_REQUIRED if name is A.RECORD_CME_ENQUIRY else CME_OUTCOME_REQUIRED
    for field, words in required.items():
        if not str(d[field] or "").strip():
            return f"details.{field}: say {words}"
    if name is A.RECORD_CME_ENQUIRY:
        return None
    outcome = CmeOutcome(d["outcome"])
    if outcome is CmeOutcome.FOUND_AT_SCHOOL and not d["new_school"].strip():
        return "details.new_school: name the school the child was found at (URN or name)"
    if outcome is CmeOutcome.STILL_MISSING_REFERRED:
        if not d["referred_to"].strip():
            return "details.referred_to: say who the child was referred to (for example the police, children's " \
                   "social care)"
        concern = state.open_cme()
        if concern is None or not (concern.enquired(EnquiryBy.SCHOOL.value) and concern.enquired(EnquiryBy.LA.value)):
            return ENQUIRIES_FIRST
    return None


def view(state: JourneyState) -> list[dict[str, Any]]:
    return [c.model_dump(mode="json") for c in state.cme_concerns]
