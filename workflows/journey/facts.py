"""What a register fact does: record it, tell who must be told (with idempotency keys built from the event id),
and move the stage on when it says so."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from temporalio import workflow

from workflows.journey import cme
from workflows.journey.state import JourneyState, ThresholdChange

with workflow.unsafe.imports_passed_through():
    from shared.contracts.journey import STAGE_LABELS, JourneyStatus, RegisterFact, Stage
    from shared.contracts.notifications import RecipientRole, TemplateName
    from shared.contracts.register import RegisterEventType

E = RegisterEventType
T = TemplateName
R = RecipientRole

FIRST_DAY_RECIPIENTS = (  # flag on the pupil, template, recipient
    ("has_social_worker", T.UNEXPLAINED_ABSENCE_SOCIAL_WORKER, R.SOCIAL_WORKER),
    ("has_youth_justice_worker", T.UNEXPLAINED_ABSENCE_YOUTH_JUSTICE_WORKER, R.YOUTH_JUSTICE_WORKER),
    ("looked_after", T.UNEXPLAINED_ABSENCE_VIRTUAL_SCHOOL_HEAD, R.VIRTUAL_SCHOOL_HEAD),
)
STAGE_FACTS = {E.ENTERED_AT_RISK: Stage.AT_RISK, E.BECAME_PERSISTENTLY_ABSENT: Stage.PERSISTENT_ABSENCE,
               E.BECAME_SEVERELY_ABSENT: Stage.SEVERE_ABSENCE}
FACT_TITLES = {
    E.UNEXPLAINED_ABSENCE: "Unexplained absence (code N)",
    E.ENTERED_AT_RISK: "At risk of persistent absence", E.LEFT_AT_RISK: "No longer at risk of persistent absence",
    E.BECAME_PERSISTENTLY_ABSENT: "Became persistently absent", E.LEFT_PERSISTENT_ABSENCE: "Left persistent absence",
    E.BECAME_SEVERELY_ABSENT: "Became severely absent", E.LEFT_SEVERE_ABSENCE: "Left severe absence",
    E.PENALTY_THRESHOLD_MET: "National penalty notice threshold met (10 unauthorised sessions in 10 school weeks)",
    E.PENALTY_THRESHOLD_NO_LONGER_MET: "National penalty notice threshold no longer met (a register amendment "
                                       "took the count back under 10 unauthorised sessions in 10 school weeks)",
    E.CONTINUOUS_UNAUTHORISED_ABSENCE: "10 school days of continuous unauthorised absence",
    E.PENDING_DELETION: "Pupil to be deleted from the admission register",
    E.DID_NOT_ARRIVE: "New pupil did not arrive on the agreed start day",
}


def apply_fact(state: JourneyState, fact: RegisterFact, now: datetime, wid: str) -> None:
    """A register fact: record it, tell who must be told, and move the stage on if it says so."""
    state.flags = fact.flags
    state.lead_practitioner = state.lead()
    title = FACT_TITLES.get(fact.event_type, fact.event_type.value.replace("_", " ").capitalize())
    state.add_entry("register_fact", title, fact.occurred_at, event_id=str(fact.event_id),
                    event_type=fact.event_type.value, session_date=_iso(fact.session_date),
                    session=fact.session.value if fact.session else None, code=fact.code)
    if fact.event_type in (E.BECAME_SEVERELY_ABSENT, E.LEFT_SEVERE_ABSENCE):
        # Kept apart from the stage, which moves forward only: a severely absent pupil in formal support or legal
        # intervention is still severely absent, and lists put the case first.
        state.severe_absence = fact.event_type is E.BECAME_SEVERELY_ABSENT
        state.dirty = True
    # The main loop opens the concern (behind its patch): it tells the LA's CME officer and sets timers.
    if (trigger := cme.trigger_of(fact)) is not None:
        state.cme_triggers.append(trigger)
    context = {"pupil_id": state.pupil_id, "school_urn": state.school_urn, "session_date": _iso(fact.session_date),
               "session": fact.session.value if fact.session else None, "code": fact.code}
    if fact.event_type is E.UNEXPLAINED_ABSENCE:
        for flag, template, recipient in FIRST_DAY_RECIPIENTS:
            if getattr(fact.flags, flag):
                state.notify(f"{wid}:{fact.event_id}:{template}", template, recipient, **context)
        state.notify(f"{wid}:{fact.event_id}:{T.FIRST_DAY_ABSENCE_PARENT}", T.FIRST_DAY_ABSENCE_PARENT, R.PARENTS,
                     **context)
    elif fact.event_type is E.PENDING_DELETION:
        context |= {"deletion_date": fact.details.get("deletion_date"),
                    "deletion_ground": fact.details.get("ground_summary") or fact.details.get("ground")}
        if fact.flags.has_social_worker:
            state.notify(f"{wid}:{fact.event_id}:{T.PENDING_DELETION_SOCIAL_WORKER}",
                         T.PENDING_DELETION_SOCIAL_WORKER, R.SOCIAL_WORKER, **context)
        if fact.flags.looked_after:
            state.notify(f"{wid}:{fact.event_id}:{T.PENDING_DELETION_VIRTUAL_SCHOOL_HEAD}",
                         T.PENDING_DELETION_VIRTUAL_SCHOOL_HEAD, R.VIRTUAL_SCHOOL_HEAD, **context)
    elif fact.event_type is E.PENALTY_THRESHOLD_MET:
        state.penalty_threshold_met = True
        # The window's count stands as of the day register reported it: a letter's period ends no later.
        state.threshold_details = {**fact.details, "session_date": _iso(fact.session_date),
                                   "reported_on": now.date().isoformat()}
        # Met from the session that completed the count, and never later than the fact reached the journey.
        arrived = now.date()
        since = min(fact.session_date, arrived) if fact.session_date else arrived
        state.threshold_history.append(ThresholdChange(on=since, met=True))
    elif fact.event_type is E.PENALTY_THRESHOLD_NO_LONGER_MET:
        # Unmet from the day register said so: notices already issued stand, new ones are checked against it.
        state.penalty_threshold_met = False
        # Its window's count no longer stands: a later letter quotes figures the officer gives.
        state.threshold_details = {}
        state.threshold_history.append(ThresholdChange(on=now.date(), met=False))
    elif fact.event_type is E.PUPIL_ADMITTED:
        # Another school's calendar may now apply; register's event names the school when it says so.
        if isinstance(urn := fact.details.get("school_urn"), str) and urn:
            state.school_urn = urn
        # Casework says so when this admission continues a journey that began with an earlier one.
        if isinstance(admission := fact.details.get("admission_pupil_id"), str) and admission:
            state.admission_pupil_id = admission
        state.calendar_stale = True
    elif fact.event_type in STAGE_FACTS:
        target = STAGE_FACTS[fact.event_type]
        if state.status is JourneyStatus.CLOSED_MONITORING:
            state.reopen(target)
            state.add_entry("reopened", "Concern returned during the monitoring period", now)
        before = state.stage
        state.escalate_to(target)
        figures = _figures(fact)
        # Letters quote the register's figures; a fact without them moves the stage but sends no letter.
        if state.stage != before and figures["attendance_rate"] is not None:
            band = "red" if target in (Stage.PERSISTENT_ABSENCE, Stage.SEVERE_ABSENCE) else "amber"
            context |= figures
            state.notify(f"{wid}:{fact.event_id}:{T.TRAFFIC_LIGHT_LETTER_PARENT}", T.TRAFFIC_LIGHT_LETTER_PARENT,
                         R.PARENTS, band=band, **context)
            if fact.flags.looked_after:
                state.notify(f"{wid}:{fact.event_id}:{T.ATTENDANCE_CONCERN_VIRTUAL_SCHOOL_HEAD}",
                             T.ATTENDANCE_CONCERN_VIRTUAL_SCHOOL_HEAD, R.VIRTUAL_SCHOOL_HEAD,
                             concern=STAGE_LABELS[target].lower(), **context)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _figures(fact: RegisterFact) -> dict[str, Any]:
    """The register's figures for a letter home: the year so far up to the day of the crossing."""
    d = fact.details
    possible, attended = d.get("possible_sessions"), d.get("attended_sessions")
    year = d.get("academic_year")
    return {"attendance_rate": d.get("attendance_rate"), "possible_sessions": possible,
            "absence_sessions": possible - attended if isinstance(possible, int) and isinstance(attended, int)
            else None,
            "period_start": f"{year}-09-01" if year else None, "period_end": _iso(fact.session_date)}
