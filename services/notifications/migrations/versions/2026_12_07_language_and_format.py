"""Each message records the language and format it went in, the recipient's preferred language, any format need
left to an officer, and whether its translation was checked.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: messages sent before this are not known to have been in any particular language or format.
    with op.batch_alter_table('notification') as batch:
        batch.add_column(sa.Column('language', sa.String(length=3), nullable=True))
        batch.add_column(sa.Column('preferred_language', sa.String(length=3), nullable=True))
        batch.add_column(sa.Column('accessible_format', sa.String(length=20), nullable=True))
        batch.add_column(sa.Column('format_for_officer', sa.String(length=20), nullable=True))
        batch.add_column(sa.Column('translation_reviewed', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('notification') as batch:
        batch.drop_column('translation_reviewed')
        batch.drop_column('format_for_officer')
        batch.drop_column('accessible_format')
        batch.drop_column('preferred_language')
        batch.drop_column('language')
