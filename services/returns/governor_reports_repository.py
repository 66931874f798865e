"""The queries of the termly governor reports."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.returns.models import GovernorReportRecord


async def stored_terms(session: AsyncSession, school_urns: Sequence[str]) -> set[tuple[str, int, str]]:
    """(URN, academic year, term) of every report already stored for these schools."""
    rows = await session.execute(select(GovernorReportRecord.school_urn, GovernorReportRecord.academic_year,
                                        GovernorReportRecord.term_name)
                                 .where(GovernorReportRecord.school_urn.in_(list(school_urns))))
    return {(urn, year, term) for urn, year, term in rows.all()}


async def for_school(session: AsyncSession, school_urn: str) -> Sequence[GovernorReportRecord]:
    return (await session.scalars(select(GovernorReportRecord).where(GovernorReportRecord.school_urn == school_urn)
                                  .order_by(GovernorReportRecord.term_start.desc()))).all()


async def get(session: AsyncSession, report_id: uuid.UUID) -> GovernorReportRecord | None:
    return await session.get(GovernorReportRecord, report_id)


def add(session: AsyncSession, record: GovernorReportRecord) -> None:
    session.add(record)
