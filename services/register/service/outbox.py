"""The outbox relay: delivers register events (and register changes, which only refresh case pages) to casework
in order, marking each delivered only after casework acknowledged it, so a crash or an unreachable casework loses
nothing (casework deduplicates events; marking a case view stale twice is harmless)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable
from datetime import timedelta

from services.register import repository
from services.register.service.events import REGISTER_CHANGE
from shared.background import BackgroundLoop
from shared.clients.casework import CaseworkClient
from shared.contracts.register import RegisterChange, RegisterEvent
from shared.db import utcnow
from shared.http import ServiceCallFailed
from shared.unit_of_work import Db, Sessions

logger = logging.getLogger("register.outbox")
FIRST_RETRY_SECONDS = 0.5


def backoff_seconds(attempts: int, cap: float) -> float:
    """Exponential back-off after the given number of failed attempts, capped."""
    return float(min(cap, FIRST_RETRY_SECONDS * 2 ** max(0, attempts - 1)))


class OutboxRelay(BackgroundLoop):
    task_name = "register-outbox-relay"

    def __init__(self, factory: Sessions, casework: CaseworkClient, *,
                 poll_interval: float = 0.5, batch_size: int = 50, max_backoff: float = 30.0,
                 lease_seconds: float = 30.0) -> None:
        self._factory = factory
        self._casework = casework
        self._poll_interval = poll_interval
        self._batch_size = batch_size
        self._max_backoff = max_backoff
        self._lease = timedelta(seconds=lease_seconds)
        self.relay_id = f"relay-{uuid.uuid4().hex[:12]}"
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Called after a commit that wrote events, so they go out at once rather than at the next poll."""
        self._wake.set()

    async def _after_stop(self) -> None:
        with contextlib.suppress(Exception):
            async with self._factory() as db, db.begin():
                await repository.outbox.release_outbox_claims(db, self.relay_id)

    async def _run(self) -> None:
        while True:
            try:
                delivered = await self.run_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                # The database may be briefly unavailable or locked; try again at the next turn.
                logger.exception("outbox relay turn failed")
                delivered = 0
            if delivered:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self._poll_interval)
            self._wake.clear()

    async def run_once(self) -> int:
        """Claim the head of the outbox and deliver it in order; returns how many were delivered."""
        now = utcnow()
        try:
            async with self._factory() as db, db.begin():
                claimed = await repository.outbox.claim_outbox_head(db, self.relay_id, now, now + self._lease,
                                                             self._batch_size)
                batch = [(e.sequence, e.id, e.event_type, e.attempts, dict(e.payload)) for e in claimed]
        except repository.outbox.ClaimLost:
            return 0
        delivered = 0
        for sequence, event_id, event_type, attempts, payload in batch:
            try:
                if event_type == REGISTER_CHANGE:
                    await self._casework.deliver_register_change(RegisterChange.model_validate(payload))
                    duplicate = False
                else:
                    duplicate = (await self._casework.deliver_event(RegisterEvent.model_validate(payload))).duplicate
            except Exception as exc:  # any failure keeps the event for another attempt
                delay = backoff_seconds(attempts + 1, self._max_backoff)
                # Only ids and the status: never pupil data in logs.
                if isinstance(exc, ServiceCallFailed):
                    error = f"{exc.status or 'unreachable'} {exc.problem_type if exc.status else ''}".strip()
                else:
                    error = f"unreadable answer: {type(exc).__name__}"
                logger.warning("outbox event %s (%s) not delivered (attempt %d): %s; retry in %.1fs", event_id,
                               event_type, attempts + 1, error, delay)
                async with self._factory() as db, db.begin():
                    await repository.outbox.mark_outbox_failed(db, sequence, utcnow() + timedelta(seconds=delay),
                                                        error)
                    await repository.outbox.release_outbox_claims(db, self.relay_id)
                break
            async with self._factory() as db, db.begin():
                await repository.outbox.mark_outbox_delivered(db, sequence, utcnow())
            delivered += 1
            logger.info("outbox event %s (%s) delivered%s", event_id, event_type,
                        " (duplicate at casework)" if duplicate else "")
        return delivered


def wake_after_commit(relay: OutboxRelay | None) -> Callable[[Db], None]:
    """A unit-of-work hook: after a commit that wrote events, wake the relay so they go out at once."""

    def hook(db: Db) -> None:
        if repository.outbox.take_written(db) and relay is not None:
            relay.wake()

    return hook
