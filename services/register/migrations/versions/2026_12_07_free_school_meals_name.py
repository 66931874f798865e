"""The pupil's free school meals flag is named as the glossary names it: free_school_meals (was fsm).

Revision ID: 8c3d5e7f9a12
Revises: 6b1f0c2d9e47
Create Date: 2026-12-07 15:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '8c3d5e7f9a12'
down_revision: str | None = '6b1f0c2d9e47'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('pupil') as batch_op:
        batch_op.alter_column('fsm', new_column_name='free_school_meals')


def downgrade() -> None:
    with op.batch_alter_table('pupil') as batch_op:
        batch_op.alter_column('free_school_meals', new_column_name='fsm')
