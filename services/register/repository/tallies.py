"""The per-pupil tallies written set-based: a request touches its pupils' tallies in a few statements, never
one per pupil. Repositories add and flush; they never commit."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, cast

from sqlalchemy import ColumnElement, RowMapping, Table, Uuid, any_, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from services.register.domain.figures import TALLY_FIELDS
from services.register.models import PupilTally
from shared.unit_of_work import Db

TallyKey = tuple[uuid.UUID, int]
# The last status reported through the outbox (PA, SA, at risk) and the statutory thresholds already reported.
STATUS_FLAGS = ("persistent_absence", "severe_absence", "at_risk")
THRESHOLD_FLAGS = ("penalty_threshold_met", "continuous_unauthorised", "illness_days_reached")
FLAGS = STATUS_FLAGS + THRESHOLD_FLAGS
# Both databases accept this many rows of bound parameters in one statement with room to spare.
CHUNK = 500
# SQLite answers UPDATE/INSERT ... RETURNING from 3.35; older builds read the rows back instead.
_SQLITE_RETURNING = sqlite3.sqlite_version_info >= (3, 35)

_table = cast(Table, PupilTally.__table__)
_COLUMNS = ("pupil_id", "academic_year", *TALLY_FIELDS, *FLAGS)


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def _pupils_among(db: Db, ids: list[uuid.UUID]) -> Iterable[tuple[list[uuid.UUID],
                                                                                ColumnElement[bool]]]:
    """The pupils as (ids, condition) batches: PostgreSQL takes them all as one array parameter (a short statement
    it can prepare once), SQLite as IN lists of at most CHUNK."""
    if db.get_bind().dialect.name == "postgresql":
        yield ids, _table.c.pupil_id == any_(bindparam("pupil_ids", ids, type_=postgresql.ARRAY(Uuid)))
        return
    for chunk in _chunks(ids):
        yield chunk, _table.c.pupil_id.in_(chunk)


async def add_to_tallies(db: Db, school_urn: str,
                         increments: Mapping[TallyKey, Mapping[str, int]]) -> dict[TallyKey, RowMapping]:
    """Add each (pupil, academic year)'s counter increments to its tally, creating a missing tally at zero with no
    flags; return every one of these tallies as it now stands (counts after the increments, flags unchanged).

    The increments are applied in the database (n = n + step), so concurrent requests never overwrite each
    other's counts, and the rows stay locked until the transaction ends, so the flags read back are the ones this
    transaction may change. A session's marks fall into a handful of distinct increments (present, authorised,
    unauthorised, ...), so the tallies take one UPDATE per distinct increment and chunk, not one per pupil."""
    groups: dict[tuple[int, tuple[int, ...]], list[uuid.UUID]] = {}
    for (pupil_id, year), increment in increments.items():
        groups.setdefault((year, tuple(increment.get(name, 0) for name in TALLY_FIELDS)), []).append(pupil_id)
    found: dict[TallyKey, RowMapping] = {}
    for (year, steps), ids in groups.items():
        for chunk, among in _pupils_among(db, ids):
            statement = (update(_table).where(_table.c.academic_year == year, among)
                         .values({name: _table.c[name] + step for name, step in zip(TALLY_FIELDS, steps, strict=True)}))
            if _returning(db):
                rows = await db.execute(statement.returning(*_columns()))
                found.update({(row.pupil_id, row.academic_year): row._mapping for row in rows})
            else:
                await db.execute(statement)
                found.update(await tallies_of(db, ((pupil_id, year) for pupil_id in chunk)))
    missing = {key: steps for key, steps in increments.items() if key not in found}
    if missing:
        found.update(await _create_tallies(db, school_urn, missing))
    return found


async def _create_tallies(db: Db, school_urn: str,
                          increments: Mapping[TallyKey, Mapping[str, int]]) -> dict[TallyKey, RowMapping]:
    """A pupil's first marks of the year start the tally; a tally another request created meanwhile is added to."""
    postgres = db.get_bind().dialect.name == "postgresql"
    insert = postgresql.insert(_table) if postgres else sqlite.insert(_table)
    statement = insert.on_conflict_do_update(
        index_elements=[_table.c.pupil_id, _table.c.academic_year],
        set_={name: _table.c[name] + insert.excluded[name] for name in TALLY_FIELDS})
    rows = [{"pupil_id": pupil_id, "academic_year": year, "school_urn": school_urn,
             **{name: steps.get(name, 0) for name in TALLY_FIELDS}, **dict.fromkeys(FLAGS, False)}
            for (pupil_id, year), steps in increments.items()]
    if not _returning(db):
        for chunk in _chunks(rows):
            await db.execute(statement, chunk)
        return await tallies_of(db, increments.keys())
    found: dict[TallyKey, RowMapping] = {}
    for chunk in _chunks(rows):
        result = await db.execute(statement.returning(*_columns()), chunk)
        found.update({(row.pupil_id, row.academic_year): row._mapping for row in result.all()})
    return found


def _returning(db: Db) -> bool:
    return db.get_bind().dialect.name == "postgresql" or _SQLITE_RETURNING


def _columns() -> list[Any]:
    return [_table.c[name] for name in _COLUMNS]


async def tallies_of(db: Db, keys: Iterable[TallyKey]) -> dict[TallyKey, RowMapping]:
    """The counts and flags of these tallies (those that exist), read without the ORM."""
    by_year: dict[int, list[uuid.UUID]] = {}
    for pupil_id, year in set(keys):
        by_year.setdefault(year, []).append(pupil_id)
    found: dict[TallyKey, RowMapping] = {}
    for year, ids in by_year.items():
        for _, among in _pupils_among(db, ids):
            rows = await db.execute(select(*_columns()).where(_table.c.academic_year == year, among))
            for row in rows:
                found[(row.pupil_id, row.academic_year)] = row._mapping
    return found


async def set_flags(db: Db, changes: Mapping[TallyKey, Mapping[str, bool]]) -> None:
    """Store new flag values: one UPDATE per distinct set of values and year (a handful per request)."""
    groups: dict[tuple[int, tuple[tuple[str, bool], ...]], list[uuid.UUID]] = {}
    for (pupil_id, year), flags in changes.items():
        unknown = set(flags) - set(FLAGS)
        if unknown:
            raise ValueError(f"not tally flags: {sorted(unknown)}")
        if flags:
            groups.setdefault((year, tuple(sorted(flags.items()))), []).append(pupil_id)
    for (year, values), ids in groups.items():
        for _, among in _pupils_among(db, ids):
            await db.execute(update(_table).where(_table.c.academic_year == year, among).values(dict(values)))
