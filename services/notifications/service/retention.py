"""Notifications' retention job, under the LA's policy (NOTIFICATIONS_RETENTION_YEARS; local practice).

A message goes with its delivery history (notification_status_event) when the last thing that happened to it (its
last update or status event) is older than the period before `as_of`. Each run is recorded (retention_run).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from services.notifications import repository
from shared import clock
from shared.contracts.retention import years_before
from shared.retention import Removal
from shared.unit_of_work import Db


async def run_notifications_retention(db: Db, as_of: date, pupil_ids: list[uuid.UUID] | None, *,
                                      years: int) -> Removal:
    cutoff = years_before(as_of, years)
    cut = datetime.combine(cutoff, time(), clock.ENGLAND)
    ids = await repository.past_retention(db, cut, pupil_ids)
    removed = {"notifications": 0, "delivery_status_events": 0}
    for start in range(0, len(ids), 500):
        batch = ids[start:start + 500]
        notifications, events = await repository.delete_with_history(db, batch)
        removed["notifications"] += notifications
        removed["delivery_status_events"] += events
    return Removal(cutoffs={"notifications": cutoff}, removed=removed)
