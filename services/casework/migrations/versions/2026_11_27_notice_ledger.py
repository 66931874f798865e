"""The notice ledger (every penalty notice per parent per child) and the child's identity on the case file.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('notice_ledger_entry',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('notice_id', sa.String(length=80), nullable=False),
    sa.Column('child_key', sa.String(length=80), nullable=False),
    sa.Column('upn', sa.String(length=13), nullable=True),
    sa.Column('la_pupil_ref', sa.String(length=40), nullable=True),
    sa.Column('parent', sa.String(length=40), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('issuing_body', sa.String(length=100), nullable=False),
    sa.Column('school_urn', sa.String(length=20), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('workflow_id', sa.String(length=80), nullable=True),
    sa.Column('pupil_id', sa.Uuid(), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_ledger_entry')),
    sa.UniqueConstraint('pupil_id', 'notice_id', name=op.f('uq_notice_ledger_entry_pupil_id_notice_id'))
    )
    with op.batch_alter_table('notice_ledger_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notice_ledger_entry_child_key'), ['child_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_notice_ledger_entry_pupil_id'), ['pupil_id'], unique=False)

    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.add_column(sa.Column('upn', sa.String(length=13), nullable=True))
        batch_op.add_column(sa.Column('la_pupil_ref', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('child_key', sa.String(length=80), nullable=True))
        batch_op.create_index(batch_op.f('ix_case_file_child_key'), ['child_key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_file_child_key'))
        batch_op.drop_column('child_key')
        batch_op.drop_column('la_pupil_ref')
        batch_op.drop_column('upn')

    with op.batch_alter_table('notice_ledger_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notice_ledger_entry_pupil_id'))
        batch_op.drop_index(batch_op.f('ix_notice_ledger_entry_child_key'))

    op.drop_table('notice_ledger_entry')
