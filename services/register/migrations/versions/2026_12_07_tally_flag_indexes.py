"""Partial indexes on pupil_tally for the LA's paged lists: the tallies flagged persistently absent, and those
flagged at risk, by academic year and school. They name the flags, not the counters, so the counter updates every
session makes stay heap-only (migration b7e4d2a9c315); a flag changes only when a pupil crosses a threshold.

Revision ID: 3f8a6c1d2e5b
Revises: b7e4d2a9c315
Create Date: 2026-12-07 22:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '3f8a6c1d2e5b'
down_revision: str | None = 'b7e4d2a9c315'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite stores booleans as 0 and 1, and uses a partial index only when the query says the same words.
    op.create_index('ix_pupil_tally_persistent_absence', 'pupil_tally', ['academic_year', 'school_urn'],
                    postgresql_where=sa.text('persistent_absence'), sqlite_where=sa.text('persistent_absence = 1'))
    op.create_index('ix_pupil_tally_at_risk', 'pupil_tally', ['academic_year', 'school_urn'],
                    postgresql_where=sa.text('at_risk'), sqlite_where=sa.text('at_risk = 1'))


def downgrade() -> None:
    op.drop_index('ix_pupil_tally_at_risk', table_name='pupil_tally')
    op.drop_index('ix_pupil_tally_persistent_absence', table_name='pupil_tally')
