"""What the service functions work with: the database, the journeys and the other services."""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.casework.journeys import Journeys
from services.casework.service.allocations import Allocations
from services.casework.service.school_directory import SchoolDirectory
from services.casework.settings import CaseworkSettings
from shared.clients.notifications import NotificationsClient
from shared.clients.register import RegisterClient


@dataclass
class Casework:
    settings: CaseworkSettings
    sessions: async_sessionmaker[AsyncSession]
    journeys: Journeys
    register: RegisterClient
    notifications: NotificationsClient
    # Names and LAs of the schools, from register (read again every few minutes).
    schools: SchoolDirectory = field(init=False)
    # Each social worker's allocated pupils, from register (read again every minute).
    allocations: Allocations = field(init=False)

    def __post_init__(self) -> None:
        self.schools = SchoolDirectory(self.register, timeout_seconds=self.settings.upstream_timeout_seconds)
        self.allocations = Allocations(self.allocated_pupils, timeout_seconds=self.settings.upstream_timeout_seconds)

    async def allocated_pupils(self, worker_email: str) -> list[UUID]:
        # Through whichever register client the context holds now (tests swap it for a fake).
        return await self.register.allocated_pupils(worker_email)
