"""Queries for a child's register across the LA's schools: their earlier admissions (the same UPN) and the
calendars of several schools at once. Set-based, so a whole-school session costs a few statements."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from services.register.models import Pupil, School, SchoolClosure, SchoolTerm
from shared.unit_of_work import Db

CHUNK = 500


@dataclass(frozen=True)
class Admission:
    """One admission register entry, as much as the threshold window needs."""

    pupil_id: uuid.UUID
    upn: str
    school_urn: str
    admission_date: date
    leaving_date: date | None


async def admissions_with_upns(db: Db, la_code: str, upns: Iterable[str],
                               left_after: date) -> list[Admission]:
    """Every admission in the LA's schools with one of these UPNs, except those that ended before left_after."""
    wanted = sorted(set(upns))
    found: list[Admission] = []
    for start in range(0, len(wanted), CHUNK):
        rows = await db.execute(
            select(Pupil.id, Pupil.upn, Pupil.school_urn, Pupil.admission_date, Pupil.leaving_date)
            .join(School, School.urn == Pupil.school_urn)
            .where(School.la_code == la_code, Pupil.upn.in_(wanted[start:start + CHUNK]),
                   or_(Pupil.leaving_date.is_(None), Pupil.leaving_date >= left_after)))
        found.extend(Admission(*row) for row in rows)
    return found


async def terms_of_schools(db: Db, urns: Iterable[str],
                           years: Iterable[int]) -> list[SchoolTerm]:
    return list((await db.scalars(select(SchoolTerm).where(
        SchoolTerm.school_urn.in_(sorted(set(urns))), SchoolTerm.academic_year.in_(sorted(set(years)))))).all())


async def closures_of_schools(db: Db, urns: Iterable[str], from_date: date,
                              to_date: date) -> list[SchoolClosure]:
    return list((await db.scalars(select(SchoolClosure).where(
        SchoolClosure.school_urn.in_(sorted(set(urns))), SchoolClosure.closure_date >= from_date,
        SchoolClosure.closure_date <= to_date))).all())
