"""The case view: each case's parts from other services, kept so that reading a case page is one indexed read.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 16:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # No rows: each case's view is built on its first read (or by the background refresh once marked stale).
    op.create_table(
        'case_view',
        sa.Column('pupil_id', sa.Uuid(), nullable=False),
        sa.Column('parts', sa.JSON(), nullable=True),
        sa.Column('state_version', sa.BigInteger(), nullable=False),
        sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('stale', sa.Boolean(), nullable=False),
        sa.Column('changes', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('pupil_id', name=op.f('pk_case_view')),
    )
    with op.batch_alter_table('case_view', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_view_stale'), ['stale'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_view', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_view_stale'))
    op.drop_table('case_view')
