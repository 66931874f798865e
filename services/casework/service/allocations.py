"""The pupils allocated to each social worker, read from register as she uses casework.

A social worker may see only the pupils allocated to her, and a case can move to another social worker at any
time; so the allocation is not taken from her sign-in token (which lives for hours, and which an identity
provider could not fill anyway) but read from register, by her email, and kept for a minute. If register cannot
answer, the last list read is used while it is a few minutes old; after that casework refuses rather than guess -
never the token's list, never every pupil.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from uuid import UUID

from pydantic import ValidationError

from shared.auth import Identity, Role
from shared.errors import DependencyUnavailable
from shared.http import ServiceCallFailed

log = logging.getLogger(__name__)

ReadAllocation = Callable[[str], Awaitable[list[UUID]]]


class Allocations:
    def __init__(self, read: ReadAllocation, *, ttl_seconds: float = 60.0, stale_limit_seconds: float = 300.0,
                 timeout_seconds: float = 5.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._read, self._ttl, self._stale_limit = read, ttl_seconds, stale_limit_seconds
        self._timeout, self._clock = timeout_seconds, clock
        # email -> (when read, pupil ids); one entry per social worker who has used casework recently.
        self._lists: dict[str, tuple[float, list[UUID]]] = {}

    async def pupils(self, email: str) -> list[UUID]:
        """The pupils allocated to the social worker with this email, as register last said within the TTL."""
        key = email.strip().lower()
        last = self._lists.get(key)
        if last is not None and self._clock() - last[0] < self._ttl:
            return list(last[1])
        try:
            pupils = await asyncio.wait_for(self._read(key), self._timeout)
        except (ServiceCallFailed, TimeoutError, ValidationError) as exc:
            if last is not None and self._clock() - last[0] < self._stale_limit:
                log.warning("register did not answer for a social worker's allocation; using the list read %.0f s "
                            "ago", self._clock() - last[0])
                return list(last[1])
            raise DependencyUnavailable("Your allocated pupils could not be looked up in the register, so no pupil "
                                        "records can be shown. Try again in a few minutes.") from exc
        self._forget_old()
        self._lists[key] = (self._clock(), list(pupils))
        return list(pupils)

    async def resolve(self, identity: Identity) -> Identity:
        """The identity with a social worker's pupils as currently allocated (other identities unchanged)."""
        if identity.role is not Role.SOCIAL_WORKER:
            return identity
        # Whatever pupil ids the token carries are ignored: they may be hours old.
        pupils = await self.pupils(identity.email) if identity.email else []
        return identity.model_copy(update={"scope": identity.scope.model_copy(update={"pupil_ids": pupils})})

    def _forget_old(self) -> None:
        now = self._clock()
        for key in [k for k, (read_at, _) in self._lists.items() if now - read_at >= self._stale_limit]:
            del self._lists[key]
