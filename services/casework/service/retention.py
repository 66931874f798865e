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

from services.casework import repository
from shared import clock
from shared.contracts.retention import years_before
from shared.retention import Removal
from shared.unit_of_work import Db

KINDS = ("case_files", "case_admissions", "timeline_entries", "decision_records", "received_events",
         "notice_ledger_entries", "audit_events")


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), clock.ENGLAND)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:  # SQLite hands back naive UTC
        return moment.replace(tzinfo=UTC)
    return moment


async def run_casework_retention(db: Db, as_of: date, pupil_ids: list[uuid.UUID] | None, *,
                                 case_file_years: int, audit_years: int) -> Removal:
    case_cutoff, audit_cutoff = years_before(as_of, case_file_years), years_before(as_of, audit_years)
    removal = Removal(cutoffs={"closed_case_files": case_cutoff, "audit_events": audit_cutoff},
                      removed=dict.fromkeys(KINDS, 0))
    cut = _start_of(case_cutoff)
    for case in await repository.closed_cases(db, pupil_ids):
        moments = await repository.activity_moments(db, case)
        if max(m for m in (_aware(x) for x in moments) if m is not None) >= cut:
            continue
        await repository.remove_case(db, case.pupil_id, removal.removed)
    removal.removed["audit_events"] = await repository.remove_audit_before(db, _start_of(audit_cutoff), pupil_ids)
    return removal
