"""Severe absence on the case file (lists put these cases first) and the professionals who joined the case.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 06:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.add_column(sa.Column('severely_absent', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('participants', sa.JSON(), nullable=True))
    # Cases the journey had already moved to severe absence are severely absent; the journey's next projection
    # confirms or corrects it.
    op.execute("UPDATE case_file SET severely_absent = TRUE WHERE stage = 'severe_absence'")


def downgrade() -> None:
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_column('participants')
        batch_op.drop_column('severely_absent')
