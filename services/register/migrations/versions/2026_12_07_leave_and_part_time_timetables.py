"""Leave of absence requests (reg 11) and temporary part-time timetables (C2).

Revision ID: 4d2c8e1b7a30
Revises: 79820ef6a591
Create Date: 2026-12-07 06:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '4d2c8e1b7a30'
down_revision: str | None = '79820ef6a591'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('leave_request',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('pupil_id', sa.Uuid(), nullable=False),
    sa.Column('school_urn', sa.String(length=6), nullable=False),
    sa.Column('ground', sa.String(length=60), nullable=False),
    sa.Column('code', sa.String(length=2), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('start_session', sa.String(length=2), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('end_session', sa.String(length=2), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('requested_by', sa.String(length=20), nullable=False),
    sa.Column('requester_name', sa.String(length=200), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_name', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_position', sa.String(length=100), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_by_name', sa.String(length=200), nullable=True),
    sa.Column('decided_by_position', sa.String(length=100), nullable=True),
    sa.Column('decision_notes', sa.Text(), nullable=True),
    sa.Column('taken_reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['pupil_id'], ['pupil.id'], name=op.f('fk_leave_request_pupil_id_pupil')),
    sa.ForeignKeyConstraint(['school_urn'], ['school.urn'], name=op.f('fk_leave_request_school_urn_school')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leave_request'))
    )
    with op.batch_alter_table('leave_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leave_request_pupil_id'), ['pupil_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_leave_request_school_urn'), ['school_urn'], unique=False)

    op.create_table('part_time_timetable',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('pupil_id', sa.Uuid(), nullable=False),
    sa.Column('school_urn', sa.String(length=6), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('review_date', sa.Date(), nullable=False),
    sa.Column('agreed_times', sa.Text(), nullable=False),
    sa.Column('absent_sessions', sa.JSON(), nullable=False),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.Column('parent_name', sa.String(length=200), nullable=False),
    sa.Column('parent_agreed_on', sa.Date(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_name', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_position', sa.String(length=100), nullable=False),
    sa.Column('last_reviewed_on', sa.Date(), nullable=True),
    sa.Column('review_notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['pupil_id'], ['pupil.id'], name=op.f('fk_part_time_timetable_pupil_id_pupil')),
    sa.ForeignKeyConstraint(['school_urn'], ['school.urn'], name=op.f('fk_part_time_timetable_school_urn_school')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_part_time_timetable'))
    )
    with op.batch_alter_table('part_time_timetable', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_part_time_timetable_pupil_id'), ['pupil_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_part_time_timetable_school_urn'), ['school_urn'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('part_time_timetable', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_part_time_timetable_school_urn'))
        batch_op.drop_index(batch_op.f('ix_part_time_timetable_pupil_id'))
    op.drop_table('part_time_timetable')

    with op.batch_alter_table('leave_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leave_request_school_urn'))
        batch_op.drop_index(batch_op.f('ix_leave_request_pupil_id'))
    op.drop_table('leave_request')
