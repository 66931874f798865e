"""The returns service's tables: each return as generated and, once submitted, as submitted."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, String, UniqueConstraint, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import TimestampMixin, make_metadata, new_id


class Base(DeclarativeBase):
    metadata = make_metadata()


class LaReturn(TimestampMixin, Base):
    """One statutory return of one school to its LA for one period; regenerating replaces it until submitted."""

    __tablename__ = "la_return"
    __table_args__ = (UniqueConstraint("la_code", "school_urn", "kind", "period"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    la_code: Mapped[str] = mapped_column(String(10), index=True)
    school_urn: Mapped[str] = mapped_column(String(10), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    period: Mapped[str] = mapped_column(String(32))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    # due or submitted; "late" is stored once seen past the due date unsubmitted.
    status: Mapped[str] = mapped_column(String(12))
    content: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    row_count: Mapped[int] = mapped_column()
    generated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    submitted_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
