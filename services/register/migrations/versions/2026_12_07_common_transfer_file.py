"""Common Transfer File: prior attendance from a CTF's YearData, and where a leaving pupil went (the CTF's address).

Revision ID: e5b74ec15a33
Revises: 4d2c8e1b7a30
Create Date: 2026-12-07 06:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'e5b74ec15a33'
down_revision: str | None = '4d2c8e1b7a30'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('prior_attendance',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('pupil_id', sa.Uuid(), nullable=False),
    sa.Column('academic_year', sa.Integer(), nullable=False),
    sa.Column('la_code', sa.String(length=3), nullable=False),
    sa.Column('estab', sa.String(length=4), nullable=False),
    sa.Column('school_name', sa.String(length=200), nullable=True),
    sa.Column('sessions_possible', sa.Integer(), nullable=False),
    sa.Column('sessions_attended', sa.Integer(), nullable=False),
    sa.Column('sessions_authorised', sa.Integer(), nullable=False),
    sa.Column('sessions_unauthorised', sa.Integer(), nullable=False),
    sa.Column('attendance_start_date', sa.Date(), nullable=True),
    sa.Column('attendance_marks', sa.Text(), nullable=True),
    sa.Column('source_laestab', sa.String(length=7), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pupil_id'], ['pupil.id'], name=op.f('fk_prior_attendance_pupil_id_pupil')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prior_attendance'))
    )
    with op.batch_alter_table('prior_attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_prior_attendance_pupil_id'), ['pupil_id'], unique=False)
    with op.batch_alter_table('pupil_deletion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('new_school_urn', sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column('new_school_laestab', sa.String(length=7), nullable=True))
        batch_op.add_column(sa.Column('new_school_name', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('pupil_deletion', schema=None) as batch_op:
        batch_op.drop_column('new_school_name')
        batch_op.drop_column('new_school_laestab')
        batch_op.drop_column('new_school_urn')
    with op.batch_alter_table('prior_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prior_attendance_pupil_id'))
    op.drop_table('prior_attendance')
