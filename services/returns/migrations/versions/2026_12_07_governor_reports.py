"""The governor_report table: each school's governor report for each term of its calendar, stored at the term's
end (one per school and term).

Revision ID: 3c8e5a7b1f92
Revises: 4bc02d4daedf
Create Date: 2026-12-07 12:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '3c8e5a7b1f92'
down_revision: str | None = '4bc02d4daedf'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('governor_report',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('school_urn', sa.String(length=10), nullable=False),
    sa.Column('la_code', sa.String(length=10), nullable=False),
    sa.Column('academic_year', sa.Integer(), nullable=False),
    sa.Column('term_name', sa.String(length=50), nullable=False),
    sa.Column('term_start', sa.Date(), nullable=False),
    sa.Column('term_end', sa.Date(), nullable=False),
    sa.Column('produced_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('produced_by', sa.String(length=200), nullable=False),
    sa.Column('report', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_governor_report')),
    sa.UniqueConstraint('school_urn', 'academic_year', 'term_name',
                        name=op.f('uq_governor_report_school_urn_academic_year_term_name')),
    )
    with op.batch_alter_table('governor_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_governor_report_school_urn'), ['school_urn'], unique=False)
        batch_op.create_index(batch_op.f('ix_governor_report_la_code'), ['la_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('governor_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_governor_report_la_code'))
        batch_op.drop_index(batch_op.f('ix_governor_report_school_urn'))
    op.drop_table('governor_report')
