"""Notifications' retention job, under the LA's policy (NOTIFICATIONS_RETENTION_YEARS; local practice).

A message goes with its delivery history (notification_status_event) when the last thing that happened to it (its
last update or status event) is older than the period before `as_of`. Each run is recorded (retention_run).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifications.models import Notification, NotificationStatusEvent
from shared import clock
from shared.contracts.retention import years_before
from shared.retention import Removal, delete_counting


async def run_notifications_retention(session: AsyncSession, as_of: date, pupil_ids: list[uuid.UUID] | None, *,
                                      years: int) -> Removal:
    cutoff = years_before(as_of, years)
    cut = datetime.combine(cutoff, time(), clock.ENGLAND)
    last_event = (select(func.max(NotificationStatusEvent.occurred_at))
                  .where(NotificationStatusEvent.notification_id == Notification.id).scalar_subquery())
    query = select(Notification.id).where(Notification.updated_at < cut, Notification.created_at < cut,
                                          func.coalesce(last_event, Notification.created_at) < cut)
    if pupil_ids is not None:
        query = query.where(Notification.pupil_id.in_(pupil_ids))
    ids = list((await session.scalars(query)).all())
    removed = {"notifications": 0, "delivery_status_events": 0}
    for start in range(0, len(ids), 500):
        batch = ids[start:start + 500]
        removed["delivery_status_events"] += await delete_counting(session, delete(NotificationStatusEvent).where(
            NotificationStatusEvent.notification_id.in_(batch)))
        removed["notifications"] += await delete_counting(session, delete(Notification).where(
            Notification.id.in_(batch)))
    return Removal(cutoffs={"notifications": cutoff}, removed=removed)
