"""The queries of statutory returns (la_returns)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select, update

from services.returns.models import LaReturn
from shared.contracts.returns import ReturnStatus
from shared.unit_of_work import Db


async def get(db: Db, return_id: uuid.UUID) -> LaReturn | None:
    return await db.get(LaReturn, return_id)


async def for_period(db: Db, la_code: str, school_urn: str, period: str) -> Sequence[LaReturn]:
    query = select(LaReturn).where(LaReturn.la_code == la_code, LaReturn.school_urn == school_urn,
                                   LaReturn.period == period)
    return (await db.scalars(query)).all()


async def submitted_in_year(db: Db, la_code: str, school_urn: str, kind: str, year_start: date,
                            other_than_period: str) -> Sequence[LaReturn]:
    """The school's submitted returns of a kind whose period began in the school year, but for one period."""
    query = select(LaReturn).where(
        LaReturn.la_code == la_code, LaReturn.school_urn == school_urn, LaReturn.kind == kind,
        LaReturn.status == "submitted", LaReturn.period_start >= year_start, LaReturn.period != other_than_period)
    return (await db.scalars(query)).all()


def add(db: Db, la_return: LaReturn) -> None:
    db.add(la_return)


async def delete(db: Db, la_return: LaReturn) -> None:
    await db.delete(la_return)


async def mark_late(db: Db, today: date) -> None:
    """Unsubmitted returns past their due date become late."""
    await db.execute(
        update(LaReturn).where(LaReturn.status == ReturnStatus.DUE.value, LaReturn.due_date < today)
        .values(status=ReturnStatus.LATE.value))


async def search(db: Db, *, la_code: str | None = None, school_urns: Sequence[str] | None = None,
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
    return (await db.scalars(query)).all()
