"""Every query of the notifications service. Repositories never commit: callers own the transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select, update
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
