"""A deletion's destination: the new school (URN or name) or "unknown" (children missing education).

Revision ID: 00c96aeb7172
Revises: cd59dda150c4
Create Date: 2026-12-07 07:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '00c96aeb7172'
down_revision: str | None = 'cd59dda150c4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('pupil_deletion') as batch:
        batch.add_column(sa.Column('destination', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('pupil_deletion') as batch:
        batch.drop_column('destination')
