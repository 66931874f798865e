"""Case file, timeline, received events, decision records and audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 19:05:10.893163
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_event',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_subject', sa.String(length=200), nullable=False),
    sa.Column('actor_name', sa.String(length=200), nullable=False),
    sa.Column('actor_role', sa.String(length=40), nullable=False),
    sa.Column('access', sa.String(length=10), nullable=False),
    sa.Column('what', sa.String(length=100), nullable=False),
    sa.Column('pupil_id', sa.Uuid(), nullable=True),
    sa.Column('school_urn', sa.String(length=20), nullable=True),
    sa.Column('la_code', sa.String(length=10), nullable=True),
    sa.Column('details', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_la_code'), ['la_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_occurred_at'), ['occurred_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_pupil_id'), ['pupil_id'], unique=False)

    op.create_table('case_file',
    sa.Column('pupil_id', sa.Uuid(), nullable=False),
    sa.Column('workflow_id', sa.String(length=80), nullable=False),
    sa.Column('school_urn', sa.String(length=20), nullable=False),
    sa.Column('la_code', sa.String(length=10), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('year_group', sa.String(length=10), nullable=False),
    sa.Column('flags', sa.JSON(), nullable=False),
    sa.Column('looked_after', sa.Boolean(), nullable=False),
    sa.Column('stage', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('state_version', sa.BigInteger(), nullable=False),
    sa.Column('lead_practitioner', sa.String(length=200), nullable=True),
    sa.Column('deadlines', sa.JSON(), nullable=False),
    sa.Column('next_deadline_date', sa.Date(), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_event_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_event_type', sa.String(length=60), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('pupil_id', name=op.f('pk_case_file'))
    )
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_file_la_code'), ['la_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_file_next_deadline_date'), ['next_deadline_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_file_school_urn'), ['school_urn'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_file_stage'), ['stage'], unique=False)

    op.create_table('decision_record',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('pupil_id', sa.Uuid(), nullable=False),
    sa.Column('legal_step', sa.String(length=60), nullable=False),
    sa.Column('support_offered', sa.Text(), nullable=False),
    sa.Column('support_taken_up', sa.Boolean(), nullable=False),
    sa.Column('send_or_health_needs', sa.Text(), nullable=False),
    sa.Column('safeguarding', sa.Text(), nullable=False),
    sa.Column('family_view', sa.Text(), nullable=False),
    sa.Column('adjustments', sa.Text(), nullable=False),
    sa.Column('partners_consulted', sa.JSON(), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_for_action', sa.String(length=60), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_record'))
    )
    with op.batch_alter_table('decision_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_record_pupil_id'), ['pupil_id'], unique=False)

    op.create_table('received_event',
    sa.Column('event_id', sa.Uuid(), nullable=False),
    sa.Column('pupil_id', sa.Uuid(), nullable=False),
    sa.Column('event_type', sa.String(length=60), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_received_event'))
    )
    with op.batch_alter_table('received_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_received_event_pupil_id'), ['pupil_id'], unique=False)

    op.create_table('timeline_entry',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('pupil_id', sa.Uuid(), nullable=False),
    sa.Column('entry_key', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_timeline_entry')),
    sa.UniqueConstraint('pupil_id', 'entry_key', name=op.f('uq_timeline_entry_pupil_id_entry_key'))
    )
    with op.batch_alter_table('timeline_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_timeline_entry_pupil_id'), ['pupil_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('timeline_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_timeline_entry_pupil_id'))

    op.drop_table('timeline_entry')
    with op.batch_alter_table('received_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_received_event_pupil_id'))

    op.drop_table('received_event')
    with op.batch_alter_table('decision_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_record_pupil_id'))

    op.drop_table('decision_record')
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_file_stage'))
        batch_op.drop_index(batch_op.f('ix_case_file_school_urn'))
        batch_op.drop_index(batch_op.f('ix_case_file_next_deadline_date'))
        batch_op.drop_index(batch_op.f('ix_case_file_la_code'))

    op.drop_table('case_file')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_pupil_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_occurred_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_la_code'))

    op.drop_table('audit_event')
