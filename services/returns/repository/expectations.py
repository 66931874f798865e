"""The queries of sickness expectations."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from services.returns.models import SicknessExpectation
from shared.unit_of_work import Db


async def get(db: Db, expectation_id: uuid.UUID) -> SicknessExpectation | None:
    return await db.get(SicknessExpectation, expectation_id)


async def current_for(db: Db, school_urn: str, pupil_id: uuid.UUID,
                      sickness_start: date) -> SicknessExpectation | None:
    """The current (not withdrawn) expectation of this pupil's sickness starting that day."""
    query = select(SicknessExpectation).where(
        SicknessExpectation.school_urn == school_urn, SicknessExpectation.pupil_id == pupil_id,
        SicknessExpectation.sickness_start == sickness_start, SicknessExpectation.withdrawn_at.is_(None))
    return (await db.scalars(query)).one_or_none()


def add(db: Db, expectation: SicknessExpectation) -> None:
    db.add(expectation)


async def current(db: Db, school_urns: Sequence[str], *,
                  returning_after: date | None = None) -> Sequence[SicknessExpectation]:
    """The schools' expectations not withdrawn (of pupils expected back after a day, if given), oldest first."""
    query = select(SicknessExpectation).where(SicknessExpectation.school_urn.in_(list(school_urns)),
                                              SicknessExpectation.withdrawn_at.is_(None))
    if returning_after is not None:
        query = query.where(SicknessExpectation.expected_return > returning_after)
    query = query.order_by(SicknessExpectation.school_urn, SicknessExpectation.sickness_start,
                           SicknessExpectation.recorded_at, SicknessExpectation.id)
    return (await db.scalars(query)).all()
