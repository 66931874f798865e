"""Every query the returns service makes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.returns.models import LaReturn
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
