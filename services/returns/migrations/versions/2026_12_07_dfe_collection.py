"""The dfe_collection table: every collection of the DfE daily share (who, when, schools, rows, content hash).

Revision ID: 5eafa3241a43
Revises: 5b7e2c91d4a6
Create Date: 2026-12-07 06:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5eafa3241a43'
down_revision: str | None = '5b7e2c91d4a6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('dfe_collection',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('collected_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('collected_by', sa.String(length=200), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('collection', sa.String(length=10), nullable=False),
    sa.Column('share_date', sa.Date(), nullable=False),
    sa.Column('la_code', sa.String(length=10), nullable=True),
    sa.Column('school_urns', sa.JSON(), nullable=False),
    sa.Column('row_count', sa.Integer(), nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dfe_collection')),
    )
    with op.batch_alter_table('dfe_collection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dfe_collection_collected_at'), ['collected_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_dfe_collection_la_code'), ['la_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('dfe_collection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dfe_collection_la_code'))
        batch_op.drop_index(batch_op.f('ix_dfe_collection_collected_at'))
    op.drop_table('dfe_collection')
