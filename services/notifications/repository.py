"""Every query of the notifications service. Repositories never commit: callers own the transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifications.models import Notification, NotificationStatusEvent


async def by_idempotency_key(session: AsyncSession, key: str) -> list[Notification]:
    rows = await session.scalars(select(Notification).where(Notification.idempotency_key == key)
                                 .order_by(Notification.created_at, Notification.recipient_key))
    return list(rows)


async def get(session: AsyncSession, notification_id: uuid.UUID) -> Notification | None:
    return await session.get(Notification, notification_id, populate_existing=True)


async def for_pupil(session: AsyncSession, pupil_id: uuid.UUID) -> list[Notification]:
    rows = await session.scalars(select(Notification).where(Notification.pupil_id == pupil_id)
                                 .order_by(Notification.created_at.desc(), Notification.recipient_key))
    return list(rows)


async def history(session: AsyncSession, notification_ids: Sequence[uuid.UUID]) -> list[NotificationStatusEvent]:
    if not notification_ids:
        return []
    rows = await session.scalars(select(NotificationStatusEvent)
                                 .where(NotificationStatusEvent.notification_id.in_(notification_ids))
                                 .order_by(NotificationStatusEvent.id))
    return list(rows)


def add(session: AsyncSession, notification: Notification) -> None:
    session.add(notification)


def add_event(session: AsyncSession, notification_id: uuid.UUID, status: str, detail: str | None,
              at: datetime) -> None:
    session.add(NotificationStatusEvent(notification_id=notification_id, status=status, detail=detail,
                                        occurred_at=at))


async def claim(session: AsyncSession, notification_id: uuid.UUID, now: datetime, until: datetime) -> bool:
    """Take the right to deliver a queued notification; a single UPDATE, so exactly one caller wins."""
    result = await session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.status == "queued",
               or_(Notification.claimed_until.is_(None), Notification.claimed_until < now))
        .values(claimed_until=until, attempts=Notification.attempts + 1)
        .execution_options(synchronize_session=False))
    return getattr(result, "rowcount", 0) == 1


async def finish(session: AsyncSession, notification_id: uuid.UUID, *, status: str,
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
    result = await session.execute(statement.values(**values).execution_options(synchronize_session=False))
    return getattr(result, "rowcount", 0) == 1


async def release(session: AsyncSession, notification_id: uuid.UUID) -> None:
    """Give up a delivery claim after a temporary failure, so the next retry may deliver at once."""
    await session.execute(update(Notification).where(Notification.id == notification_id)
                          .values(claimed_until=None).execution_options(synchronize_session=False))


# IN lists are sent in chunks: PostgreSQL and SQLite both cap the number of bound parameters per statement.
IN_CHUNK = 1000


def _chunks(values: Sequence[object]) -> list[list[object]]:
    unique = list(dict.fromkeys(values))
    return [unique[start:start + IN_CHUNK] for start in range(0, len(unique), IN_CHUNK)]


async def alerts_about(session: AsyncSession, pupil_ids: Sequence[uuid.UUID],
                       templates: Sequence[str]) -> list[Row[Any]]:
    """The pupils' notifications of these templates: only the columns a timing needs, never bodies or addresses."""
    columns = (Notification.id, Notification.pupil_id, Notification.template, Notification.recipient_role,
               Notification.status, Notification.created_at, Notification.context, Notification.escalates_id)
    rows: list[Row[Any]] = []
    for chunk in _chunks(pupil_ids):
        result = await session.execute(select(*columns).where(Notification.pupil_id.in_(chunk),
                                                              Notification.template.in_(list(set(templates)))))
        rows.extend(result.all())
    return rows


async def contexts(session: AsyncSession, notification_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """The context each notification was requested with (an escalation reads its session from the original)."""
    found: dict[uuid.UUID, dict[str, Any]] = {}
    for chunk in _chunks(notification_ids):
        result = await session.execute(select(Notification.id, Notification.context)
                                       .where(Notification.id.in_(chunk)))
        found.update({notification_id: context or {} for notification_id, context in result.all()})
    return found


async def first_sent_at(session: AsyncSession, notification_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, datetime]:
    """When a channel first accepted each notification (its first "sent" step); absent if none ever was."""
    found: dict[uuid.UUID, datetime] = {}
    for chunk in _chunks(notification_ids):
        result = await session.execute(
            select(NotificationStatusEvent.notification_id, func.min(NotificationStatusEvent.occurred_at))
            .where(NotificationStatusEvent.notification_id.in_(chunk), NotificationStatusEvent.status == "sent")
            .group_by(NotificationStatusEvent.notification_id))
        found.update((notification_id, at) for notification_id, at in result.all())
    return found
