"""Casework's retention job, under the LA's policy (CASEWORK_RETENTION_*; no statutory figure, so local practice).

A closed case file goes when its last activity (the case file's own update, the last register event, the last
timeline entry or decision log) is older than `retention_case_file_years` before `as_of`; with it go its
admissions, timeline, decision logs, the register events received for it and its penalty-notice ledger entries.
The access audit is kept on its own period (`retention_audit_years` from each access), so who read or changed a
removed case can still be answered for; each run is itself recorded (retention_run) with its counts and cut-offs.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

from sqlalchemy import delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.casework.models import (
    AuditEvent,
    CaseAdmission,
    CaseFile,
    DecisionRecord,
    NoticeLedgerEntry,
    ReceivedEvent,
    TimelineEntry,
)
from shared import clock
from shared.contracts.journey import Stage
from shared.contracts.retention import years_before
from shared.retention import Removal, delete_counting

KINDS = ("case_files", "case_admissions", "timeline_entries", "decision_records", "received_events",
         "notice_ledger_entries", "audit_events")


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), clock.ENGLAND)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:  # SQLite hands back naive UTC
        return moment.replace(tzinfo=UTC)
    return moment


async def _last_activity(session: AsyncSession, case: CaseFile) -> datetime:
    moments = [case.updated_at, case.last_event_at,
               await session.scalar(select(func.max(TimelineEntry.recorded_at))
                                    .where(TimelineEntry.pupil_id == case.pupil_id)),
               await session.scalar(select(func.max(TimelineEntry.occurred_at))
                                    .where(TimelineEntry.pupil_id == case.pupil_id)),
               await session.scalar(select(func.max(DecisionRecord.recorded_at))
                                    .where(DecisionRecord.pupil_id == case.pupil_id))]
    return max(m for m in (_aware(x) for x in moments) if m is not None)


async def run_casework_retention(session: AsyncSession, as_of: date, pupil_ids: list[uuid.UUID] | None, *,
                                 case_file_years: int, audit_years: int) -> Removal:
    case_cutoff, audit_cutoff = years_before(as_of, case_file_years), years_before(as_of, audit_years)
    removal = Removal(cutoffs={"closed_case_files": case_cutoff, "audit_events": audit_cutoff},
                      removed=dict.fromkeys(KINDS, 0))
    query = select(CaseFile).where(CaseFile.stage == Stage.CLOSED.value)
    if pupil_ids is not None:
        query = query.where(CaseFile.pupil_id.in_(pupil_ids))
    cut = _start_of(case_cutoff)
    for case in (await session.scalars(query)).all():
        if await _last_activity(session, case) >= cut:
            continue
        await _remove_case(session, case.pupil_id, removal.removed)
    audit = delete(AuditEvent).where(AuditEvent.occurred_at < _start_of(audit_cutoff))
    if pupil_ids is not None:
        audit = audit.where(AuditEvent.pupil_id.in_(pupil_ids))
    removal.removed["audit_events"] = await delete_counting(session, audit)
    return removal


async def _remove_case(session: AsyncSession, pupil_id: uuid.UUID, counts: dict[str, int]) -> None:
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
        counts[kind] += await delete_counting(session, statement)
