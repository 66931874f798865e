"""Every query casework makes. Repositories never commit: the request's unit of work does."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, false, func, or_, select, true, update
from sqlalchemy.dialects import postgresql, sqlite

from services.casework.models import (
    AuditEvent,
    CaseAdmission,
    CaseFile,
    CaseView,
    DecisionRecord,
    NoticeLedgerEntry,
    ReceivedEvent,
    TimelineEntry,
)
from shared.auth import LA_ROLES, SCHOOL_ROLES, Identity, Role
from shared.contracts.journey import JourneyStatus, Stage
from shared.retention import delete_counting
from shared.unit_of_work import Db


def _insert(db: Db, table: Any) -> Any:
    """An INSERT that can skip rows already present (both dialects spell it ON CONFLICT DO NOTHING)."""
    if db.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


async def record_received_event(db: Db, values: dict[str, Any]) -> bool:
    """Store an event once; False when this event id was already stored."""
    # RETURNING rather than rowcount: psycopg's async cursor reports -1 for ON CONFLICT DO NOTHING.
    statement = _insert(db, ReceivedEvent).values(**values).on_conflict_do_nothing(
        index_elements=["event_id"]).returning(ReceivedEvent.event_id)
    return (await db.execute(statement)).first() is not None


async def ensure_case(db: Db, values: dict[str, Any]) -> bool:
    """Create the case file unless one exists (a concurrent create is not an error); True if created."""
    statement = _insert(db, CaseFile).values(**values).on_conflict_do_nothing(
        index_elements=["pupil_id"]).returning(CaseFile.pupil_id)
    return (await db.execute(statement)).first() is not None


async def get_case(db: Db, pupil_id: uuid.UUID, *, for_update: bool = False) -> CaseFile | None:
    statement = select(CaseFile).where(CaseFile.pupil_id == pupil_id)
    if for_update:
        statement = statement.with_for_update()
    return (await db.execute(statement)).scalar_one_or_none()


async def add_timeline_entries(db: Db, pupil_id: uuid.UUID,
                               entries: Sequence[dict[str, Any]]) -> int:
    """Insert the entries whose key this case does not have yet; returns how many were new."""
    inserted = 0
    for entry in entries:
        statement = (_insert(db, TimelineEntry).values(id=uuid.uuid4(), pupil_id=pupil_id, **entry)
                     .on_conflict_do_nothing(index_elements=["pupil_id", "entry_key"]).returning(TimelineEntry.id))
        inserted += (await db.execute(statement)).first() is not None
    return inserted


async def timeline(db: Db, pupil_id: uuid.UUID) -> list[TimelineEntry]:
    statement = (select(TimelineEntry).where(TimelineEntry.pupil_id == pupil_id)
                 .order_by(TimelineEntry.occurred_at.desc(), TimelineEntry.recorded_at.desc()))
    return list((await db.execute(statement)).scalars())


def visible_cases(identity: Identity) -> ColumnElement[bool]:
    """The case files an identity may see, as a WHERE clause (mirrors Identity.can_see_pupil)."""
    scope = identity.scope
    if identity.role is Role.SERVICE:
        return true()
    if identity.role in SCHOOL_ROLES:
        return CaseFile.school_urn.in_(scope.school_urns) if scope.school_urns else false()
    if identity.role in LA_ROLES:
        return CaseFile.la_code == scope.la_code if scope.la_code else false()
    if identity.role is Role.SOCIAL_WORKER:
        # Register allocates the admission the pupil is on now, which may have joined an earlier case file.
        followed = select(CaseAdmission.case_pupil_id).where(CaseAdmission.admission_pupil_id.in_(scope.pupil_ids))
        return or_(CaseFile.pupil_id.in_(scope.pupil_ids), CaseFile.pupil_id.in_(followed)) \
            if scope.pupil_ids else false()
    if identity.role is Role.VIRTUAL_SCHOOL_HEAD:
        return (CaseFile.la_code == scope.la_code) & CaseFile.looked_after.is_(True) if scope.la_code else false()
    return false()


def _case_filters(identity: Identity, *, stage: str | None, school_urn: str | None, include_closed: bool,
                  search: str | None, lead_practitioner: str | None, deadline_by: date | None,
                  recent_events: Sequence[str], since: datetime | None,
                  stages: Sequence[str]) -> list[ColumnElement[bool]]:
    clauses = [visible_cases(identity)]
    if stages:
        clauses.append(CaseFile.stage.in_(stages))
    elif stage:
        clauses.append(CaseFile.stage == stage)
    elif not include_closed:
        clauses.append(CaseFile.stage != Stage.CLOSED.value)
    if school_urn:
        clauses.append(CaseFile.school_urn == school_urn)
    if search:
        clauses.append(func.lower(CaseFile.display_name).contains(search.lower(), autoescape=True))
    if lead_practitioner:
        clauses.append(CaseFile.lead_practitioner == lead_practitioner)
    if deadline_by:
        clauses.append(CaseFile.next_deadline_date <= deadline_by)
    if recent_events:
        clauses.append(CaseFile.last_event_type.in_(recent_events))
    if since:
        clauses.append(CaseFile.last_event_at >= since)
    return clauses


async def list_cases(db: Db, identity: Identity, *, offset: int, limit: int,
                     stage: str | None = None, school_urn: str | None = None, include_closed: bool = False,
                     search: str | None = None, lead_practitioner: str | None = None,
                     deadline_by: date | None = None, recent_events: Sequence[str] = (),
                     since: datetime | None = None, stages: Sequence[str] = ()) -> tuple[list[CaseFile], int]:
    clauses = _case_filters(identity, stage=stage, school_urn=school_urn, include_closed=include_closed,
                            search=search, lead_practitioner=lead_practitioner, deadline_by=deadline_by,
                            recent_events=recent_events, since=since, stages=stages)
    total = (await db.execute(select(func.count()).select_from(CaseFile).where(*clauses))).scalar_one()
    order = (CaseFile.next_deadline_date.asc().nulls_last(), CaseFile.last_event_at.desc().nulls_last(),
             CaseFile.pupil_id) if deadline_by else (CaseFile.last_event_at.desc().nulls_last(),
                                                     CaseFile.pupil_id)
    # Severely absent pupils first (rules.md s10: top priority for all services), then the list's own order.
    statement = (select(CaseFile).where(*clauses).order_by(CaseFile.severely_absent.desc(), *order)
                 .offset(offset).limit(limit))
    return list((await db.execute(statement)).scalars()), int(total)


async def counts_by_stage(db: Db, where: ColumnElement[bool]) -> dict[str, int]:
    statement = select(CaseFile.stage, func.count()).where(where).group_by(CaseFile.stage)
    return {stage: int(count) for stage, count in (await db.execute(statement)).all()}


async def counts_by_stage_visible(db: Db, identity: Identity) -> dict[str, int]:
    """Case files by stage, of those the identity may see."""
    return await counts_by_stage(db, visible_cases(identity))


async def counts_by_stage_at_schools(db: Db, school_urns: Sequence[str]) -> dict[str, int]:
    """Case files by stage at these schools (figures only: no pupil is read)."""
    return await counts_by_stage(db, CaseFile.school_urn.in_(list(school_urns)) if school_urns else false())


async def open_counts_by_stage_at_school(db: Db, school_urn: str) -> dict[str, int]:
    """A school's case files not closed, by stage."""
    return await counts_by_stage(db, (CaseFile.school_urn == school_urn) & (CaseFile.stage != Stage.CLOSED.value))


async def add_audit(db: Db, **values: Any) -> None:
    db.add(AuditEvent(**values))


async def list_audit(db: Db, *, la_code: str, pupil_id: uuid.UUID | None, offset: int,
                     limit: int) -> tuple[list[AuditEvent], int]:
    clauses = [AuditEvent.la_code == la_code]
    if pupil_id:
        clauses.append(AuditEvent.pupil_id == pupil_id)
    total = (await db.execute(select(func.count()).select_from(AuditEvent).where(*clauses))).scalar_one()
    statement = (select(AuditEvent).where(*clauses).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id)
                 .offset(offset).limit(limit))
    return list((await db.execute(statement)).scalars()), int(total)


async def add_decision(db: Db, record: DecisionRecord) -> DecisionRecord:
    db.add(record)
    await db.flush()
    return record


async def decisions(db: Db, pupil_id: uuid.UUID) -> list[DecisionRecord]:
    statement = (select(DecisionRecord).where(DecisionRecord.pupil_id == pupil_id)
                 .order_by(DecisionRecord.recorded_at.desc()))
    return list((await db.execute(statement)).scalars())


async def cases_for(db: Db, pupil_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, CaseFile]:
    if not pupil_ids:
        return {}
    statement = select(CaseFile).where(CaseFile.pupil_id.in_(list(pupil_ids)))
    return {case.pupil_id: case for case in (await db.execute(statement)).scalars()}


async def open_cases_by_school_and_stage(db: Db, la_code: str,
                                         today: date) -> list[tuple[str, str, int, int]]:
    """(school URN, stage, open cases, of which overdue) for an LA's journeys not ended, in one grouped query."""
    overdue = func.count().filter(CaseFile.next_deadline_date < today)
    statement = (select(CaseFile.school_urn, CaseFile.stage, func.count(), overdue)
                 .where(CaseFile.la_code == la_code, CaseFile.status != JourneyStatus.ENDED.value)
                 .group_by(CaseFile.school_urn, CaseFile.stage)
                 .order_by(CaseFile.school_urn, CaseFile.stage))
    return [(urn, stage, int(count), int(late)) for urn, stage, count, late in
            (await db.execute(statement)).all()]


async def upsert_ledger_entry(db: Db, pupil_id: uuid.UUID, notice_id: str,
                              values: dict[str, Any]) -> NoticeLedgerEntry:
    """The notice as it stands now; callers hold the case row's lock, so two writers of one case do not race."""
    statement = select(NoticeLedgerEntry).where(NoticeLedgerEntry.pupil_id == pupil_id,
                                                NoticeLedgerEntry.notice_id == notice_id)
    entry = (await db.execute(statement)).scalar_one_or_none()
    if entry is None:
        entry = NoticeLedgerEntry(pupil_id=pupil_id, notice_id=notice_id, **values)
        db.add(entry)
    else:
        for name, value in values.items():
            setattr(entry, name, value)
    await db.flush()
    return entry


async def ledger_for_child(db: Db, child_key: str,
                           pupil_ids: Sequence[uuid.UUID] = ()) -> list[NoticeLedgerEntry]:
    """Every notice of one child: under their identity, or recorded on one of their admissions before the
    identity was known."""
    clauses = [NoticeLedgerEntry.child_key == child_key]
    if pupil_ids:
        clauses.append(NoticeLedgerEntry.pupil_id.in_(list(pupil_ids)))
    statement = (select(NoticeLedgerEntry).where(or_(*clauses))
                 .order_by(NoticeLedgerEntry.issued_on, NoticeLedgerEntry.created_at))
    return list((await db.execute(statement)).scalars())


async def rekey_ledger(db: Db, pupil_id: uuid.UUID, values: dict[str, Any]) -> None:
    """File one admission's notices under the child's identity, once it is known."""
    await db.execute(update(NoticeLedgerEntry).where(NoticeLedgerEntry.pupil_id == pupil_id).values(**values))


async def case_id_for_admission(db: Db, admission_pupil_id: uuid.UUID) -> uuid.UUID | None:
    """The case file an admission continues, when it joined one opened for an earlier admission."""
    return (await db.execute(select(CaseAdmission.case_pupil_id).where(
        CaseAdmission.admission_pupil_id == admission_pupil_id))).scalar_one_or_none()


async def case_admissions(db: Db, case_pupil_id: uuid.UUID) -> list[CaseAdmission]:
    statement = (select(CaseAdmission).where(CaseAdmission.case_pupil_id == case_pupil_id)
                 .order_by(CaseAdmission.joined_at))
    return list((await db.execute(statement)).scalars())


async def add_case_admission(db: Db, values: dict[str, Any]) -> bool:
    """Link an admission to a case file once (a repeated event links nothing new); True if linked now."""
    statement = _insert(db, CaseAdmission).values(**values).on_conflict_do_nothing(
        index_elements=["admission_pupil_id"]).returning(CaseAdmission.admission_pupil_id)
    return (await db.execute(statement)).first() is not None


async def leave_case_admissions(db: Db, case_pupil_id: uuid.UUID, left_at: datetime) -> None:
    """The case moved on: the admissions it followed until now end at `left_at`."""
    await db.execute(update(CaseAdmission).where(
        CaseAdmission.case_pupil_id == case_pupil_id, CaseAdmission.left_at.is_(None)).values(left_at=left_at))


# Retention (service/retention.py decides what goes; these find and remove it).

async def closed_cases(db: Db, pupil_ids: Sequence[uuid.UUID] | None) -> list[CaseFile]:
    """Closed case files (of these pupils only, when given)."""
    statement = select(CaseFile).where(CaseFile.stage == Stage.CLOSED.value)
    if pupil_ids is not None:
        statement = statement.where(CaseFile.pupil_id.in_(list(pupil_ids)))
    return list((await db.scalars(statement)).all())


async def activity_moments(db: Db, case: CaseFile) -> list[datetime | None]:
    """When the case last changed: its own update, its last register event, timeline entry and decision log."""
    return [case.updated_at, case.last_event_at,
            await db.scalar(select(func.max(TimelineEntry.recorded_at)).where(TimelineEntry.pupil_id == case.pupil_id)),
            await db.scalar(select(func.max(TimelineEntry.occurred_at)).where(TimelineEntry.pupil_id == case.pupil_id)),
            await db.scalar(select(func.max(DecisionRecord.recorded_at))
                            .where(DecisionRecord.pupil_id == case.pupil_id))]


async def remove_case(db: Db, pupil_id: uuid.UUID, counts: dict[str, int]) -> None:
    """A case file and everything kept with it; adds to `counts` what each table lost."""
    steps = [
        ("timeline_entries", delete(TimelineEntry).where(TimelineEntry.pupil_id == pupil_id)),
        ("decision_records", delete(DecisionRecord).where(DecisionRecord.pupil_id == pupil_id)),
        ("received_events", delete(ReceivedEvent).where(ReceivedEvent.pupil_id == pupil_id)),
        ("notice_ledger_entries", delete(NoticeLedgerEntry).where(NoticeLedgerEntry.pupil_id == pupil_id)),
        ("case_admissions", delete(CaseAdmission).where(or_(CaseAdmission.case_pupil_id == pupil_id,
                                                            CaseAdmission.admission_pupil_id == pupil_id))),
        ("case_files", delete(CaseFile).where(CaseFile.pupil_id == pupil_id)),
    ]
    for kind, statement in steps:
        counts[kind] += await delete_counting(db, statement)
    # The case view is a copy of other services' answers, not a record kept for anyone: not counted.
    await db.execute(delete(CaseView).where(CaseView.pupil_id == pupil_id))


async def remove_audit_before(db: Db, moment: datetime, pupil_ids: Sequence[uuid.UUID] | None) -> int:
    """Audit entries older than `moment` (of these pupils only, when given); how many went."""
    statement = delete(AuditEvent).where(AuditEvent.occurred_at < moment)
    if pupil_ids is not None:
        statement = statement.where(AuditEvent.pupil_id.in_(list(pupil_ids)))
    return await delete_counting(db, statement)


# The case view (service/case_view.py): each case's parts from other services, kept between reads.

async def case_view(db: Db, pupil_id: uuid.UUID) -> CaseView | None:
    return await db.get(CaseView, pupil_id)


async def mark_case_view_stale(db: Db, pupil_id: uuid.UUID) -> None:
    """Something the view shows changed upstream: the next read (or the background refresh) rebuilds it. A case
    without a view gets an empty, stale one, so that the background refresh builds it before anyone asks."""
    statement = _insert(db, CaseView).values(pupil_id=pupil_id, parts=None, state_version=0, stale=True, changes=1)
    await db.execute(statement.on_conflict_do_update(
        index_elements=["pupil_id"], set_={"stale": True, "changes": CaseView.changes + 1}))


async def mark_case_views_stale(db: Db, *, register_pupil_ids: Sequence[uuid.UUID] = (),
                                 school_urn: str | None = None) -> int:
    """The views of the cases of these pupils (by any admission register knows them by), or of every case at the
    school, no longer show what is true; how many were marked. Cases with no view yet get one when first read."""
    if school_urn is not None:
        cases = select(CaseFile.pupil_id).where(CaseFile.school_urn == school_urn)
    else:
        ids = list(register_pupil_ids)
        cases = select(CaseFile.pupil_id).where(or_(CaseFile.pupil_id.in_(ids), CaseFile.admission_pupil_id.in_(ids)))
    result = await db.execute(update(CaseView).where(CaseView.pupil_id.in_(cases))
                              .values(stale=True, changes=CaseView.changes + 1)
                              .execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


async def store_case_view(db: Db, pupil_id: uuid.UUID, parts: dict[str, Any], *, state_version: int,
                          refreshed_at: datetime, built_after_change: int) -> None:
    """Keep freshly built parts. A change marked while they were being read (`changes` moved on since
    `built_after_change`) leaves the view stale, so the next read rebuilds it again."""
    statement = _insert(db, CaseView).values(pupil_id=pupil_id, parts=parts, state_version=state_version,
                                             refreshed_at=refreshed_at, stale=False, changes=built_after_change)
    await db.execute(statement.on_conflict_do_update(index_elements=["pupil_id"], set_={
        "parts": parts, "state_version": state_version, "refreshed_at": refreshed_at,
        "stale": CaseView.changes != built_after_change}))


async def stale_case_views(db: Db, limit: int) -> list[uuid.UUID]:
    """Views marked stale (oldest refresh first), for the background refresh."""
    statement = (select(CaseView.pupil_id).where(CaseView.stale.is_(True))
                 .order_by(CaseView.refreshed_at.asc().nulls_first()).limit(limit))
    return list((await db.execute(statement)).scalars())


async def ageing_case_views(db: Db, refreshed_before: datetime, limit: int) -> list[uuid.UUID]:
    """Views of open cases built before `refreshed_before`, oldest first."""
    if limit <= 0:
        return []
    statement = (select(CaseView.pupil_id).join(CaseFile, CaseFile.pupil_id == CaseView.pupil_id)
                 .where(CaseView.refreshed_at < refreshed_before, CaseFile.stage != Stage.CLOSED.value)
                 .order_by(CaseView.refreshed_at.asc()).limit(limit))
    return list((await db.execute(statement)).scalars())


async def case_with_admission_ids(db: Db, pupil_id: uuid.UUID) -> tuple[CaseFile | None, list[uuid.UUID]]:
    """A case file and the admissions it followed (the background refresh builds a view from these)."""
    case = await get_case(db, pupil_id)
    if case is None:
        return None, []
    return case, [a.admission_pupil_id for a in await case_admissions(db, pupil_id)]

