"""Reading and acting on case files, always within the caller's scope, and always audited."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from services.casework import repository
from services.casework.models import CaseFile, DecisionRecord
from services.casework.models import TimelineEntry as TimelineEntryRow
from services.casework.schemas import (
    CaseFileView,
    CasePage,
    CaseSchool,
    CaseSummary,
    DecisionRecordIn,
    DecisionRecordOut,
    OfficerActionIn,
    TimelineItem,
)
from services.casework.service import case_view, ledger
from services.casework.service import la_contact as la_contact_of
from services.casework.service.audit import audit
from services.casework.service.case_view import optional
from services.casework.service.children import known_child
from services.casework.service.context import Casework
from services.casework.service.events import ensure_case_for
from services.casework.service.evidence_rules import require_evidence
from services.casework.service.journeys import new_journey
from services.casework.service.permissions import permitted, require_enquirer, require_step
from services.casework.service.scope import case_access, check_case_filters, reject_governors, visible_case
from shared import clock
from shared.auth import LA_ROLES, Identity, Role
from shared.contracts.casework import CaseParticipant, Deadline
from shared.contracts.journey import STAGE_LABELS, ActionName, Actor, JourneyView, OfficerAction, Stage
from shared.contracts.register import PupilFlags, RegisterEventType
from shared.errors import DependencyUnavailable, InvalidInput, NotFound
from shared.http import ServiceCallFailed

# `optional` is imported by other rules from here, as before the case view had it.
__all__ = ["optional"]
RECORD_DECISION = ActionName.RECORD_DECISION.value
ISSUE_PENALTY_NOTICE = ActionName.ISSUE_PENALTY_NOTICE.value


def stage_label(stage: str) -> str:
    try:
        return STAGE_LABELS[Stage(stage)]
    except ValueError:
        return stage.replace("_", " ").capitalize()


def summary(case: CaseFile) -> CaseSummary:
    return CaseSummary(
        pupil_id=case.pupil_id, display_name=case.display_name, year_group=case.year_group,
        school_urn=case.school_urn, la_code=case.la_code, stage=case.stage, stage_label=stage_label(case.stage),
        status=case.status, lead_practitioner=case.lead_practitioner, flags=PupilFlags.model_validate(case.flags),
        opened_at=case.opened_at, last_event_at=case.last_event_at, last_event_type=case.last_event_type,
        next_deadline_date=case.next_deadline_date, severely_absent=bool(case.severely_absent),
        priority="severe_absence" if case.severely_absent and case.stage != Stage.CLOSED.value else None)


async def list_cases(cw: Casework, identity: Identity, *, offset: int = 0, limit: int | None = None,
                     stage: str | None = None, school_urn: str | None = None, include_closed: bool = False,
                     search: str | None = None, mine: bool = False, deadline_by: date | None = None,
                     case_list: str = "") -> CasePage:
    """Open journeys in the caller's scope (filters narrow it, never widen it). `case_list` picks one of
    the morning lists: new unexplained absences, or pupils newly persistently or severely absent."""
    reject_governors(identity)
    await check_case_filters(cw, identity, stage=stage, school_urn=school_urn)
    limit = limit or cw.settings.page_size
    async with cw.uow.transaction() as db:
        rows, total = await repository.list_cases(
            db, identity, offset=offset, limit=limit, stage=stage, school_urn=school_urn,
            include_closed=include_closed, search=search, deadline_by=deadline_by,
            lead_practitioner=identity.name if mine else None, **_morning_list(cw, case_list))
        await audit(db, identity, "read", "case_list", details=f"{len(rows)} of {total} cases",
                    la_code=rows[0].la_code if rows else None)
    return CasePage(items=[summary(r) for r in rows], total=total, offset=offset, limit=limit)


MORNING_LISTS = {
    "new_unexplained": [RegisterEventType.UNEXPLAINED_ABSENCE.value],
    "newly_pa_sa": [RegisterEventType.BECAME_PERSISTENTLY_ABSENT.value,
                    RegisterEventType.BECAME_SEVERELY_ABSENT.value],
}


def _morning_list(cw: Casework, case_list: str) -> dict[str, Any]:
    if case_list not in MORNING_LISTS:
        return {}
    since = clock.now() - timedelta(days=cw.settings.recent_days)
    return {"recent_events": MORNING_LISTS[case_list], "since": since}


async def dashboard(cw: Casework, identity: Identity) -> tuple[dict[str, int], CasePage | None]:
    """Counts by stage in scope; governors get their schools' counts and no pupils."""
    async with cw.uow.transaction() as db:
        if identity.role is Role.GOVERNOR:
            return await repository.counts_by_stage_at_schools(db, identity.scope.school_urns), None
        counts = await repository.counts_by_stage_visible(db, identity)
    return counts, await list_cases(cw, identity, limit=cw.settings.page_size)


async def case_file(cw: Casework, identity: Identity, pupil_id: UUID) -> CaseFileView:
    """One pupil's case file; register, notifications and the journey fill in what they can. An earlier school
    sees the case as it stood when the pupil moved on, and nothing of the new school's register."""
    access = await case_access(cw, identity, pupil_id)
    case, until = access.case, access.read_only_until
    # Casework's own reads in one transaction with the read's audit entry; the kept case view is read with them.
    known = known_child(case)
    async with cw.uow.transaction() as db:
        kept = await repository.case_view(db, case.pupil_id) if until is None else None
        entries = _without_echoes(await repository.timeline(db, case.pupil_id))
        decisions = await repository.decisions(db, case.pupil_id)
        notices = await ledger.entries_for_case(db, case, known)
        await audit(db, identity, "read", "case_file", case)
    # Other services' parts as the case view keeps them (service/case_view.py): no call while it is fresh.
    parts, child = await case_view.parts_for(cw, case, access.admission_ids, until, kept=kept)
    notifications, journey = parts.notifications, parts.journey
    schools = access.admissions
    if child is not None and child.key != known.key:
        # A rebuild just learnt who the child is across admissions: their notices from elsewhere count too.
        async with cw.uow.reading() as db:
            notices = await ledger.entries_for_case(db, case, child)
    if until is not None:
        entries = [e for e in entries if e.occurred_at <= until]
        decisions = [d for d in decisions if d.recorded_at <= until]
        notices = [n for n in notices if n.issued_on <= until.date()]
        notifications = [n for n in notifications or [] if n.created_at <= until]
    return CaseFileView(
        case=summary(case), state_version=case.state_version,
        deadlines=[Deadline.model_validate(d) for d in case.deadlines] if until is None else [],
        timeline=[TimelineItem(entry_key=e.entry_key, kind=e.kind, title=e.title, occurred_at=e.occurred_at,
                               actor=e.actor, details=e.details) for e in entries],
        decisions=[_decision_out(d) for d in decisions],
        notifications=notifications, figures=parts.figures, recent_marks=parts.recent_marks,
        journey=journey, unavailable=list(parts.unavailable), penalty_notices=notices,
        participants=[CaseParticipant.model_validate(p) for p in case.participants or []],
        permitted_actions=permitted(cw.settings, identity, [a.action for a in journey.available_actions])
        if journey else [], read_only_until=until, fast_track=parts.fast_track,
        schools=[CaseSchool(pupil_id=a.admission_pupil_id, school_urn=a.school_urn, joined_at=a.joined_at,
                              left_at=a.left_at) for a in schools], la_point_of_contact=parts.la_point_of_contact,
        parents=parts.parents)


def _without_echoes(entries: list[TimelineEntryRow]) -> list[TimelineEntryRow]:
    """Casework records each register event when it arrives; the journey's own note of the same fact
    (kind register_fact, carrying the event id) would show it twice."""
    received = {e.entry_key.removeprefix("event:") for e in entries if e.kind == "register_event"}
    return [e for e in entries if not (e.kind == "register_fact" and str(e.details.get("event_id")) in received)]


def _decision_out(record: DecisionRecord) -> DecisionRecordOut:
    return DecisionRecordOut(
        id=record.id, legal_step=record.legal_step, support_offered=record.support_offered,
        support_taken_up=record.support_taken_up, send_or_health_needs=record.send_or_health_needs,
        safeguarding=record.safeguarding, family_view=record.family_view, recorded_by=record.recorded_by,
        adjustments=record.adjustments, partners_consulted=record.partners_consulted,
        recorded_at=record.recorded_at, used_for_action=record.used_for_action)


def require_caseworker_or_reader(identity: Identity) -> None:
    """Governors never see a pupil's record; everyone else within scope may."""
    reject_governors(identity)


def _actor(cw: Casework, identity: Identity) -> Actor:
    """Who takes the step, and the body they act for as it signs letters: an LA officer's local authority."""
    organisation = cw.settings.la_name(identity.scope.la_code) if identity.role in LA_ROLES else ""
    return Actor(subject=identity.subject, name=identity.name, role=identity.role.value, organisation=organisation)


def _check_effective_date(step: OfficerActionIn) -> None:
    # The journey checks the other bound (not before its previous step); it cannot know today's date better.
    if step.effective_date is not None and step.effective_date > clock.today():
        raise InvalidInput("The date this happened must be today or in the past.", field="effective_date")


async def take_action(cw: Casework, identity: Identity, pupil_id: UUID, step: OfficerActionIn) -> JourneyView:
    """Run an officer's step as the journey's update. No transaction is open while the journey works,
    because its projection write comes back into this database before the update returns."""
    require_step(cw.settings, identity, step.action)
    case = await visible_case(cw, identity, pupil_id)
    _check_effective_date(step)
    require_evidence(step.action, step.details, step.effective_date or clock.today())
    require_enquirer(identity, step.action, step.details)
    prior = (await ledger.prior_notices(cw, identity, case, str(step.details.get("parent", "")))
             if step.action == ISSUE_PENALTY_NOTICE else [])
    # The journey's validator decides what is legal (including "no legal step without a decision log").
    # The case's own id: a pupil id of a later admission reaches the journey that followed the pupil there.
    pupil_id = case.pupil_id
    view = await cw.journeys.act(pupil_id, OfficerAction(action=step.action, actor=_actor(cw, identity),
                                                         note=step.note, details=step.details,
                                                         effective_date=step.effective_date, prior_notices=prior))
    async with cw.uow.transaction() as db:
        if step.action in cw.settings.legal_steps:
            for record in await repository.decisions(db, pupil_id):
                if record.legal_step == step.action and record.used_for_action is None:
                    record.used_for_action = step.action
                    break
        await audit(db, identity, "write", f"action:{step.action}", case)
    await case_view.refresh(cw, pupil_id)  # the page after the step shows it
    return view


async def record_decision(cw: Casework, identity: Identity, pupil_id: UUID,
                          decision: DecisionRecordIn) -> DecisionRecordOut:
    """Record the factors weighed before a legal step."""
    require_step(cw.settings, identity, RECORD_DECISION)
    case = await visible_case(cw, identity, pupil_id)
    pupil_id = case.pupil_id
    details = decision.model_dump(exclude={"legal_step"})
    await cw.journeys.act(pupil_id, OfficerAction(action=RECORD_DECISION, actor=_actor(cw, identity),
                                                  note=f"Before: {decision.legal_step.replace('_', ' ')}",
                                                  details=details))
    async with cw.uow.transaction() as db:
        record = await repository.add_decision(db, DecisionRecord(
            pupil_id=pupil_id, recorded_by=identity.name, **decision.model_dump()))
        await audit(db, identity, "write", "decision_log", case)
        recorded = _decision_out(record)
    await case_view.refresh(cw, pupil_id)
    return recorded


async def open_case(cw: Casework, identity: Identity, pupil_id: UUID, step: OfficerActionIn) -> JourneyView:
    """Open a case by hand: the case file from register's summary, then update-with-start on the journey."""
    require_step(cw.settings, identity, step.action)
    _check_effective_date(step)
    try:
        pupil = await cw.register.pupil_summary(pupil_id)
    except ServiceCallFailed as exc:
        if exc.status == 404:
            raise NotFound("Register does not know this pupil.") from exc
        raise DependencyUnavailable("Register is unavailable, so the pupil cannot be looked up.") from exc
    identity.require_pupil(pupil_id=pupil_id, school_urn=pupil.school_urn, la_code=pupil.la_code,
                           looked_after=pupil.flags.looked_after)
    async with cw.uow.transaction() as db:
        await ensure_case_for(db, pupil)
    journey = new_journey(pupil_id, pupil.school_urn, pupil.la_code, cw.settings.journey_policy,
                          await la_contact_of.journey_contact(cw, pupil.school_urn, pupil.la_code),
                          cw.settings.la_cme_officer(pupil.la_code))
    view = await cw.journeys.open_with(journey, OfficerAction(action=step.action, actor=_actor(cw, identity),
                                                              note=step.note, details=step.details,
                                                              effective_date=step.effective_date))
    async with cw.uow.transaction() as db:
        case = await repository.get_case(db, pupil_id)
        await audit(db, identity, "write", f"open_case:{step.action}", case)
    await case_view.refresh(cw, pupil_id)
    return view
