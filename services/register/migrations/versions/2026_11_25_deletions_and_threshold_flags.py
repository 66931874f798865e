"""Regulation 9 deletions, and the flags that make threshold events crossings only.

Revision ID: 79820ef6a591
Revises: 9532b215127e
Create Date: 2026-11-25 19:08:21.674516
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '79820ef6a591'
down_revision: str | None = '9532b215127e'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('pupil_deletion',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('pupil_id', sa.Uuid(), nullable=False),
    sa.Column('ground', sa.String(length=10), nullable=False),
    sa.Column('deletion_date', sa.Date(), nullable=False),
    sa.Column('details', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_name', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_position', sa.String(length=100), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['pupil_id'], ['pupil.id'], name=op.f('fk_pupil_deletion_pupil_id_pupil')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pupil_deletion'))
    )
    with op.batch_alter_table('pupil_deletion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pupil_deletion_pupil_id'), ['pupil_id'], unique=False)

    with op.batch_alter_table('pupil_tally', schema=None) as batch_op:
        batch_op.add_column(sa.Column('at_risk', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('penalty_threshold_met', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('continuous_unauthorised', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('illness_days_reached', sa.Boolean(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('pupil_tally', schema=None) as batch_op:
        batch_op.drop_column('illness_days_reached')
        batch_op.drop_column('continuous_unauthorised')
        batch_op.drop_column('penalty_threshold_met')
        batch_op.drop_column('at_risk')

    with op.batch_alter_table('pupil_deletion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pupil_deletion_pupil_id'))

    op.drop_table('pupil_deletion')
