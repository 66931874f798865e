"""The register's retention job (rules.md s3 [H]: every entry is kept at least 6 years from its date).

A pupil's admission register entry goes, with everything hung on it (marks and their amendments, contacts,
deletions, leave requests, part-time timetables, tallies, outbox events), only when the pupil left more than the
retention period before `as_of` AND every entry about them is older than the period: a mark corrected later is an
entry of that later date, so one recent entry keeps the whole pupil. A pupil still on roll keeps their history.
The cut-off is `as_of` less `REGISTER_RETENTION_YEARS` (never less than 6): an entry dated on the cut-off stays.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time

from services.register import repository
from services.register.models import Pupil
from shared import clock
from shared.contracts.retention import REGISTER_MINIMUM_YEARS, years_before
from shared.retention import Removal
from shared.unit_of_work import Db

KINDS = ("admissions", "contacts", "marks", "amendments", "deletions", "leave_requests", "part_time_timetables",
         "prior_attendance")


def start_of(day: date) -> datetime:
    """The first moment of an English day: a moment before it is an entry of an earlier day."""
    return datetime.combine(day, time(), clock.ENGLAND)


async def _all_entries_before(db: Db, pupil: Pupil, cut: datetime) -> bool:
    for moment in await repository.retention.latest_entries(db, pupil):
        if moment is None:
            continue
        if isinstance(moment, datetime):
            if moment.tzinfo is None:  # SQLite hands back naive UTC
                moment = moment.replace(tzinfo=UTC)
            if moment >= cut:
                return False
        elif isinstance(moment, date) and moment >= cut.date():
            return False
    return True


async def run_register_retention(db: Db, as_of: date, pupil_ids: list[uuid.UUID] | None, *,
                                 years: int) -> Removal:
    if years < REGISTER_MINIMUM_YEARS:  # the setting refuses it too; a caller building its own must not slip
        raise ValueError(f"Register entries are kept at least {REGISTER_MINIMUM_YEARS} years.")
    cutoff = years_before(as_of, years)
    removal = Removal(cutoffs={"register_entries": cutoff}, removed=dict.fromkeys(KINDS, 0))
    cut = start_of(cutoff)
    for pupil in await repository.retention.leavers_before(db, cutoff, pupil_ids):
        if not await _all_entries_before(db, pupil, cut):
            continue
        await repository.retention.remove_pupil(db, pupil.id, removal.removed)
    return removal
