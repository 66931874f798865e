"""The transactional outbox: events written with the change they report, and the relay's claims on them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, or_, select, update

from services.register.models import (
    OutboxEvent,
)
from shared.unit_of_work import Db

OUTBOX_WRITTEN = "outbox_written"


def take_written(db: Db) -> bool:
    """Whether the session wrote outbox events since last asked (asked once per commit)."""
    return bool(db.info.pop(OUTBOX_WRITTEN, False))

def add_outbox_event(db: Db, event: OutboxEvent) -> None:
    db.add(event)
    # Read by the unit of work after commit, to wake the relay at once.
    db.info[OUTBOX_WRITTEN] = True


async def insert_outbox_events(db: Db, rows: list[dict[str, Any]]) -> None:
    if rows:
        await db.execute(insert(OutboxEvent), rows)
        db.info[OUTBOX_WRITTEN] = True


# --- outbox relay -------------------------------------------------------------------------------------------

class ClaimLost(Exception):
    """Another relay claimed some of the head rows first; the caller's transaction must roll back."""

async def claim_outbox_head(db: Db, relay_id: str, now: datetime, lease_until: datetime,
                            limit: int) -> list[OutboxEvent]:
    """Claim the oldest undelivered events in order, unless another relay holds a live claim on them.

    The head rows are locked (FOR UPDATE on PostgreSQL; SQLite has one writer) while the claim is written,
    so two relays never claim the same rows and delivery stays in order.
    """
    head = (await db.scalars(
        select(OutboxEvent).where(OutboxEvent.delivered_at.is_(None)).order_by(OutboxEvent.sequence)
        .limit(limit).with_for_update())).all()
    if not head:
        return []
    if any(e.claimed_until is not None and e.claimed_until > now and e.claimed_by != relay_id
           for e in head):
        return []
    due = []
    for event in head:
        if event.next_attempt_at is not None and event.next_attempt_at > now:
            break  # keep the order: nothing after an event that is still backing off
        due.append(event)
    if not due:
        return []
    # The claim itself is conditional: SQLite's driver reads outside the write transaction, so another relay
    # may have claimed the same rows since the SELECT; then this relay takes nothing this turn.
    result = await db.execute(
        update(OutboxEvent).where(
            OutboxEvent.sequence.in_([e.sequence for e in due]), OutboxEvent.delivered_at.is_(None),
            or_(OutboxEvent.claimed_until.is_(None), OutboxEvent.claimed_until <= now,
                OutboxEvent.claimed_by == relay_id))
        .values(claimed_by=relay_id, claimed_until=lease_until).execution_options(synchronize_session=False))
    if getattr(result, "rowcount", 0) != len(due):
        raise ClaimLost()
    return due


async def mark_outbox_delivered(db: Db, sequence: int, now: datetime) -> None:
    await db.execute(update(OutboxEvent).where(OutboxEvent.sequence == sequence).values(
        delivered_at=now, attempts=OutboxEvent.attempts + 1, claimed_by=None, claimed_until=None,
        last_error=None))


async def mark_outbox_failed(db: Db, sequence: int, next_attempt_at: datetime, error: str) -> None:
    await db.execute(update(OutboxEvent).where(OutboxEvent.sequence == sequence).values(
        attempts=OutboxEvent.attempts + 1, next_attempt_at=next_attempt_at, last_error=error[:1000],
        claimed_by=None, claimed_until=None))


async def release_outbox_claims(db: Db, relay_id: str) -> None:
    await db.execute(update(OutboxEvent).where(OutboxEvent.claimed_by == relay_id,
                                                    OutboxEvent.delivered_at.is_(None))
                          .values(claimed_by=None, claimed_until=None))


async def outbox_events(db: Db, *, undelivered_only: bool = False) -> Sequence[OutboxEvent]:
    query = select(OutboxEvent).order_by(OutboxEvent.sequence)
    if undelivered_only:
        query = query.where(OutboxEvent.delivered_at.is_(None))
    return (await db.scalars(query)).all()


async def next_outbox_due(db: Db) -> datetime | None:
    """When the oldest undelivered event may next be tried (None: nothing waiting)."""
    row = (await db.execute(select(OutboxEvent.next_attempt_at).where(OutboxEvent.delivered_at.is_(None))
                                 .order_by(OutboxEvent.sequence).limit(1))).first()
    if row is None:
        return None
    return row[0] if row[0] is not None else datetime.min.replace(tzinfo=UTC)
