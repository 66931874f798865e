"""The retention_run table (each run of the retention job, audited), and whether a school is independent
(the DfE daily share leaves independent schools out unless told otherwise).

Revision ID: cd59dda150c4
Revises: e5b74ec15a33
Create Date: 2026-12-07 06:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'cd59dda150c4'
down_revision: str | None = 'e5b74ec15a33'
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
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.add_column(sa.Column('independent', sa.Boolean(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.drop_column('independent')
    with op.batch_alter_table('retention_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retention_run_ran_at'))
    op.drop_table('retention_run')
