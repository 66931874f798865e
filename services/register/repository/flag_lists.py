"""One page of an LA's flagged pupils for an academic year (persistently absent, severely absent, or at risk),
read from the tallies in the order of the partial indexes on their flags: lowest attendance first, then by pupil
id, and paged by keyset (the last line's attendance and id), so a page reads its own lines from the index, never
a sort of the LA's flagged tallies and never an OFFSET's worth of skipped lines."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, not_, select, tuple_

from services.register.domain.figures import FlagList
from services.register.models import Pupil, PupilTally, attendance_rate
from services.register.repository.year_figures import (
    LINE_COLUMNS,
    Schools,
    absence_at_least,
    attendance_strictly_between,
    joined,
)
from shared.unit_of_work import Db


@dataclass(frozen=True)
class Thresholds:
    """The exact thresholds the lists are checked against (as the LA figures' lists are)."""

    persistent_rate: Fraction
    severe_rate: Fraction
    amber: tuple[Fraction, Fraction]


@dataclass(frozen=True)
class Position:
    """Where a page ends: its last line's attended and possible sessions (its exact rate) and pupil id."""

    attended: int
    possible: int
    pupil_id: uuid.UUID


def _membership(which: FlagList, thresholds: Thresholds) -> ColumnElement[bool]:
    # The bare flag, as the partial index's predicate says it, so both databases use the index. The flag is the
    # status last reported, set in the same transaction as the counts; the exact thresholds are checked as well
    # so that a flag left from other settings never lists a pupil the figures would not.
    if which is FlagList.AT_RISK:
        return and_(PupilTally.at_risk, not_(absence_at_least(thresholds.persistent_rate)),
                    attendance_strictly_between(*thresholds.amber))
    listed = and_(PupilTally.persistent_absence, absence_at_least(thresholds.persistent_rate))
    if which is FlagList.SEVERE:
        return and_(listed, PupilTally.severe_absence, absence_at_least(thresholds.severe_rate))
    return listed


def _beyond(after: Position) -> ColumnElement[bool]:
    """After the position in (attendance rate, pupil id) order, compared as the index orders: a row comparison
    the database starts the index read from. Equal fractions (17 of 18, 34 of 36) divide to the same correctly
    rounded double, here as in the database, and distinct ones of a year's sessions differ far beyond its
    precision, so this agrees with comparing the exact rates."""
    return tuple_(attendance_rate(), PupilTally.pupil_id) > tuple_(after.attended / after.possible, after.pupil_id)


def listed(academic_year: int, la_code: str, which: FlagList, thresholds: Thresholds, looked_after_only: bool,
           *columns: Any) -> Select[Any]:
    """The list's pupils on roll at the LA's schools, these columns of each."""
    statement = joined(academic_year, Schools(la_code=la_code), *columns).where(_membership(which, thresholds))
    return statement.where(Pupil.looked_after.is_(True)) if looked_after_only else statement


def page_statement(academic_year: int, la_code: str, which: FlagList, thresholds: Thresholds,
                   after: Position | None, limit: int, looked_after_only: bool) -> Select[Any]:
    """Up to limit + 1 lines (LINE_COLUMNS; the extra line says another page follows) after the position, in the
    order of the list's partial index, so the database reads the page's lines and stops."""
    statement = listed(academic_year, la_code, which, thresholds, looked_after_only, *LINE_COLUMNS)
    if after is not None:
        statement = statement.where(_beyond(after))
    return statement.order_by(attendance_rate(), PupilTally.pupil_id).limit(limit + 1)


async def flagged_page(db: Db, academic_year: int, la_code: str, which: FlagList, thresholds: Thresholds,
                       after: Position | None, limit: int, looked_after_only: bool) -> Sequence[Any]:
    """Up to limit + 1 lines (LINE_COLUMNS) after the position."""
    statement = page_statement(academic_year, la_code, which, thresholds, after, limit, looked_after_only)
    return (await db.execute(statement)).all()


async def count_listed(db: Db, academic_year: int, la_code: str, which: FlagList, thresholds: Thresholds,
                       looked_after_only: bool) -> int:
    """How many pupils the whole list has. It reads the pupil of every flagged tally (on roll? looked after?),
    where a page reads only its own: a few times a page's cost at an LA's scale, so only when asked."""
    statement = listed(academic_year, la_code, which, thresholds, looked_after_only, PupilTally.pupil_id)
    return int(await db.scalar(select(func.count()).select_from(statement.subquery())) or 0)
