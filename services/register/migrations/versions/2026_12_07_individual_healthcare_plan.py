"""Whether a pupil has an individual healthcare plan: their legal steps follow the adapted path (partners from
health consulted and adjustments recorded first).

Revision ID: 5b1e0c7d2f94
Revises: 00c96aeb7172
Create Date: 2026-12-07 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5b1e0c7d2f94'
down_revision: str | None = '00c96aeb7172'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('pupil') as batch:
        batch.add_column(sa.Column('individual_healthcare_plan', sa.Boolean(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('pupil') as batch:
        batch.drop_column('individual_healthcare_plan')
