"""The per-pupil tallies written set-based: a request touches its pupils' tallies in a few statements, never
one per pupil. Repositories add and flush; they never commit."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any, NamedTuple, cast

from sqlalchemy import Boolean, Integer, Table, Uuid, bindparam, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from services.register.domain.figures import TALLY_FIELDS
from services.register.models import PupilTally
from services.register.repository.batches import CHUNK as CHUNK  # the most pupils in one statement on SQLite
from services.register.repository.batches import among, chunks, is_postgres
from shared.unit_of_work import Db

TallyKey = tuple[uuid.UUID, int]
# Counter increments in TALLY_FIELDS order.
Steps = tuple[int, ...]
# The last status reported through the outbox (PA, SA, at risk) and the statutory thresholds already reported.
STATUS_FLAGS = ("persistent_absence", "severe_absence", "at_risk")
THRESHOLD_FLAGS = ("penalty_threshold_met", "continuous_unauthorised", "illness_days_reached")
FLAGS = STATUS_FLAGS + THRESHOLD_FLAGS
# SQLite answers UPDATE/INSERT ... RETURNING from 3.35; older builds read the rows back instead.
_SQLITE_RETURNING = sqlite3.sqlite_version_info >= (3, 35)



class TallyState(NamedTuple):
    """A tally as it stands: the counters and the flags last reported."""

    pupil_id: uuid.UUID
    academic_year: int
    possible: int
    attended: int
    authorised: int
    unauthorised: int
    not_counted: int
    illness: int
    not_established: int
    persistent_absence: bool
    severe_absence: bool
    at_risk: bool
    penalty_threshold_met: bool
    continuous_unauthorised: bool
    illness_days_reached: bool


_table = cast(Table, PupilTally.__table__)
_COLUMNS = TallyState._fields
if _COLUMNS != ("pupil_id", "academic_year", *TALLY_FIELDS, *FLAGS):  # pragma: no cover - a guard for editors
    raise RuntimeError("TallyState must list the tally's counters (TALLY_FIELDS) and FLAGS in order")


def _states(rows: Iterable[Sequence[Any]]) -> dict[TallyKey, TallyState]:
    found = {}
    for row in rows:
        state = TallyState._make(row)
        found[(state.pupil_id, state.academic_year)] = state
    return found


async def add_to_tallies(db: Db, school_urn: str, increments: Mapping[TallyKey, Steps]) -> dict[TallyKey, TallyState]:
    """Add each (pupil, academic year)'s counter increments to its tally, creating a missing tally at zero with no
    flags; return every one of these tallies as it now stands (counts after the increments, flags unchanged).

    The increments are applied in the database (n = n + step), so concurrent requests never overwrite each
    other's counts, and the rows stay locked until the transaction ends, so the flags read back are the ones this
    transaction may change. A session's marks fall into a handful of distinct increments (present, authorised,
    unauthorised, ...): PostgreSQL takes them all in one statement, SQLite one UPDATE per distinct increment."""
    groups: dict[tuple[int, Steps], list[uuid.UUID]] = {}
    for (pupil_id, year), steps in increments.items():
        groups.setdefault((year, steps), []).append(pupil_id)
    found = await (_add_in_one_statement(db, groups) if is_postgres(db) else _add_by_group(db, groups))
    missing = {key: steps for key, steps in increments.items() if key not in found}
    if missing:
        found.update(await _create_tallies(db, school_urn, missing))
    return found


# Each pupil carries the number of its increment, and each counter's steps travel as a short array indexed by it:
# one short statement, prepared once, whatever the number of pupils.
_ADD_BY_STEP = text(
    f"UPDATE pupil_tally AS t SET {', '.join(f'{name} = t.{name} + (:{name})[d.step]' for name in TALLY_FIELDS)}"
    " FROM unnest(:pupil_ids, :steps) AS d(pupil_id, step)"
    " WHERE t.pupil_id = d.pupil_id AND t.academic_year = :academic_year"
    f" RETURNING {', '.join(f't.{name}' for name in _COLUMNS)}"
).bindparams(bindparam("pupil_ids", type_=postgresql.ARRAY(Uuid)), bindparam("steps", type_=postgresql.ARRAY(Integer)),
             *(bindparam(name, type_=postgresql.ARRAY(Integer)) for name in TALLY_FIELDS))


async def _add_in_one_statement(db: Db, groups: Mapping[tuple[int, Steps], list[uuid.UUID]]
                                ) -> dict[TallyKey, TallyState]:
    by_year: dict[int, list[tuple[Steps, list[uuid.UUID]]]] = {}
    for (year, steps), ids in groups.items():
        by_year.setdefault(year, []).append((steps, ids))
    found: dict[TallyKey, TallyState] = {}
    for year, year_groups in by_year.items():
        # In pupil order, so that two requests touching the same tallies lock them in the same order.
        pupils = sorted((pupil_id, number) for number, (_, ids) in enumerate(year_groups, start=1)
                        for pupil_id in ids)
        params: dict[str, Any] = {"academic_year": year, "pupil_ids": [p for p, _ in pupils],
                                  "steps": [n for _, n in pupils]}
        for i, name in enumerate(TALLY_FIELDS):
            params[name] = [steps[i] for steps, _ in year_groups]
        found.update(_states(await db.execute(_ADD_BY_STEP, params)))
    return found


async def _add_by_group(db: Db, groups: Mapping[tuple[int, Steps], list[uuid.UUID]]) -> dict[TallyKey, TallyState]:
    found: dict[TallyKey, TallyState] = {}
    for (year, steps), ids in groups.items():
        for chunk in chunks(ids):
            statement = (update(_table).where(_table.c.academic_year == year, _table.c.pupil_id.in_(chunk))
                         .values({name: _table.c[name] + step for name, step in zip(TALLY_FIELDS, steps, strict=True)}))
            if _SQLITE_RETURNING:
                found.update(_states(await db.execute(statement.returning(*_columns()))))
            else:
                await db.execute(statement)
                found.update(await tallies_of(db, ((pupil_id, year) for pupil_id in chunk)))
    return found


async def _create_tallies(db: Db, school_urn: str, increments: Mapping[TallyKey, Steps]) -> dict[TallyKey, TallyState]:
    """A pupil's first marks of the year start the tally; a tally another request created meanwhile is added to."""
    insert = postgresql.insert(_table) if is_postgres(db) else sqlite.insert(_table)
    statement = insert.on_conflict_do_update(
        index_elements=[_table.c.pupil_id, _table.c.academic_year],
        set_={name: _table.c[name] + insert.excluded[name] for name in TALLY_FIELDS})
    rows = [{"pupil_id": pupil_id, "academic_year": year, "school_urn": school_urn,
             **dict(zip(TALLY_FIELDS, steps, strict=True)), **dict.fromkeys(FLAGS, False)}
            for (pupil_id, year), steps in increments.items()]
    if not _returning(db):
        for chunk in chunks(rows):
            await db.execute(statement, chunk)
        return await tallies_of(db, increments.keys())
    found: dict[TallyKey, TallyState] = {}
    for chunk in chunks(rows):
        found.update(_states(await db.execute(statement.returning(*_columns()), chunk)))
    return found


def _returning(db: Db) -> bool:
    return is_postgres(db) or _SQLITE_RETURNING


def _columns() -> list[Any]:
    return [_table.c[name] for name in _COLUMNS]


async def tallies_of(db: Db, keys: Iterable[TallyKey]) -> dict[TallyKey, TallyState]:
    """The counts and flags of these tallies (those that exist), read without the ORM."""
    by_year: dict[int, list[uuid.UUID]] = {}
    for pupil_id, year in set(keys):
        by_year.setdefault(year, []).append(pupil_id)
    found: dict[TallyKey, TallyState] = {}
    for year, ids in by_year.items():
        for condition in among(db, _table.c.pupil_id, ids):
            found.update(_states(await db.execute(select(*_columns()).where(_table.c.academic_year == year,
                                                                             condition))))
    return found


async def set_flags(db: Db, changes: Mapping[TallyKey, Mapping[str, bool]]) -> None:
    """Store new flag values. PostgreSQL: one UPDATE per year and set of flags changed (the values travel as arrays);
    SQLite: one UPDATE per distinct set of values and year (a handful per request)."""
    groups: dict[tuple[int, tuple[str, ...]], list[tuple[uuid.UUID, Mapping[str, bool]]]] = {}
    for (pupil_id, year), flags in changes.items():
        unknown = set(flags) - set(FLAGS)
        if unknown:
            raise ValueError(f"not tally flags: {sorted(unknown)}")
        if flags:
            groups.setdefault((year, tuple(sorted(flags))), []).append((pupil_id, flags))
    for (year, names), rows in groups.items():
        if is_postgres(db):
            rows.sort(key=lambda row: row[0])  # the same lock order as the counters' UPDATE
            await db.execute(_set_by_array(names), {
                "academic_year": year, "pupil_ids": [pupil_id for pupil_id, _ in rows],
                **{name: [flags[name] for _, flags in rows] for name in names}})
            continue
        by_values: dict[tuple[bool, ...], list[uuid.UUID]] = {}
        for pupil_id, flags in rows:
            by_values.setdefault(tuple(flags[name] for name in names), []).append(pupil_id)
        for values, ids in by_values.items():
            for chunk in chunks(ids):
                await db.execute(update(_table).where(_table.c.academic_year == year, _table.c.pupil_id.in_(chunk))
                                 .values(dict(zip(names, values, strict=True))))


@cache
def _set_by_array(names: tuple[str, ...]) -> Any:
    return text(
        f"UPDATE pupil_tally AS t SET {', '.join(f'{name} = d.{name}' for name in names)}"
        f" FROM unnest(:pupil_ids, {', '.join(f':{name}' for name in names)}) AS d(pupil_id, {', '.join(names)})"
        " WHERE t.pupil_id = d.pupil_id AND t.academic_year = :academic_year"
    ).bindparams(bindparam("pupil_ids", type_=postgresql.ARRAY(Uuid)),
                 *(bindparam(name, type_=postgresql.ARRAY(Boolean)) for name in names))
