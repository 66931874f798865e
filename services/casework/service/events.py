"""Register's events in (store once, signal always) and the journey's projection in (single writer)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

from services.casework import repository
from services.casework.service import case_view, la_contact, ledger, transfers
from services.casework.service.children import child_key, child_of
from services.casework.service.context import Casework
from services.casework.service.journeys import new_journey
from shared.contracts.casework import CaseProjection, Deadline, EventReceipt
from shared.contracts.journey import RegisterFact, Stage, journey_workflow_id
from shared.contracts.register import PupilSummary, RegisterEvent, RegisterEventType, SessionName
from shared.db import utcnow
from shared.errors import DependencyUnavailable, InvalidInput, NotFound
from shared.http import ServiceCallFailed
from shared.unit_of_work import Db

EVENT_TITLES = {
    RegisterEventType.UNEXPLAINED_ABSENCE: "Unexplained absence",
    RegisterEventType.ENTERED_AT_RISK: "At risk of persistent absence",
    RegisterEventType.LEFT_AT_RISK: "No longer at risk of persistent absence",
    RegisterEventType.BECAME_PERSISTENTLY_ABSENT: "Became persistently absent",
    RegisterEventType.LEFT_PERSISTENT_ABSENCE: "No longer persistently absent",
    RegisterEventType.BECAME_SEVERELY_ABSENT: "Became severely absent",
    RegisterEventType.LEFT_SEVERE_ABSENCE: "No longer severely absent",
    RegisterEventType.PENALTY_THRESHOLD_MET: "Penalty notice threshold met",
    RegisterEventType.PENALTY_THRESHOLD_NO_LONGER_MET: "Penalty notice threshold no longer met",
    RegisterEventType.CONTINUOUS_UNAUTHORISED_ABSENCE: "Continuous unauthorised absence",
    RegisterEventType.ILLNESS_DAYS_REACHED: "Absence through illness reached the review point",
    RegisterEventType.PUPIL_ADMITTED: "Admitted to the school",
    RegisterEventType.PENDING_DELETION: "Pending deletion from the admission register",
    RegisterEventType.PUPIL_DELETED: "Deleted from the admission register",
    RegisterEventType.DID_NOT_ARRIVE: "New pupil did not arrive on the agreed start day (child may be missing "
                                      "education)",
    RegisterEventType.REFUSED_LEAVE_TAKEN: "Leave refused but taken (a term-time holiday): support is not "
                                           "appropriate, the penalty route applies",
}
SESSION_WORDS = {SessionName.AM: "morning", SessionName.PM: "afternoon"}


SEVERE_ABSENCE_EVENTS = {RegisterEventType.BECAME_SEVERELY_ABSENT: True, RegisterEventType.LEFT_SEVERE_ABSENCE: False}


def event_title(event: RegisterEvent) -> str:
    title = EVENT_TITLES.get(event.event_type, event.event_type.value.replace("_", " ").capitalize())
    if event.code:
        title += f" (code {event.code})"
    if event.session_date and event.session:
        title += f", {SESSION_WORDS[event.session]} session of {event.session_date:%-d %B %Y}"
    return title


async def receive_event(cw: Casework, event: RegisterEvent) -> EventReceipt:
    """Store the event and the case file once, then signal the journey every time (an earlier delivery may
    have been stored but not signalled); only a successful signal is acknowledged."""
    pupil = event.pupil
    async with cw.uow.transaction() as db:
        stored = await repository.record_received_event(db, {
            "event_id": event.event_id, "pupil_id": pupil.pupil_id, "event_type": event.event_type.value,
            "occurred_at": event.occurred_at, "payload": event.model_dump(mode="json", exclude={"pupil"}),
            "received_at": utcnow()})
        case_id = await transfers.case_for_event(db, event)
        if stored:
            await _update_case_from_event(db, event, case_id)
            await case_view.mark_stale(db, case_id)
    details = event.details
    if case_id != pupil.pupil_id and event.event_type is RegisterEventType.PUPIL_ADMITTED:
        # The journey writes to parents through the admission the pupil is on now.
        details = {**details, "admission_pupil_id": str(pupil.pupil_id)}
    fact = RegisterFact(event_id=event.event_id, event_type=event.event_type, occurred_at=event.occurred_at,
                        flags=pupil.flags, session_date=event.session_date, session=event.session,
                        code=event.code, details=details)
    journey = new_journey(case_id, pupil.school_urn, pupil.la_code, cw.settings.journey_policy,
                          await la_contact.journey_contact(cw, pupil.school_urn, pupil.la_code),
                          cw.settings.la_cme_officer(pupil.la_code))
    workflow_id = await cw.journeys.register_fact(journey, fact)
    return EventReceipt(event_id=event.event_id, duplicate=not stored, workflow_id=workflow_id)


async def ensure_case_for(db: Db, pupil: PupilSummary, opened_at: datetime | None = None) -> None:
    """Create the pupil's case file if it does not exist (names live here, never in Temporal)."""
    await repository.ensure_case(db, {
        "pupil_id": pupil.pupil_id, "workflow_id": journey_workflow_id(pupil.pupil_id),
        "school_urn": pupil.school_urn, "la_code": pupil.la_code, "display_name": pupil.display_name,
        "year_group": pupil.year_group, "flags": pupil.flags.model_dump(mode="json"),
        "looked_after": pupil.flags.looked_after, "stage": Stage.MONITORING.value, "status": "open",
        "state_version": 0, "deadlines": [], "opened_at": opened_at or utcnow(), "created_at": utcnow(),
        "updated_at": utcnow()})


async def _update_case_from_event(db: Db, event: RegisterEvent, case_id: UUID) -> None:
    pupil = event.pupil
    flags = pupil.flags.model_dump(mode="json")
    if case_id == pupil.pupil_id:
        await ensure_case_for(db, pupil, event.occurred_at)
    case = await repository.get_case(db, case_id, for_update=True)
    assert case is not None  # ensured just above, or the case this admission continues
    if pupil.pupil_id == case.register_pupil_id:
        # The register is the source of who the pupil is (from the admission they are on now); the journey owns
        # the stage. An earlier school's last events add to the history only.
        case.school_urn, case.la_code = pupil.school_urn, pupil.la_code
        case.display_name, case.year_group = pupil.display_name, pupil.year_group
        case.flags, case.looked_after = flags, pupil.flags.looked_after
    if case.last_event_at is None or _aware(event.occurred_at) >= _aware(case.last_event_at):
        case.last_event_at, case.last_event_type = event.occurred_at, event.event_type.value
        # Lists put severely absent pupils first from the moment register says so (the journey confirms it).
        if event.event_type in SEVERE_ABSENCE_EVENTS:
            case.severely_absent = SEVERE_ABSENCE_EVENTS[event.event_type]
    details = {k: v for k, v in {"code": event.code, "session": event.session,
                                 "session_date": event.session_date}.items() if v is not None}
    await repository.add_timeline_entries(db, case_id, [{
        "entry_key": f"event:{event.event_id}", "kind": "register_event", "title": event_title(event),
        "occurred_at": event.occurred_at, "actor": "Register", "recorded_at": utcnow(),
        "details": {k: str(v) for k, v in details.items()}}])


def _aware(moment: datetime) -> datetime:
    # SQLite gives naive datetimes back; compare everything in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def record_projection(cw: Casework, pupil_id: UUID, projection: CaseProjection) -> CaseProjection:
    """Apply the journey's state if it is newer than what is stored; timeline entries are inserted once
    whatever the order of arrival, because each carries its own key."""
    if projection.pupil_id != pupil_id:
        raise InvalidInput("pupil_id in the body differs from the path.", field="pupil_id")
    # Asked before the case row is locked: register may be slow, and the notices are kept under this pupil id
    # when it does not answer.
    child = await child_of(cw, pupil_id) if projection.penalty_notices else child_key(pupil_id)
    async with cw.uow.transaction() as db:
        case = await repository.get_case(db, pupil_id, for_update=True)
        if case is None:
            await _create_case_from_register(cw, db, pupil_id)
            case = await repository.get_case(db, pupil_id, for_update=True)
            assert case is not None
        # A late, older projection must not take a notice back from paid to issued.
        if projection.state_version >= case.state_version:
            await ledger.record_from_projection(db, case, projection, child)
        if projection.state_version > case.state_version:
            case.state_version = projection.state_version
            case.stage, case.status = projection.stage, projection.status
            case.lead_practitioner = projection.lead_practitioner
            case.workflow_id = projection.workflow_id
            case.deadlines = [d.model_dump(mode="json") for d in projection.deadlines]
            case.next_deadline_date = _next_deadline(projection.deadlines)
            if projection.severely_absent is not None:
                case.severely_absent = projection.severely_absent
            if projection.participants:
                case.participants = [p.model_dump(mode="json") for p in projection.participants]
        await repository.add_timeline_entries(db, pupil_id, [
            {**entry.model_dump(), "recorded_at": utcnow()} for entry in projection.new_entries])
        await case_view.mark_stale(db, pupil_id)
        return CaseProjection(pupil_id=case.pupil_id, workflow_id=case.workflow_id,
                              state_version=case.state_version, stage=case.stage, status=case.status,
                              lead_practitioner=case.lead_practitioner,
                              deadlines=[Deadline.model_validate(d) for d in case.deadlines])


def _next_deadline(deadlines: list[Deadline]) -> date | None:
    return min((d.due_date for d in deadlines), default=None)


async def _create_case_from_register(cw: Casework, db: Db, pupil_id: UUID) -> None:
    """A journey can write before any event reached casework (a case opened elsewhere): ask register who the
    pupil is. If register is down, 503 makes the journey's activity retry."""
    try:
        pupil = await cw.register.pupil_summary(pupil_id)
    except ServiceCallFailed as exc:
        if exc.status == 404:
            raise NotFound("Register does not know this pupil.") from exc
        raise DependencyUnavailable(f"Register could not describe this pupil ({exc.status or 'unreachable'}).") \
            from exc
    await ensure_case_for(db, pupil)
