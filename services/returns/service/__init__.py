"""The returns service's rules. `Returns` is what every rule takes: one request's unit of work, the clients of
the services it reads (register, casework, notifications), its settings and the moment of the request."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from services.returns.settings import ReturnsSettings
from shared import clock
from shared.clients.casework import CaseworkClient
from shared.clients.notifications import NotificationsClient
from shared.clients.register_extract import RegisterExtractClient
from shared.unit_of_work import Db, UnitOfWork


@dataclass
class Returns:
    uow: UnitOfWork
    register: RegisterExtractClient
    casework: CaseworkClient
    notifications: NotificationsClient
    settings: ReturnsSettings
    now: datetime

    @property
    def today(self) -> date:
        """Due dates and periods are English calendar dates."""
        return self.now.astimezone(clock.ENGLAND).date()

    @property
    def db(self) -> Db:
        """The request-long session; the rule that writes ends it with `await returns.uow.commit()`."""
        return self.uow.db
