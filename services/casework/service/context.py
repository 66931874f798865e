"""What the service functions work with. `CaseworkApp` is made once at start-up (app.state.casework): settings,
the journeys, the other services' clients and the caches read from register. `Casework` is made for each request
by dependencies.py: the app-wide part plus that request's unit of work, through which every rule reaches the
database (`async with cw.uow.transaction() as db`, or `cw.uow.reading()`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from uuid import UUID

from services.casework.service.allocations import Allocations
from services.casework.service.journeys import Journeys
from services.casework.service.school_directory import SchoolDirectory
from services.casework.settings import CaseworkSettings
from shared.clients.notifications import NotificationsClient
from shared.clients.register import RegisterClient
from shared.unit_of_work import Sessions, UnitOfWork

if TYPE_CHECKING:
    from services.casework.service.case_view import CaseViews


@dataclass
class CaseworkApp:
    settings: CaseworkSettings
    sessions: Sessions
    journeys: Journeys
    register: RegisterClient
    notifications: NotificationsClient
    # Names and LAs of the schools, from register (read again every few minutes).
    schools: SchoolDirectory = field(init=False)
    # Each social worker's allocated pupils, from register (read again every minute).
    allocations: Allocations = field(init=False)
    # The case views' rebuilds in flight and their background refresh (service/case_view.py), made on first use.
    case_views: CaseViews | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.schools = SchoolDirectory(self.register, timeout_seconds=self.settings.upstream_timeout_seconds)
        self.allocations = Allocations(self.allocated_pupils, timeout_seconds=self.settings.upstream_timeout_seconds)

    async def allocated_pupils(self, worker_email: str) -> list[UUID]:
        # Through whichever register client the app holds now (tests swap it for a fake).
        return await self.register.allocated_pupils(worker_email)


@dataclass
class Casework:
    """One request's view of casework: the app-wide clients and settings, and the request's unit of work."""

    app: CaseworkApp
    uow: UnitOfWork

    # Read through to the app at each use, so that a client swapped on the app (as tests do) is the one used.
    @property
    def settings(self) -> CaseworkSettings:
        return self.app.settings

    @property
    def journeys(self) -> Journeys:
        return self.app.journeys

    @property
    def register(self) -> RegisterClient:
        return self.app.register

    @property
    def notifications(self) -> NotificationsClient:
        return self.app.notifications

    @property
    def schools(self) -> SchoolDirectory:
        return self.app.schools

    @property
    def allocations(self) -> Allocations:
        return self.app.allocations
