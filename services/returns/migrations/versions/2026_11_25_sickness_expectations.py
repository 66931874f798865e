"""The sickness_expectation table: a school's grounds to believe a pupil will miss 15 days through sickness.

Revision ID: 5b7e2c91d4a6
Revises: c285ebbc0087
Create Date: 2026-11-25 21:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5b7e2c91d4a6'
down_revision: str | None = 'c285ebbc0087'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sickness_expectation',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('school_urn', sa.String(length=10), nullable=False),
    sa.Column('la_code', sa.String(length=10), nullable=False),
    sa.Column('pupil_id', sa.Uuid(), nullable=False),
    sa.Column('sickness_start', sa.Date(), nullable=False),
    sa.Column('expected_return', sa.Date(), nullable=False),
    sa.Column('grounds', sa.String(length=500), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_name', sa.String(length=200), nullable=False, server_default=''),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by', sa.String(length=200), nullable=True),
    sa.Column('withdrawn_by_name', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sickness_expectation')),
    )
    with op.batch_alter_table('sickness_expectation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sickness_expectation_school_urn'), ['school_urn'], unique=False)
    # Unique among expectations not withdrawn (a partial index: both PostgreSQL and SQLite have them).
    op.create_index('uq_sickness_expectation_current', 'sickness_expectation',
                    ['school_urn', 'pupil_id', 'sickness_start'], unique=True,
                    postgresql_where=sa.text('withdrawn_at IS NULL'), sqlite_where=sa.text('withdrawn_at IS NULL'))


def downgrade() -> None:
    op.drop_index('uq_sickness_expectation_current', table_name='sickness_expectation')
    with op.batch_alter_table('sickness_expectation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sickness_expectation_school_urn'))

    op.drop_table('sickness_expectation')
