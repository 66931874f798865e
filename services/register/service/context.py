"""The register service object a request's rules work with: its unit of work and the service's settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from services.register import repository
from services.register.settings import RegisterSettings
from shared.unit_of_work import Db, UnitOfWork

ViewT = TypeVar("ViewT")


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

    async def keep(self, row: Any, view: Callable[[Any], ViewT]) -> ViewT:
        """Record a new row and answer with its view, made before the commit (the flush fills in its id)."""
        repository.add(self.db, row)
        await self.db.flush()
        result = view(row)
        await self.commit()
        return result
