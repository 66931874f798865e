"""The register service object a request's rules work with: its unit of work and the service's settings."""

from __future__ import annotations

from dataclasses import dataclass

from services.register.settings import RegisterSettings
from shared.unit_of_work import Db, UnitOfWork


@dataclass(frozen=True)
class Register:
    """Built per request by services.register.dependencies.register_service. Rules hand `db` to repository
    functions; a rule that writes ends with `await reg.commit()` (one transaction per request)."""

    uow: UnitOfWork
    settings: RegisterSettings

    @property
    def db(self) -> Db:
        return self.uow.db

    async def commit(self) -> None:
        await self.uow.commit()
