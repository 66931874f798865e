"""Every query the returns service makes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.returns.models import LaReturn, SicknessExpectation
from shared.contracts.returns import ReturnStatus


class ReturnRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, return_id: uuid.UUID) -> LaReturn | None:
        return await self.session.get(LaReturn, return_id)

    async def for_period(self, la_code: str, school_urn: str, period: str) -> Sequence[LaReturn]:
        query = select(LaReturn).where(LaReturn.la_code == la_code, LaReturn.school_urn == school_urn,
                                       LaReturn.period == period)
        return (await self.session.scalars(query)).all()

    async def submitted_in_year(self, la_code: str, school_urn: str, kind: str, year_start: date,
                                other_than_period: str) -> Sequence[LaReturn]:
        """The school's submitted returns of a kind whose period began in the school year, but for one period."""
        query = select(LaReturn).where(
            LaReturn.la_code == la_code, LaReturn.school_urn == school_urn, LaReturn.kind == kind,
            LaReturn.status == "submitted", LaReturn.period_start >= year_start, LaReturn.period != other_than_period)
        return (await self.session.scalars(query)).all()

    def add(self, la_return: LaReturn) -> None:
        self.session.add(la_return)

    async def delete(self, la_return: LaReturn) -> None:
        await self.session.delete(la_return)

    async def mark_late(self, today: date) -> None:
        """Unsubmitted returns past their due date become late."""
        await self.session.execute(
            update(LaReturn).where(LaReturn.status == ReturnStatus.DUE.value, LaReturn.due_date < today)
            .values(status=ReturnStatus.LATE.value))

    async def search(self, *, la_code: str | None = None, school_urns: Sequence[str] | None = None,
                     kind: str | None = None, period: str | None = None) -> Sequence[LaReturn]:
        query = select(LaReturn)
        if la_code is not None:
            query = query.where(LaReturn.la_code == la_code)
        if school_urns is not None:
            query = query.where(LaReturn.school_urn.in_(list(school_urns)))
        if kind is not None:
            query = query.where(LaReturn.kind == kind)
        if period is not None:
            query = query.where(LaReturn.period == period)
        query = query.order_by(LaReturn.period_end.desc(), LaReturn.school_urn, LaReturn.kind)
        return (await self.session.scalars(query)).all()

    # --- sickness expectations -------------------------------------------------------------------------------

    async def sickness_expectation(self, expectation_id: uuid.UUID) -> SicknessExpectation | None:
        return await self.session.get(SicknessExpectation, expectation_id)

    async def sickness_expectation_for(self, school_urn: str, pupil_id: uuid.UUID,
                                       sickness_start: date) -> SicknessExpectation | None:
        """The current (not withdrawn) expectation of this pupil's sickness starting that day."""
        query = select(SicknessExpectation).where(
            SicknessExpectation.school_urn == school_urn, SicknessExpectation.pupil_id == pupil_id,
            SicknessExpectation.sickness_start == sickness_start, SicknessExpectation.withdrawn_at.is_(None))
        return (await self.session.scalars(query)).one_or_none()

    def add_sickness_expectation(self, expectation: SicknessExpectation) -> None:
        self.session.add(expectation)

    async def current_sickness_expectations(self, school_urns: Sequence[str], *, returning_after: date | None = None
                                            ) -> Sequence[SicknessExpectation]:
        """The schools' expectations not withdrawn (of pupils expected back after a day, if given), oldest first."""
        query = select(SicknessExpectation).where(SicknessExpectation.school_urn.in_(list(school_urns)),
                                                  SicknessExpectation.withdrawn_at.is_(None))
        if returning_after is not None:
            query = query.where(SicknessExpectation.expected_return > returning_after)
        query = query.order_by(SicknessExpectation.school_urn, SicknessExpectation.sickness_start,
                               SicknessExpectation.recorded_at, SicknessExpectation.id)
        return (await self.session.scalars(query)).all()
