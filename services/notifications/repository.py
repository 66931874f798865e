"""Every query of the notifications service. Repositories never commit: callers own the transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, delete, func, or_, select, update

from services.notifications.models import Notification, NotificationStatusEvent
from shared.retention import delete_counting
from shared.unit_of_work import Db


async def by_idempotency_key(db: Db, key: str) -> list[Notification]:
    rows = await db.scalars(select(Notification).where(Notification.idempotency_key == key)
                                 .order_by(Notification.created_at, Notification.recipient_key))
    return list(rows)


async def get(db: Db, notification_id: uuid.UUID) -> Notification | None:
    return await db.get(Notification, notification_id, populate_existing=True)


async def for_pupil(db: Db, pupil_id: uuid.UUID) -> list[Notification]:
    rows = await db.scalars(select(Notification).where(Notification.pupil_id == pupil_id)
                                 .order_by(Notification.created_at.desc(), Notification.recipient_key))
    return list(rows)


async def history(db: Db, notification_ids: Sequence[uuid.UUID]) -> list[NotificationStatusEvent]:
    if not notification_ids:
        return []
    rows = await db.scalars(select(NotificationStatusEvent)
                                 .where(NotificationStatusEvent.notification_id.in_(notification_ids))
                                 .order_by(NotificationStatusEvent.id))
    return list(rows)


async def status_events_after(db: Db, occurred_at: datetime, event_id: int, until: datetime,
                              limit: int) -> list[tuple[uuid.UUID, datetime, int]]:
    """The status events after a position (time, then id) and at or before `until`, oldest first: each with its
    notification's pupil, time and id."""
    after = or_(NotificationStatusEvent.occurred_at > occurred_at,
                and_(NotificationStatusEvent.occurred_at == occurred_at, NotificationStatusEvent.id > event_id))
    statement = (select(Notification.pupil_id, NotificationStatusEvent.occurred_at, NotificationStatusEvent.id)
                 .join(Notification, Notification.id == NotificationStatusEvent.notification_id)
                 .where(after, NotificationStatusEvent.occurred_at <= until)
                 .order_by(NotificationStatusEvent.occurred_at, NotificationStatusEvent.id).limit(limit))
    return [(pupil_id, at, event_id) for pupil_id, at, event_id in (await db.execute(statement)).all()]


def add(db: Db, notification: Notification) -> None:
    db.add(notification)


def add_event(db: Db, notification_id: uuid.UUID, status: str, detail: str | None,
              at: datetime) -> None:
    db.add(NotificationStatusEvent(notification_id=notification_id, status=status, detail=detail,
                                        occurred_at=at))


async def claim(db: Db, notification_id: uuid.UUID, now: datetime, until: datetime) -> bool:
    """Take the right to deliver a queued notification; a single UPDATE, so exactly one caller wins."""
    result = await db.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.status == "queued",
               or_(Notification.claimed_until.is_(None), Notification.claimed_until < now))
        .values(claimed_until=until, attempts=Notification.attempts + 1)
        .execution_options(synchronize_session=False))
    return getattr(result, "rowcount", 0) == 1


async def finish(db: Db, notification_id: uuid.UUID, *, status: str,
                 failure_reason: str | None = None, provider_reference: str | None = None,
                 only_from: str | None = None) -> bool:
    """Set a notification's status (only from `only_from`, when given); True if this call changed it."""
    values: dict[str, object] = {"status": status, "claimed_until": None}
    if failure_reason is not None:
        values["failure_reason"] = failure_reason
    if provider_reference is not None:
        values["provider_reference"] = provider_reference
    statement = update(Notification).where(Notification.id == notification_id)
    if only_from is not None:
        statement = statement.where(Notification.status == only_from)
    result = await db.execute(statement.values(**values).execution_options(synchronize_session=False))
    return getattr(result, "rowcount", 0) == 1


async def release(db: Db, notification_id: uuid.UUID) -> None:
    """Give up a delivery claim after a temporary failure, so the next retry may deliver at once."""
    await db.execute(update(Notification).where(Notification.id == notification_id)
                          .values(claimed_until=None).execution_options(synchronize_session=False))


# IN lists are sent in chunks: PostgreSQL and SQLite both cap the number of bound parameters per statement.
IN_CHUNK = 1000


def _chunks(values: Sequence[object]) -> list[list[object]]:
    unique = list(dict.fromkeys(values))
    return [unique[start:start + IN_CHUNK] for start in range(0, len(unique), IN_CHUNK)]


async def alerts_about(db: Db, pupil_ids: Sequence[uuid.UUID],
                       templates: Sequence[str]) -> list[Row[Any]]:
    """The pupils' notifications of these templates: only the columns a timing needs, never bodies or addresses."""
    columns = (Notification.id, Notification.pupil_id, Notification.template, Notification.recipient_role,
               Notification.status, Notification.created_at, Notification.context, Notification.escalates_id)
    rows: list[Row[Any]] = []
    for chunk in _chunks(pupil_ids):
        result = await db.execute(select(*columns).where(Notification.pupil_id.in_(chunk),
                                                              Notification.template.in_(list(set(templates)))))
        rows.extend(result.all())
    return rows


async def contexts(db: Db, notification_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """The context each notification was requested with (an escalation reads its session from the original)."""
    found: dict[uuid.UUID, dict[str, Any]] = {}
    for chunk in _chunks(notification_ids):
        result = await db.execute(select(Notification.id, Notification.context)
                                       .where(Notification.id.in_(chunk)))
        found.update({notification_id: context or {} for notification_id, context in result.all()})
    return found


async def first_sent_at(db: Db, notification_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, datetime]:
    """When a channel first accepted each notification (its first "sent" step); absent if none ever was."""
    found: dict[uuid.UUID, datetime] = {}
    for chunk in _chunks(notification_ids):
        result = await db.execute(
            select(NotificationStatusEvent.notification_id, func.min(NotificationStatusEvent.occurred_at))
            .where(NotificationStatusEvent.notification_id.in_(chunk), NotificationStatusEvent.status == "sent")
            .group_by(NotificationStatusEvent.notification_id))
        found.update((notification_id, at) for notification_id, at in result.all())
    return found


async def past_retention(db: Db, cut: datetime, pupil_ids: list[uuid.UUID] | None) -> list[uuid.UUID]:
    """The notifications whose last update and last status event are before `cut` (of these pupils, if given)."""
    last_event = (select(func.max(NotificationStatusEvent.occurred_at))
                  .where(NotificationStatusEvent.notification_id == Notification.id).scalar_subquery())
    query = select(Notification.id).where(Notification.updated_at < cut, Notification.created_at < cut,
                                          func.coalesce(last_event, Notification.created_at) < cut)
    if pupil_ids is not None:
        query = query.where(Notification.pupil_id.in_(pupil_ids))
    return list((await db.scalars(query)).all())


async def delete_with_history(db: Db, notification_ids: list[uuid.UUID]) -> tuple[int, int]:
    """Delete the notifications and their status events: (notifications, events) removed."""
    events = await delete_counting(db, delete(NotificationStatusEvent).where(
        NotificationStatusEvent.notification_id.in_(notification_ids)))
    notifications = await delete_counting(db, delete(Notification).where(Notification.id.in_(notification_ids)))
    return notifications, events
