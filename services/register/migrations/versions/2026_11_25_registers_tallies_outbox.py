"""Admission and attendance registers, school calendar, pupil tallies and the outbox.

Revision ID: 9532b215127e
Revises:
Create Date: 2026-11-25 18:42:44.240903
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '9532b215127e'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('local_authority',
    sa.Column('code', sa.String(length=3), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('virtual_school_head_name', sa.String(length=200), nullable=True),
    sa.Column('virtual_school_head_email', sa.String(length=320), nullable=True),
    sa.Column('virtual_school_head_phone', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_local_authority'))
    )
    op.create_table('outbox_event',
    sa.Column('sequence', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('event_type', sa.String(length=50), nullable=False),
    sa.Column('pupil_id', sa.Uuid(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('sequence', name=op.f('pk_outbox_event')),
    sa.UniqueConstraint('id', name=op.f('uq_outbox_event_id'))
    )
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_event_pupil_id'), ['pupil_id'], unique=False)
        batch_op.create_index('ix_outbox_event_undelivered', ['delivered_at', 'sequence'], unique=False)

    op.create_table('school',
    sa.Column('urn', sa.String(length=6), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('phase', sa.String(length=20), nullable=False),
    sa.Column('la_code', sa.String(length=3), nullable=False),
    sa.Column('estab', sa.String(length=4), nullable=False),
    sa.Column('am_register_opens', sa.Time(), nullable=False),
    sa.Column('am_register_closes', sa.Time(), nullable=False),
    sa.Column('pm_register_opens', sa.Time(), nullable=False),
    sa.Column('pm_register_closes', sa.Time(), nullable=False),
    sa.Column('attendance_lead_name', sa.String(length=200), nullable=True),
    sa.Column('attendance_lead_email', sa.String(length=320), nullable=True),
    sa.Column('attendance_lead_phone', sa.String(length=40), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('am_register_closes > am_register_opens', name=op.f('ck_school_am_register_window')),
    sa.CheckConstraint('pm_register_closes > pm_register_opens', name=op.f('ck_school_pm_register_window')),
    sa.ForeignKeyConstraint(['la_code'], ['local_authority.code'], name=op.f('fk_school_la_code_local_authority')),
    sa.PrimaryKeyConstraint('urn', name=op.f('pk_school'))
    )
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_la_code'), ['la_code'], unique=False)

    op.create_table('pupil',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('school_urn', sa.String(length=6), nullable=False),
    sa.Column('upn', sa.String(length=13), nullable=False),
    sa.Column('legal_forename', sa.String(length=100), nullable=False),
    sa.Column('legal_middle_names', sa.String(length=200), nullable=True),
    sa.Column('legal_surname', sa.String(length=100), nullable=False),
    sa.Column('preferred_forename', sa.String(length=100), nullable=True),
    sa.Column('preferred_surname', sa.String(length=100), nullable=True),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('year_group', sa.String(length=3), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=True),
    sa.Column('admission_date', sa.Date(), nullable=False),
    sa.Column('previous_school', sa.String(length=200), nullable=True),
    sa.Column('boarder', sa.Boolean(), nullable=False),
    sa.Column('gp_details', sa.Text(), nullable=True),
    sa.Column('on_roll', sa.Boolean(), nullable=False),
    sa.Column('leaving_date', sa.Date(), nullable=True),
    sa.Column('fsm', sa.Boolean(), nullable=False),
    sa.Column('pupil_premium', sa.Boolean(), nullable=False),
    sa.Column('sen_support', sa.Boolean(), nullable=False),
    sa.Column('ehcp', sa.Boolean(), nullable=False),
    sa.Column('looked_after', sa.Boolean(), nullable=False),
    sa.Column('previously_looked_after', sa.Boolean(), nullable=False),
    sa.Column('child_in_need', sa.Boolean(), nullable=False),
    sa.Column('child_protection_plan', sa.Boolean(), nullable=False),
    sa.Column('young_carer', sa.Boolean(), nullable=False),
    sa.Column('ethnicity', sa.String(length=4), nullable=True),
    sa.Column('eal', sa.Boolean(), nullable=False),
    sa.Column('medical_condition', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['school_urn'], ['school.urn'], name=op.f('fk_pupil_school_urn_school')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pupil'))
    )
    with op.batch_alter_table('pupil', schema=None) as batch_op:
        batch_op.create_index('ix_pupil_school_urn_on_roll', ['school_urn', 'on_roll'], unique=False)
        batch_op.create_index(batch_op.f('ix_pupil_upn'), ['upn'], unique=False)

    op.create_table('school_closure',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('school_urn', sa.String(length=6), nullable=False),
    sa.Column('closure_date', sa.Date(), nullable=False),
    sa.Column('session', sa.String(length=2), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['school_urn'], ['school.urn'], name=op.f('fk_school_closure_school_urn_school')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_closure')),
    sa.UniqueConstraint('school_urn', 'closure_date', 'session', name=op.f('uq_school_closure_school_urn_closure_date_session'))
    )
    with op.batch_alter_table('school_closure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_closure_school_urn'), ['school_urn'], unique=False)

    op.create_table('school_term',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('school_urn', sa.String(length=6), nullable=False),
    sa.Column('academic_year', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('half_term_start', sa.Date(), nullable=True),
    sa.Column('half_term_end', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['school_urn'], ['school.urn'], name=op.f('fk_school_term_school_urn_school')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_term')),
    sa.UniqueConstraint('school_urn', 'start_date', name=op.f('uq_school_term_school_urn_start_date'))
    )
    with op.batch_alter_table('school_term', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_term_school_urn'), ['school_urn'], unique=False)

    op.create_table('attendance_mark',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('pupil_id', sa.Uuid(), nullable=False),
    sa.Column('school_urn', sa.String(length=6), nullable=False),
    sa.Column('session_date', sa.Date(), nullable=False),
    sa.Column('session', sa.String(length=2), nullable=False),
    sa.Column('code', sa.String(length=2), nullable=False),
    sa.Column('minutes_late', sa.Integer(), nullable=True),
    sa.Column('recorded_by_name', sa.String(length=200), nullable=False),
    sa.Column('recorded_by_role', sa.String(length=100), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('amendment_count', sa.Integer(), nullable=False),
    sa.CheckConstraint("session IN ('AM', 'PM')", name=op.f('ck_attendance_mark_session_name')),
    sa.ForeignKeyConstraint(['pupil_id'], ['pupil.id'], name=op.f('fk_attendance_mark_pupil_id_pupil')),
    sa.ForeignKeyConstraint(['school_urn'], ['school.urn'], name=op.f('fk_attendance_mark_school_urn_school')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance_mark')),
    sa.UniqueConstraint('pupil_id', 'session_date', 'session', name=op.f('uq_attendance_mark_pupil_id_session_date_session'))
    )
    with op.batch_alter_table('attendance_mark', schema=None) as batch_op:
        batch_op.create_index('ix_attendance_mark_school_session', ['school_urn', 'session_date', 'session'], unique=False)

    op.create_table('pupil_contact',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('pupil_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('relationship', sa.String(length=100), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('parental_responsibility', sa.Boolean(), nullable=False),
    sa.Column('lives_with_pupil', sa.Boolean(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['pupil_id'], ['pupil.id'], name=op.f('fk_pupil_contact_pupil_id_pupil')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pupil_contact'))
    )
    with op.batch_alter_table('pupil_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pupil_contact_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_pupil_contact_pupil_id'), ['pupil_id'], unique=False)

    op.create_table('pupil_tally',
    sa.Column('pupil_id', sa.Uuid(), nullable=False),
    sa.Column('academic_year', sa.Integer(), nullable=False),
    sa.Column('school_urn', sa.String(length=6), nullable=False),
    sa.Column('possible', sa.Integer(), nullable=False),
    sa.Column('attended', sa.Integer(), nullable=False),
    sa.Column('authorised', sa.Integer(), nullable=False),
    sa.Column('unauthorised', sa.Integer(), nullable=False),
    sa.Column('not_counted', sa.Integer(), nullable=False),
    sa.Column('illness', sa.Integer(), nullable=False),
    sa.Column('not_established', sa.Integer(), nullable=False),
    sa.Column('persistent_absence', sa.Boolean(), nullable=False),
    sa.Column('severe_absence', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['pupil_id'], ['pupil.id'], name=op.f('fk_pupil_tally_pupil_id_pupil')),
    sa.ForeignKeyConstraint(['school_urn'], ['school.urn'], name=op.f('fk_pupil_tally_school_urn_school')),
    sa.PrimaryKeyConstraint('pupil_id', 'academic_year', name=op.f('pk_pupil_tally'))
    )
    with op.batch_alter_table('pupil_tally', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pupil_tally_school_urn'), ['school_urn'], unique=False)

    op.create_table('mark_amendment',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('mark_id', sa.Uuid(), nullable=False),
    sa.Column('original_code', sa.String(length=2), nullable=False),
    sa.Column('original_minutes_late', sa.Integer(), nullable=True),
    sa.Column('new_code', sa.String(length=2), nullable=False),
    sa.Column('new_minutes_late', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('amended_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('amended_by_name', sa.String(length=200), nullable=False),
    sa.Column('amended_by_position', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['mark_id'], ['attendance_mark.id'], name=op.f('fk_mark_amendment_mark_id_attendance_mark')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mark_amendment'))
    )
    with op.batch_alter_table('mark_amendment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mark_amendment_mark_id'), ['mark_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('mark_amendment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mark_amendment_mark_id'))

    op.drop_table('mark_amendment')
    with op.batch_alter_table('pupil_tally', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pupil_tally_school_urn'))

    op.drop_table('pupil_tally')
    with op.batch_alter_table('pupil_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pupil_contact_pupil_id'))
        batch_op.drop_index(batch_op.f('ix_pupil_contact_email'))

    op.drop_table('pupil_contact')
    with op.batch_alter_table('attendance_mark', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_mark_school_session')

    op.drop_table('attendance_mark')
    with op.batch_alter_table('school_term', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_school_term_school_urn'))

    op.drop_table('school_term')
    with op.batch_alter_table('school_closure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_school_closure_school_urn'))

    op.drop_table('school_closure')
    with op.batch_alter_table('pupil', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pupil_upn'))
        batch_op.drop_index('ix_pupil_school_urn_on_roll')

    op.drop_table('pupil')
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_school_la_code'))

    op.drop_table('school')
    with op.batch_alter_table('outbox_event', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_event_undelivered')
        batch_op.drop_index(batch_op.f('ix_outbox_event_pupil_id'))

    op.drop_table('outbox_event')
    op.drop_table('local_authority')
