"""Moments go into the database in UTC and come back with their zone, on SQLite as on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Integer
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import UtcDateTime, create_engine, make_metadata, session_factory
from tests.support.databases import DatabaseFactory

pytestmark = pytest.mark.services


class Base(DeclarativeBase):
    metadata = make_metadata()


class Moment(Base):
    __tablename__ = "moment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())


async def test_moments_come_back_in_utc_with_their_zone(databases: DatabaseFactory) -> None:
    engine = create_engine(databases.create("utc_datetime"))
    try:
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        british_summer_time = timezone(timedelta(hours=1))
        written = datetime(2026, 6, 15, 23, 30, tzinfo=british_summer_time)
        async with session_factory(engine)() as session, session.begin():
            session.add(Moment(id=1, at=written))
        async with session_factory(engine)() as session:
            read = (await session.get(Moment, 1))
            assert read is not None
            assert read.at.tzinfo is not None
            assert read.at == written
            assert read.at.astimezone(UTC).hour == 22
    finally:
        await engine.dispose()
