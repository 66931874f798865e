"""The schools register knows (URN, name, LA), for the pages' names and an LA officer's school lists.

Read from register's internal API and kept for a few minutes: every page names schools, and schools change
name or LA rarely. If register cannot answer, the pages show what was last read (or URNs on a first start)
rather than fail.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from shared.auth import LA_ROLES, Identity, Role
from shared.clients.register import RegisterClient
from shared.contracts.register import SchoolSummary
from shared.http import ServiceCallFailed

log = logging.getLogger(__name__)


class SchoolDirectory:
    def __init__(self, register: RegisterClient, *, ttl_seconds: float = 300.0, timeout_seconds: float = 5.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._register, self._ttl, self._timeout, self._clock = register, ttl_seconds, timeout_seconds, clock
        self._schools: list[SchoolSummary] = []
        self._read_at: float | None = None
        self._lock = asyncio.Lock()

    async def schools(self) -> list[SchoolSummary]:
        async with self._lock:
            if self._read_at is None or self._clock() - self._read_at >= self._ttl:
                try:
                    self._schools = await asyncio.wait_for(self._register.schools(), self._timeout)
                    self._read_at = self._clock()
                except (ServiceCallFailed, TimeoutError):
                    log.warning("register did not list its schools; showing the last list read")
            return list(self._schools)

    async def names(self) -> dict[str, str]:
        return {s.urn: s.name for s in await self.schools()}

    async def visible_to(self, identity: Identity) -> list[str]:
        """The URNs an officer's school lists offer: a school role's own schools, an LA officer's LA's schools."""
        if identity.scope.school_urns:
            return list(identity.scope.school_urns)
        if identity.role in LA_ROLES or identity.role is Role.VIRTUAL_SCHOOL_HEAD:
            return [s.urn for s in await self.schools() if s.la_code == identity.scope.la_code]
        return []
