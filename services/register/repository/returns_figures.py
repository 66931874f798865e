"""Set-based reads of the marks for the LA's returns and dashboard: sessions summed in the database by pupil, by
cohort cell and by day, so that no caller needs every mark."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Any

from sqlalchemy import ColumnElement, Uuid, and_, any_, bindparam, case, extract, func, literal, or_, select
from sqlalchemy.dialects import postgresql

from services.register.models import AttendanceMark, ContactKind, Pupil, PupilContact, PupilDeletion
from shared.unit_of_work import Db


@dataclass(frozen=True)
class CodeClasses:
    """Which codes count as possible, attended, authorised and unauthorised sessions (the domain's table)."""

    possible: frozenset[str]
    attended: frozenset[str]
    authorised: frozenset[str]
    unauthorised: frozenset[str]


# IN lists on SQLite stay well under its limit of bound parameters a statement.
CHUNK = 5000
CHARACTERISTICS = ("free_school_meals", "pupil_premium", "sen_support", "ehcp", "looked_after",
                   "previously_looked_after", "child_in_need", "child_protection_plan")


def _count(codes: Collection[str]) -> Any:
    return func.sum(case((AttendanceMark.code.in_(sorted(codes)), 1), else_=0))


def _on_roll_between(from_date: date, to_date: date) -> list[ColumnElement[bool]]:
    """As the extract lists pupils: on the admission register at any time in the range."""
    return [Pupil.admission_date <= to_date, or_(Pupil.leaving_date.is_(None), Pupil.leaving_date >= from_date)]


def _marks_in(urns: Collection[str], from_date: date, to_date: date) -> list[ColumnElement[bool]]:
    return [AttendanceMark.school_urn.in_(sorted(urns)), AttendanceMark.session_date >= from_date,
            AttendanceMark.session_date <= to_date]


def _age_on(day: date) -> Any:
    """Whole years from the date of birth to `day`."""
    born = Pupil.date_of_birth
    later_in_year = or_(extract("month", born) > day.month,
                        and_(extract("month", born) == day.month, extract("day", born) > day.day))
    return literal(day.year) - extract("year", born) - case((later_in_year, 1), else_=0)


async def cohort_cells(db: Db, urns: Collection[str], from_date: date, to_date: date, census: date,
                       codes: CodeClasses) -> Sequence[Any]:
    """Per school, year group, age on `census`, sex and characteristics: the pupils on roll in the range with a
    mark in it, and their sessions; persistent and severe absence judged on each pupil's own sessions."""
    per_pupil = (
        select(AttendanceMark.pupil_id, AttendanceMark.school_urn,
               _count(codes.possible).label("possible"), _count(codes.attended).label("attended"),
               _count(codes.authorised).label("authorised"), _count(codes.unauthorised).label("unauthorised"))
        .where(*_marks_in(urns, from_date, to_date))
        .group_by(AttendanceMark.pupil_id, AttendanceMark.school_urn)).subquery()
    absent = per_pupil.c.authorised + per_pupil.c.unauthorised
    counted = per_pupil.c.possible > 0
    age, sex = _age_on(census).label("age"), func.upper(Pupil.sex).label("sex")
    traits = [getattr(Pupil, name) for name in CHARACTERISTICS]
    rows = await db.execute(
        select(Pupil.school_urn, Pupil.year_group, age, sex, *traits,
               func.count().label("pupils"), func.sum(case((counted, 1), else_=0)).label("counted"),
               func.sum(per_pupil.c.possible), func.sum(per_pupil.c.attended), func.sum(per_pupil.c.authorised),
               func.sum(per_pupil.c.unauthorised),
               func.sum(case((and_(counted, absent * 10 >= per_pupil.c.possible), 1), else_=0)),
               func.sum(case((and_(counted, absent * 2 >= per_pupil.c.possible), 1), else_=0)))
        .join(per_pupil, and_(per_pupil.c.pupil_id == Pupil.id, per_pupil.c.school_urn == Pupil.school_urn))
        .where(*_on_roll_between(from_date, to_date))
        .group_by(Pupil.school_urn, Pupil.year_group, age, sex, *traits))
    return rows.all()


async def day_figures(db: Db, urns: Collection[str], from_date: date, to_date: date,
                      codes: CodeClasses) -> Sequence[Any]:
    """Possible, attended and absent sessions of each day in the range (pupils on roll in it)."""
    on_roll = select(Pupil.id).where(Pupil.school_urn.in_(sorted(urns)), *_on_roll_between(from_date, to_date))
    rows = await db.execute(
        select(AttendanceMark.session_date, _count(codes.possible), _count(codes.attended),
               _count(codes.authorised | codes.unauthorised))
        .where(*_marks_in(urns, from_date, to_date), AttendanceMark.pupil_id.in_(on_roll))
        .group_by(AttendanceMark.session_date).order_by(AttendanceMark.session_date))
    return rows.all()


@dataclass(frozen=True)
class Listing:
    """Why a pupil is listed for the returns (see ReturnsExtractRequest); a count left None lists nobody."""

    admitted_in_period: bool
    with_deletion: bool
    named: frozenset[uuid.UUID]
    unauthorised_at_least: int | None
    illness_code: str
    illness_at_least: int | None
    per_thousand_at_least: int | None
    possible_at_least: int


def _listed_on_the_register(period_start: date, to_date: date, listing: Listing) -> list[ColumnElement[bool]]:
    """The reasons to list a pupil that the admission register alone gives."""
    found: list[ColumnElement[bool]] = []
    if listing.admitted_in_period:
        found.append(and_(Pupil.admission_date >= period_start, Pupil.admission_date <= to_date))
    if listing.with_deletion:
        found.append(Pupil.id.in_(select(PupilDeletion.pupil_id)))
    if listing.named:
        found.append(Pupil.id.in_(sorted(listing.named)))
    return found


async def listed_counts(db: Db, urns: Collection[str], from_date: date, period_start: date, to_date: date,
                        codes: CodeClasses, listing: Listing) -> dict[uuid.UUID, tuple[int, int]]:
    """(possible, unauthorised) sessions in [period_start, to_date] of each pupil with marks in the range who is
    listed: for a reason the admission register gives, or because their sessions reach a count (at least so many
    unauthorised or illness sessions in the range, or unauthorised sessions in the period reaching so many per
    thousand possible ones). One pass over the marks."""
    in_period = AttendanceMark.session_date >= period_start
    possible = func.sum(case((and_(in_period, AttendanceMark.code.in_(sorted(codes.possible))), 1), else_=0))
    unauthorised = func.sum(case((and_(in_period, AttendanceMark.code.in_(sorted(codes.unauthorised))), 1),
                                 else_=0))
    reaches: list[ColumnElement[bool]] = []
    if listing.unauthorised_at_least is not None:
        reaches.append(_count(codes.unauthorised) >= listing.unauthorised_at_least)
    if listing.illness_at_least is not None:
        reaches.append(_count({listing.illness_code}) >= listing.illness_at_least)
    if listing.per_thousand_at_least is not None:
        reaches.append(and_(possible >= listing.possible_at_least,
                            unauthorised * 1000 >= possible * listing.per_thousand_at_least))
    if others := _listed_on_the_register(period_start, to_date, listing):
        reaches.append(AttendanceMark.pupil_id.in_(
            select(Pupil.id).where(Pupil.school_urn.in_(sorted(urns)), or_(*others))))
    if not reaches:
        return {}
    rows = await db.execute(
        select(AttendanceMark.pupil_id, possible, unauthorised).where(*_marks_in(urns, from_date, to_date))
        .group_by(AttendanceMark.pupil_id).having(or_(*reaches)))
    return {pupil_id: (int(p or 0), int(u or 0)) for pupil_id, p, u in rows}


async def pupils_listed(db: Db, urns: Collection[str], from_date: date, period_start: date, to_date: date,
                        ids: Collection[uuid.UUID], listing: Listing) -> Sequence[Pupil]:
    """Pupils on roll in the range among `ids` or listed for a reason the admission register gives; in the
    extract's order."""
    reasons = [*_listed_on_the_register(period_start, to_date, listing), *_among(db, Pupil.id, ids)]
    if not reasons:
        return []
    return (await db.scalars(select(Pupil).where(
        Pupil.school_urn.in_(sorted(urns)), *_on_roll_between(from_date, to_date), or_(*reasons))
        .order_by(Pupil.admission_date, Pupil.legal_surname, Pupil.legal_forename, Pupil.id))).all()


async def marks_coded(db: Db, ids: Collection[uuid.UUID], from_date: date, to_date: date,
                      codes: Collection[str]) -> list[tuple[uuid.UUID, str, date, str, str]]:
    """(pupil, school, date, session, code) of these pupils' marks in the range on days when both sessions carry
    one of `codes`."""
    found: list[tuple[uuid.UUID, str, date, str, str]] = []
    for among in _among(db, AttendanceMark.pupil_id, ids):
        coded = (select(AttendanceMark.pupil_id, AttendanceMark.school_urn, AttendanceMark.session_date,
                        AttendanceMark.session, AttendanceMark.code,
                        func.count().over(partition_by=(AttendanceMark.pupil_id, AttendanceMark.session_date))
                        .label("sessions"))
                 .where(among, AttendanceMark.session_date >= from_date, AttendanceMark.session_date <= to_date,
                        AttendanceMark.code.in_(sorted(codes)))).subquery()
        rows = await db.execute(select(coded.c.pupil_id, coded.c.school_urn, coded.c.session_date, coded.c.session,
                                       coded.c.code).where(coded.c.sessions == 2))
        found += [(pupil_id, urn, day, name, code) for pupil_id, urn, day, name, code in rows]
    return found


async def deletions_of(db: Db, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, PupilDeletion]:
    """The latest recorded deletion (pending or completed) of each pupil that has one."""
    found: dict[uuid.UUID, PupilDeletion] = {}
    for among in _among(db, PupilDeletion.pupil_id, ids):
        rows = await db.scalars(select(PupilDeletion).where(among)
                                .order_by(PupilDeletion.recorded_at, PupilDeletion.id))
        found.update({d.pupil_id: d for d in rows})
    return found


async def parents_of(db: Db, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, list[PupilContact]]:
    """Each pupil's parents and carers as the admission register records them, in priority order."""
    found: dict[uuid.UUID, list[PupilContact]] = {}
    for among in _among(db, PupilContact.pupil_id, ids):
        rows = await db.scalars(select(PupilContact).where(among, PupilContact.kind == ContactKind.PARENT)
                                .order_by(PupilContact.priority, PupilContact.name, PupilContact.id))
        for contact in rows:
            found.setdefault(contact.pupil_id, []).append(contact)
    return found


async def year_groups_on_roll(db: Db, urns: Collection[str], from_date: date,
                              to_date: date) -> dict[str, set[str]]:
    rows = await db.execute(select(Pupil.school_urn, Pupil.year_group).distinct().where(
        Pupil.school_urn.in_(sorted(urns)), *_on_roll_between(from_date, to_date)))
    found: dict[str, set[str]] = {}
    for urn, year_group in rows:
        found.setdefault(urn, set()).add(year_group)
    return found


def _among(db: Db, column: Any, ids: Collection[uuid.UUID]) -> list[ColumnElement[bool]]:
    """`column` among the ids: PostgreSQL takes them all as one array parameter (a short statement, however many),
    SQLite as IN lists small enough for its limit on parameters."""
    # Ordered by the ids' integers: the same order as comparing UUIDs, without a Python call per comparison
    # (thousands of ids in an LA's returns).
    listed = sorted(set(ids), key=attrgetter("int"))
    if not listed:
        return []
    if db.get_bind().dialect.name == "postgresql":
        return [column == any_(bindparam("ids", listed, type_=postgresql.ARRAY(Uuid)))]
    return [column.in_(listed[start:start + CHUNK]) for start in range(0, len(listed), CHUNK)]
