"""The returns service's tables: each return as generated and, once submitted, as submitted; the schools'
expectations of long sickness the sickness return also rests on; and every collection of the DfE daily share."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Index, Integer, String, UniqueConstraint, Uuid, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import TimestampMixin, UtcDateTime, make_metadata, new_id
from shared.retention import RetentionRunColumns


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
    generated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    submitted_by: Mapped[str | None] = mapped_column(String(200), nullable=True)


class SicknessExpectation(Base):
    """A school's reasonable grounds to believe a pupil will miss 15 days through sickness (rules.md s8), which
    the register alone cannot show. A withdrawal keeps the row (who withdrew it and when)."""

    __tablename__ = "sickness_expectation"
    # One current expectation per period of sickness; a withdrawn one stays as history, and the school may then
    # record a corrected one for the same first day.
    __table_args__ = (Index("uq_sickness_expectation_current", "school_urn", "pupil_id", "sickness_start",
                            unique=True, postgresql_where=text("withdrawn_at IS NULL"),
                            sqlite_where=text("withdrawn_at IS NULL")),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    school_urn: Mapped[str] = mapped_column(String(10), index=True)
    la_code: Mapped[str] = mapped_column(String(10))
    pupil_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    # The first day of the period of sickness, and the day the pupil is expected back.
    sickness_start: Mapped[date] = mapped_column(Date)
    expected_return: Mapped[date] = mapped_column(Date)
    grounds: Mapped[str] = mapped_column(String(500))
    # Who, as the identity provider names them: the stable subject for the record, the name for people to read.
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_by_name: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    withdrawn_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    withdrawn_by_name: Mapped[str | None] = mapped_column(String(200), nullable=True)


class DfeCollection(Base):
    """One collection of the DfE daily share (rules.md s9): who took it, when, which schools, how many rows and
    the SHA-256 of exactly what was served, so the LA can show what left. No pupil data is kept here."""

    __tablename__ = "dfe_collection"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    collected_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    collected_by: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(20))  # api or file_drop
    collection: Mapped[str] = mapped_column(String(10))  # morning or afternoon
    share_date: Mapped[date] = mapped_column(Date)
    la_code: Mapped[str | None] = mapped_column(String(10), index=True)
    school_urns: Mapped[list[str]] = mapped_column(JSON)
    row_count: Mapped[int] = mapped_column(Integer)
    content_sha256: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(200))


class GovernorReportRecord(Base):
    """One school's governor report for one term of its own calendar, stored at the term's end by the termly
    schedule. Figures only (small groups suppressed), never a pupil; one per school and term."""

    __tablename__ = "governor_report"
    __table_args__ = (UniqueConstraint("school_urn", "academic_year", "term_name"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    school_urn: Mapped[str] = mapped_column(String(10), index=True)
    la_code: Mapped[str] = mapped_column(String(10), index=True)
    academic_year: Mapped[int] = mapped_column(Integer)
    term_name: Mapped[str] = mapped_column(String(50))
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date] = mapped_column(Date)
    produced_at: Mapped[datetime] = mapped_column(UtcDateTime())
    produced_by: Mapped[str] = mapped_column(String(200))
    report: Mapped[dict[str, Any]] = mapped_column(JSON)


class RetentionRun(RetentionRunColumns, Base):
    """One run of returns' retention job: the cut-off and what it removed (no pupil named)."""

    __tablename__ = "retention_run"
