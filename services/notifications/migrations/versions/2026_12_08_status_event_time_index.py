"""An index on the time of each status event, for casework following the statuses that moved since it last looked.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08 01:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('notification_status_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_status_event_occurred_at'), ['occurred_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notification_status_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_status_event_occurred_at'))
