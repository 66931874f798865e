"""The retention_run table: each run of notifications' retention job, with its cut-offs and counts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07 06:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('retention_run',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('ran_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ran_by', sa.String(length=200), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('cutoffs', sa.JSON(), nullable=False),
    sa.Column('removed', sa.JSON(), nullable=False),
    sa.Column('limited_to_pupils', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_run')),
    )
    with op.batch_alter_table('retention_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retention_run_ran_at'), ['ran_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('retention_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retention_run_ran_at'))
    op.drop_table('retention_run')
