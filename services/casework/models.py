"""Casework's tables: the case file per pupil journey, its timeline, received events, the audit log and the notice
ledger."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, String, Text, UniqueConstraint, Uuid, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import TimestampMixin, UtcDateTime, make_metadata, new_id, utcnow
from shared.retention import RetentionRunColumns


class Base(DeclarativeBase):
    metadata = make_metadata()


class CaseFile(TimestampMixin, Base):
    """One row per pupil journey: who the pupil is (names stay here, never in Temporal) and the journey's
    latest projected state."""

    __tablename__ = "case_file"

    pupil_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    workflow_id: Mapped[str] = mapped_column(String(80))
    school_urn: Mapped[str] = mapped_column(String(20), index=True)
    la_code: Mapped[str] = mapped_column(String(10), index=True)
    display_name: Mapped[str] = mapped_column(String(200))
    year_group: Mapped[str] = mapped_column(String(10))
    flags: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    looked_after: Mapped[bool] = mapped_column(Boolean, default=False)
    stage: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(40))
    # The journey starts versions at seconds since 2020, so successive journeys keep growing: 64-bit.
    state_version: Mapped[int] = mapped_column(BigInteger, default=0)
    lead_practitioner: Mapped[str | None] = mapped_column(String(200))
    deadlines: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    next_deadline_date: Mapped[date | None] = mapped_column(Date, index=True)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_event_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_event_type: Mapped[str | None] = mapped_column(String(60))
    # Who the child is across admissions and schools (service/children.py): the UPN when register has told us,
    # else an LA pupil identity, else this pupil id. Never leaves casework's database.
    upn: Mapped[str | None] = mapped_column(String(13))
    la_pupil_ref: Mapped[str | None] = mapped_column(String(40))
    child_key: Mapped[str | None] = mapped_column(String(80), index=True)
    # The admission the pupil is on now, when the case followed them from an earlier one (service/transfers.py);
    # None while it is the admission the case was opened for. Register's figures and contacts are this one's.
    admission_pupil_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # Severe absence (register's facts, confirmed by the journey): lists put these cases first.
    severely_absent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Professionals who joined the case (the LA's named contact for a severely absent pupil), as the journey says.
    participants: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=list)

    @property
    def register_pupil_id(self) -> uuid.UUID:
        """The pupil id register knows the pupil by today."""
        return self.admission_pupil_id or self.pupil_id


class CaseAdmission(Base):
    """An admission register entry the case file follows: the one it was opened for, and each later admission of
    the same child in the LA (same UPN) that continued it. A school keeps read-only access to the case up to the
    moment the pupil's case moved on from it (`left_at`)."""

    __tablename__ = "case_admission"

    admission_pupil_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    case_pupil_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    school_urn: Mapped[str] = mapped_column(String(20), index=True)
    joined_at: Mapped[datetime] = mapped_column(UtcDateTime())
    left_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ReceivedEvent(Base):
    """Every register event once, under its own id, so a re-delivery is recognised."""

    __tablename__ = "received_event"

    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    pupil_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    event_type: Mapped[str] = mapped_column(String(60))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class TimelineEntry(Base):
    """One line of a case's history; entry_key makes a repeated write insert nothing."""

    __tablename__ = "timeline_entry"
    __table_args__ = (UniqueConstraint("pupil_id", "entry_key"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    pupil_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    entry_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(60))
    title: Mapped[str] = mapped_column(String(300))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())
    actor: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class AuditEvent(Base):
    """Who read or changed which pupil's record, and when (queried by the LA's data protection lead)."""

    __tablename__ = "audit_event"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    actor_subject: Mapped[str] = mapped_column(String(200))
    actor_name: Mapped[str] = mapped_column(String(200))
    actor_role: Mapped[str] = mapped_column(String(40))
    access: Mapped[str] = mapped_column(String(10))  # "read" or "write"
    what: Mapped[str] = mapped_column(String(100))
    pupil_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)
    school_urn: Mapped[str | None] = mapped_column(String(20))
    la_code: Mapped[str | None] = mapped_column(String(10), index=True)
    details: Mapped[str | None] = mapped_column(Text)


class DecisionRecord(Base):
    """The factors an officer weighed before a legal step, as sent to the journey (whose validator refuses a
    legal step without one); kept here for the case file and the evidence bundle."""

    __tablename__ = "decision_record"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    pupil_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    legal_step: Mapped[str] = mapped_column(String(60))
    support_offered: Mapped[str] = mapped_column(Text)
    support_taken_up: Mapped[bool] = mapped_column(Boolean)
    send_or_health_needs: Mapped[str] = mapped_column(Text)
    safeguarding: Mapped[str] = mapped_column(Text)
    family_view: Mapped[str] = mapped_column(Text)
    adjustments: Mapped[str] = mapped_column(Text, default="")
    partners_consulted: Mapped[list[str]] = mapped_column(JSON, default=list)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    used_for_action: Mapped[str | None] = mapped_column(String(60))


class NoticeLedgerEntry(TimestampMixin, Base):
    """Every penalty notice per parent per child, outliving journeys, admissions and schools: the journey's own
    notices (from its projections) and those an officer recorded from another LA. The limit per parent per child
    (rules.md s.11) is checked against these when the next notice is issued."""

    __tablename__ = "notice_ledger_entry"
    # A journey numbers its notices itself (pn-1, pn-2), so a notice id is unique only within its pupil's case.
    __table_args__ = (UniqueConstraint("pupil_id", "notice_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    notice_id: Mapped[str] = mapped_column(String(80))
    child_key: Mapped[str] = mapped_column(String(80), index=True)
    upn: Mapped[str | None] = mapped_column(String(13))
    la_pupil_ref: Mapped[str | None] = mapped_column(String(40))
    parent: Mapped[str] = mapped_column(String(40))
    issued_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20))  # issued, paid, unpaid, withdrawn, prosecuted
    # The LA code (or the other LA's name) and the school, where known.
    issuing_body: Mapped[str] = mapped_column(String(100))
    school_urn: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))  # journey, other_la
    workflow_id: Mapped[str | None] = mapped_column(String(80))
    # The admission on whose case file it was issued or recorded.
    pupil_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    recorded_by: Mapped[str | None] = mapped_column(String(200))


class RetentionRun(RetentionRunColumns, Base):
    """One run of casework's retention job: the cut-offs and what it removed (no pupil named)."""

    __tablename__ = "retention_run"


class CaseView(Base):
    """The case page's parts from other services (register's figures, marks and contacts, notifications' messages,
    the journey's view), kept per case so that reading a case is one indexed read (service/case_view.py). Casework's
    own tables (timeline, decisions, notices, admissions) are read live beside it; this row only saves the calls."""

    __tablename__ = "case_view"

    pupil_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    # CaseViewParts as JSON; None until first built.
    parts: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The case file's state_version the parts were built at.
    state_version: Mapped[int] = mapped_column(BigInteger, default=0)
    refreshed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Something changed upstream since the parts were built (the journey's projection, a register event).
    stale: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    # Counts the changes marked; a rebuild clears `stale` only if no change was marked while it was reading.
    changes: Mapped[int] = mapped_column(BigInteger, default=0)
