"""A parent's preferred language (ISO 639-1) and accessible format, for letters in their language and format.

Revision ID: 6b1f0c2d9e47
Revises: 7a1f3c2d9e40
Create Date: 2026-12-07 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '6b1f0c2d9e47'
down_revision: str | None = '7a1f3c2d9e40'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every contact recorded before this is taken as English in standard print, as letters were sent until now.
    with op.batch_alter_table('pupil_contact') as batch:
        batch.add_column(sa.Column('preferred_language', sa.String(length=2), nullable=False, server_default='en'))
        batch.add_column(sa.Column('accessible_format', sa.String(length=20), nullable=False,
                                   server_default='standard'))


def downgrade() -> None:
    with op.batch_alter_table('pupil_contact') as batch:
        batch.drop_column('accessible_format')
        batch.drop_column('preferred_language')
