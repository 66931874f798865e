"""One way to wire a request, the same in every service.

A route asks a FastAPI dependency for its service object (`Register`, `Casework`, `Notifier`, `Returns`), which is
built on a `UnitOfWork`. The service's rules take that object, open the database through the unit of work and hand
the database session, called `db` everywhere, to repository functions, which hold every query. Routes never see
`db`, a repository or SQL.

The unit of work has two shapes because the services need both: a request-long transaction (`uow.db`, ended by
`await uow.commit()`), and short transactions (`async with uow.transaction() as db:`) for rules that must make a
write durable before a slow call to another service, so that no transaction is held open across the network.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from shared.errors import Conflict

# The name the code gives a database session (an AM/PM register session is a `register_session`).
Db = AsyncSession
Sessions = async_sessionmaker[AsyncSession]

CONCURRENT_CHANGE = ("Someone else changed the same entries at the same time; nothing was recorded. "
                     "Read them again and retry.")


class UnitOfWork:
    """The database for one request: a request-long session opened on first use, and short transactions."""

    def __init__(self, sessions: Sessions) -> None:
        self._sessions = sessions
        self._db: AsyncSession | None = None
        self._after_commit: list[Callable[[AsyncSession], None]] = []

    @property
    def db(self) -> Db:
        """The request-long session; what it writes lasts only once `commit()` is awaited."""
        if self._db is None:
            self._db = self._sessions()
        return self._db

    def after_commit(self, hook: Callable[[Db], None]) -> None:
        """Run `hook(db)` after each successful commit (e.g. wake an outbox relay when events were written)."""
        self._after_commit.append(hook)

    async def commit(self) -> None:
        if self._db is None:
            return
        try:
            await self._db.commit()
        except IntegrityError as exc:
            await self._db.rollback()
            raise Conflict(CONCURRENT_CHANGE) from exc
        self._committed(self._db)

    async def rollback(self) -> None:
        if self._db is not None:
            await self._db.rollback()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Db]:
        """A short transaction of its own: committed when the block ends normally, rolled back otherwise."""
        async with self._sessions() as db:
            try:
                async with db.begin():
                    yield db
            except IntegrityError as exc:
                raise Conflict(CONCURRENT_CHANGE) from exc
            self._committed(db)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Db]:
        """A short read-only session of its own (nothing it does is committed)."""
        async with self._sessions() as db:
            yield db

    async def close(self) -> None:
        if self._db is not None:
            await self._db.close()
            self._db = None

    def _committed(self, db: AsyncSession) -> None:
        for hook in self._after_commit:
            hook(db)


async def unit_of_work(sessions: Sessions) -> AsyncIterator[UnitOfWork]:
    """For a FastAPI dependency: one unit of work per request, closed (uncommitted work rolled back) at its end."""
    uow = UnitOfWork(sessions)
    try:
        yield uow
    finally:
        await uow.close()
