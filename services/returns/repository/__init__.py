"""Every query the returns service makes, one module per table (and one for retention's deletes)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from shared.errors import Conflict
from shared.unit_of_work import CONCURRENT_CHANGE, Db


async def flush(db: Db) -> None:
    """Send the pending writes now: a unique key refusing them is a Conflict, which the rule words for its case."""
    try:
        await db.flush()
    except IntegrityError as exc:
        raise Conflict(CONCURRENT_CHANGE) from exc


@contextmanager
def refused_as_conflict() -> Iterator[None]:
    """A unique key refusing a write in the block (at a flush, the autoflush before a query, or the commit) is a
    Conflict, which the rule words for its case."""
    try:
        yield
    except IntegrityError as exc:
        raise Conflict(CONCURRENT_CHANGE) from exc
