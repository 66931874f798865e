"""The queries of the termly governor reports."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from services.returns.models import GovernorReportRecord
from shared.unit_of_work import Db


async def stored_terms(db: Db, school_urns: Sequence[str]) -> set[tuple[str, int, str]]:
    """(URN, academic year, term) of every report already stored for these schools."""
    rows = await db.execute(select(GovernorReportRecord.school_urn, GovernorReportRecord.academic_year,
                                   GovernorReportRecord.term_name)
                            .where(GovernorReportRecord.school_urn.in_(list(school_urns))))
    return {(urn, year, term) for urn, year, term in rows.all()}


async def for_school(db: Db, school_urn: str) -> Sequence[GovernorReportRecord]:
    return (await db.scalars(select(GovernorReportRecord).where(GovernorReportRecord.school_urn == school_urn)
                             .order_by(GovernorReportRecord.term_start.desc()))).all()


async def get(db: Db, report_id: uuid.UUID) -> GovernorReportRecord | None:
    return await db.get(GovernorReportRecord, report_id)


async def add_unless_stored(db: Db, record: GovernorReportRecord) -> bool:
    """False when another run stored the same school and term first (the unique key refused this one); the
    savepoint keeps the reports this run stored before it."""
    try:
        async with db.begin_nested():
            db.add(record)
    except IntegrityError:
        return False
    return True
