"""An academic year's figures for schools or an LA, read from the per-pupil tallies as plain rows: totals by
group added up in the database, and only the pupils over a threshold fetched one by one. No ORM objects, so an
LA of 150,000 pupils costs a pass over its tallies, not 150,000 pupils built in Python."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal_column, or_, select, tuple_

from services.register.models import Pupil, PupilTally, School
from shared.unit_of_work import Db

# The counts a group's figures are made of, in this order after the group's key columns.
COUNTS = ("pupils", "possible", "attended", "authorised", "unauthorised", "not_counted", "persistent", "severe")


def _absent() -> ColumnElement[int]:
    return PupilTally.authorised + PupilTally.unauthorised


def absence_at_least(rate: Fraction) -> ColumnElement[bool]:
    """Absence at or above rate percent of possible sessions, compared exactly in integers (as Figures does:
    absent x 100 >= rate x possible, with possible sessions)."""
    return and_(PupilTally.possible > 0,
                _absent() * (100 * rate.denominator) >= PupilTally.possible * rate.numerator)


def attendance_strictly_between(low: Fraction, high: Fraction) -> ColumnElement[bool]:
    """Attendance above low percent and below high percent of possible sessions, compared exactly."""
    attended = PupilTally.attended
    return and_(PupilTally.possible > 0,
                attended * (100 * low.denominator) > PupilTally.possible * low.numerator,
                attended * (100 * high.denominator) < PupilTally.possible * high.numerator)


@dataclass(frozen=True)
class Schools:
    """Whose tallies: one school's, or those of every school of an LA (the school the tally records)."""

    urn: str | None = None
    la_code: str | None = None


def _pupils_with(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _counts(persistent: ColumnElement[bool], severe: ColumnElement[bool]) -> list[Any]:
    return [func.count().label("pupils"),
            *(func.coalesce(func.sum(PupilTally.__table__.c[name]), 0).label(name)
              for name in ("possible", "attended", "authorised", "unauthorised", "not_counted")),
            _pupils_with(persistent).label("persistent"), _pupils_with(severe).label("severe")]


def joined(academic_year: int, schools: Schools, *columns: Any) -> Select[Any]:
    """Pupils on roll with a tally for the year at these schools. An LA's schools are joined by its code, not
    listed: comparing each of 150,000 tallies with a list of 150 URNs costs more than the rest of the read."""
    statement = (select(*columns).select_from(PupilTally).join(Pupil, Pupil.id == PupilTally.pupil_id)
                 .where(PupilTally.academic_year == academic_year, Pupil.on_roll.is_(True)))
    if schools.la_code is not None:
        return (statement.join(School, School.urn == PupilTally.school_urn)
                .where(School.la_code == schools.la_code))
    return statement.where(PupilTally.school_urn == schools.urn)


async def group_totals(db: Db, academic_year: int, schools: Schools,
                       dimensions: Mapping[str, Sequence[str]], persistent_rate: Fraction,
                       severe_rate: Fraction) -> dict[str, list[tuple[tuple[Any, ...], tuple[int, ...]]]]:
    """Per dimension (named by the pupil columns it groups on; no columns: everyone in one group), each group's
    key values and its counts (COUNTS). PostgreSQL adds every dimension up in one pass over the tallies
    (GROUPING SETS); SQLite, the development database, takes one query per dimension."""
    counts = _counts(absence_at_least(persistent_rate), absence_at_least(severe_rate))
    found: dict[str, list[tuple[tuple[Any, ...], tuple[int, ...]]]] = {name: [] for name in dimensions}
    if db.get_bind().dialect.name != "postgresql":
        for name, columns in dimensions.items():
            keys = [Pupil.__table__.c[c] for c in columns]
            rows = await db.execute(joined(academic_year, schools, *keys, *counts).group_by(*keys))
            found[name] = [(tuple(row[:len(keys)]), tuple(int(v) for v in row[len(keys):])) for row in rows]
        return found
    every = list(dict.fromkeys(c for columns in dimensions.values() for c in columns))
    keys = [Pupil.__table__.c[c] for c in every]
    # GROUPING(a, b, ...) sets a bit, first column highest, for each column a row's set does not group on.
    def mask(columns: Sequence[str]) -> int:
        return sum(1 << (len(every) - 1 - i) for i, c in enumerate(every) if c not in columns)
    by_mask = {mask(columns): name for name, columns in dimensions.items()}
    sets = func.grouping_sets(*(tuple_(*(Pupil.__table__.c[c] for c in columns)) if columns
                                else literal_column("()") for columns in dimensions.values()))
    statement = joined(academic_year, schools, func.grouping(*keys).label("grouped_on"), *keys,
                        *counts).group_by(sets)
    for row in await db.execute(statement):
        name = by_mask[row.grouped_on]
        values = dict(zip(every, row[1:1 + len(every)], strict=True))
        found[name].append((tuple(values[c] for c in dimensions[name]),
                            tuple(int(v) for v in row[1 + len(every):])))
    return found


LINE_COLUMNS = (PupilTally.pupil_id, Pupil.school_urn, Pupil.preferred_forename, Pupil.legal_forename,
                Pupil.preferred_surname, Pupil.legal_surname, Pupil.year_group, PupilTally.possible,
                PupilTally.attended, PupilTally.authorised, PupilTally.unauthorised, PupilTally.not_counted)


async def pupils_on_lists(db: Db, academic_year: int, schools: Schools, persistent_rate: Fraction,
                          amber: tuple[Fraction, Fraction], looked_after_only: bool = False) -> Sequence[Any]:
    """The pupils (LINE_COLUMNS) persistently absent or in the amber band (between its red and green edges):
    only these rows leave the database, in one pass."""
    condition = or_(absence_at_least(persistent_rate), attendance_strictly_between(*amber))
    statement = joined(academic_year, schools, *LINE_COLUMNS).where(condition)
    if looked_after_only:
        statement = statement.where(Pupil.looked_after.is_(True))
    return (await db.execute(statement)).all()
