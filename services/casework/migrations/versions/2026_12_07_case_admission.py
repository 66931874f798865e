"""The case file follows the child across admissions: the admissions a case continues, and its current one.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 08:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('case_admission',
    sa.Column('admission_pupil_id', sa.Uuid(), nullable=False),
    sa.Column('case_pupil_id', sa.Uuid(), nullable=False),
    sa.Column('school_urn', sa.String(length=20), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('left_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('admission_pupil_id', name=op.f('pk_case_admission'))
    )
    with op.batch_alter_table('case_admission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_admission_case_pupil_id'), ['case_pupil_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_admission_school_urn'), ['school_urn'], unique=False)

    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.add_column(sa.Column('admission_pupil_id', sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_column('admission_pupil_id')

    with op.batch_alter_table('case_admission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_admission_school_urn'))
        batch_op.drop_index(batch_op.f('ix_case_admission_case_pupil_id'))

    op.drop_table('case_admission')
