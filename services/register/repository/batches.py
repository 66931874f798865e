"""Conditions on many ids at once, for the set-based statements of a whole-school session.

PostgreSQL takes the ids as one array parameter (`= ANY(...)`): one short statement it can prepare once, whatever
the number of pupils. SQLite has no arrays, so it gets `IN` lists of at most CHUNK ids, one statement each."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Uuid, any_, bindparam
from sqlalchemy.dialects import postgresql

from shared.unit_of_work import Db

# Both databases accept this many bound parameters in one statement with room to spare.
CHUNK = 500


def is_postgres(db: Db) -> bool:
    return db.get_bind().dialect.name == "postgresql"


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def among(db: Db, column: Any, ids: Iterable[uuid.UUID]) -> Iterable[ColumnElement[bool]]:
    """`column` is one of the ids, as one condition on PostgreSQL and one per chunk on SQLite (none for no ids)."""
    wanted = list(set(ids))
    if not wanted:
        return
    if is_postgres(db):
        yield column == any_(bindparam(None, wanted, type_=postgresql.ARRAY(Uuid)))
        return
    for chunk in chunks(wanted):
        yield column.in_(chunk)
