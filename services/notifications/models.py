"""The notifications service's tables: one row per message to one recipient, and its status history."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.db import TimestampMixin, UtcDateTime, make_metadata, new_id, utcnow
from shared.retention import RetentionRunColumns

# Each service keeps its own Alembic version table, so services may share one database server.
VERSION_TABLE = "alembic_version_notifications"


class Base(DeclarativeBase):
    metadata = make_metadata()


class Notification(TimestampMixin, Base):
    """One message to one recipient, exactly as rendered, so the case shows what was sent."""

    __tablename__ = "notification"
    # One intent (idempotency key) may reach several recipients (each parent, an escalation), but each
    # recipient at most once: this constraint is what makes repeated and concurrent requests harmless.
    __table_args__ = (UniqueConstraint("idempotency_key", "recipient_key"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    idempotency_key: Mapped[str] = mapped_column(String(200))
    recipient_key: Mapped[str] = mapped_column(String(80))
    pupil_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    template: Mapped[str] = mapped_column(String(100))
    template_version: Mapped[str] = mapped_column(String(40))
    recipient_role: Mapped[str] = mapped_column(String(40))
    recipient_name: Mapped[str | None] = mapped_column(String(200))
    recipient_address: Mapped[str | None] = mapped_column(String(500))
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    failure_reason: Mapped[str | None] = mapped_column(String(500))
    subject: Mapped[str | None] = mapped_column(String(500))
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Set on an escalation: the notification whose recipient could not be reached.
    escalates_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # A delivery attempt holds this claim; a claim past its time belongs to a process that died.
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    provider_reference: Mapped[str | None] = mapped_column(String(200))
    # What the message went in: its language (ISO 639-1; a translation carries the English copy) and format
    # (standard, large_print), beside the recipient's preferred language and any format need left to an officer
    # (easy_read, braille, audio), so the record shows whether the parent's needs were met.
    language: Mapped[str | None] = mapped_column(String(3))
    preferred_language: Mapped[str | None] = mapped_column(String(3))
    accessible_format: Mapped[str | None] = mapped_column(String(20))
    format_for_officer: Mapped[str | None] = mapped_column(String(20))
    translation_reviewed: Mapped[bool | None] = mapped_column(Boolean)


class NotificationStatusEvent(Base):
    """One step of a notification's history: queued, sent, delivered or failed (with the reason)."""

    __tablename__ = "notification_status_event"

    # An integer key keeps the history in the order it happened, even within one transaction.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    notification_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notification.id", ondelete="CASCADE"),
                                                       index=True)
    status: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(String(500))
    # Indexed for casework, which follows the statuses that moved since it last looked (GET /internal/status-changes).
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)


class RetentionRun(RetentionRunColumns, Base):
    """One run of notifications' retention job: the cut-off and what it removed (no recipient named)."""

    __tablename__ = "retention_run"
