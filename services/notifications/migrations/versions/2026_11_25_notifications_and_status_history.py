"""Notifications and their status history.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("recipient_key", sa.String(length=80), nullable=False),
        sa.Column("pupil_id", sa.Uuid(), nullable=False),
        sa.Column("template", sa.String(length=100), nullable=False),
        sa.Column("template_version", sa.String(length=40), nullable=False),
        sa.Column("recipient_role", sa.String(length=40), nullable=False),
        sa.Column("recipient_name", sa.String(length=200), nullable=True),
        sa.Column("recipient_address", sa.String(length=500), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("failure_reason", sa.String(length=500), nullable=True),
        sa.Column("subject", sa.String(length=500), nullable=True),
        sa.Column("body_text", sa.Text(), nullable=True),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("escalates_id", sa.Uuid(), nullable=True),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("provider_reference", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
        # One intent reaches each recipient at most once: the idempotency guarantee lives here.
        sa.UniqueConstraint("idempotency_key", "recipient_key",
                            name=op.f("uq_notification_idempotency_key_recipient_key")),
    )
    op.create_index(op.f("ix_notification_pupil_id"), "notification", ["pupil_id"], unique=False)

    op.create_table(
        "notification_status_event",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("notification_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["notification_id"], ["notification.id"],
                                name=op.f("fk_notification_status_event_notification_id_notification"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_status_event")),
    )
    op.create_index(op.f("ix_notification_status_event_notification_id"), "notification_status_event",
                    ["notification_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_notification_status_event_notification_id"), table_name="notification_status_event")
    op.drop_table("notification_status_event")
    op.drop_index(op.f("ix_notification_pupil_id"), table_name="notification")
    op.drop_table("notification")
