"""The queries of the DfE daily share's collection records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from services.returns.models import DfeCollection
from shared.unit_of_work import Db


def add(db: Db, collection: DfeCollection) -> None:
    db.add(collection)


async def of_la(db: Db, la_code: str, start: date, end: date) -> Sequence[DfeCollection]:
    """The LA's collections whose share date is between the dates, newest first."""
    return (await db.scalars(
        select(DfeCollection).where(DfeCollection.la_code == la_code, DfeCollection.share_date >= start,
                                    DfeCollection.share_date <= end)
        .order_by(DfeCollection.collected_at.desc()))).all()
