"""The la_return table: each statutory return, its due date, status and content.

Revision ID: c285ebbc0087
Revises:
Create Date: 2026-11-25 18:44:00.928663
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c285ebbc0087'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('la_return',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('la_code', sa.String(length=10), nullable=False),
    sa.Column('school_urn', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('period', sa.String(length=32), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('generated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('submitted_by', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_la_return')),
    sa.UniqueConstraint('la_code', 'school_urn', 'kind', 'period', name=op.f('uq_la_return_la_code_school_urn_kind_period'))
    )
    with op.batch_alter_table('la_return', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_la_return_la_code'), ['la_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_la_return_school_urn'), ['school_urn'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('la_return', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_la_return_school_urn'))
        batch_op.drop_index(batch_op.f('ix_la_return_la_code'))

    op.drop_table('la_return')
