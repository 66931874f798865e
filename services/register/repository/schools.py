"""Schools, their local authorities and terms."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, func, select

from services.register.models import (
    LocalAuthority,
    School,
    SchoolClosure,
    SchoolTerm,
)
from shared.unit_of_work import Db


async def get_school(db: Db, urn: str) -> School | None:
    return await db.get(School, urn)


async def get_local_authority(db: Db, code: str) -> LocalAuthority | None:
    return await db.get(LocalAuthority, code)


async def list_schools(db: Db) -> Sequence[School]:
    return (await db.scalars(select(School).order_by(School.urn))).all()


async def school_terms(db: Db, school_urn: str) -> Sequence[SchoolTerm]:
    """Every term of the school's calendars, oldest first."""
    return (await db.scalars(select(SchoolTerm).where(SchoolTerm.school_urn == school_urn)
                                  .order_by(SchoolTerm.start_date))).all()


async def any_school(db: Db) -> bool:
    return (await db.scalar(select(func.count()).select_from(School))) != 0


async def terms_of_year(db: Db, school_urn: str, academic_year: int) -> Sequence[SchoolTerm]:
    return (await db.scalars(select(SchoolTerm).where(
        SchoolTerm.school_urn == school_urn, SchoolTerm.academic_year == academic_year))).all()


async def closures_between(db: Db, school_urn: str, first: date, last: date) -> Sequence[SchoolClosure]:
    return (await db.scalars(select(SchoolClosure).where(
        SchoolClosure.school_urn == school_urn, SchoolClosure.closure_date >= first,
        SchoolClosure.closure_date <= last))).all()


async def closed_for(db: Db, school_urn: str, day: date, session_name: str) -> bool:
    """Whether a planned closure covers this session (a whole-day closure covers both)."""
    found = await db.scalar(select(SchoolClosure.id).where(
        SchoolClosure.school_urn == school_urn, SchoolClosure.closure_date == day,
        (SchoolClosure.session.is_(None)) | (SchoolClosure.session == session_name)).limit(1))
    return found is not None


async def delete_calendar(db: Db, school_urn: str, academic_year: int, first: date,
                          last: date) -> None:
    """Remove the year's terms and the planned closures from first to last, before the year is entered again."""
    await db.execute(delete(SchoolTerm).where(SchoolTerm.school_urn == school_urn,
                                                   SchoolTerm.academic_year == academic_year))
    await db.execute(delete(SchoolClosure).where(
        SchoolClosure.school_urn == school_urn, SchoolClosure.closure_date >= first,
        SchoolClosure.closure_date <= last))
