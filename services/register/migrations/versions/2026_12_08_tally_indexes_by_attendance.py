"""The LA's paged lists read in index order: the partial indexes on the tallies flagged persistently absent and
flagged at risk are keyed by academic year, attendance (attended over possible sessions, as a double) and pupil id
instead of academic year and school, so a page is the next lines of an index, not a sort of every flagged tally.

Revision ID: 5d2b9e7f4a10
Revises: 3f8a6c1d2e5b
Create Date: 2026-12-08 01:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '5d2b9e7f4a10'
down_revision: str | None = '3f8a6c1d2e5b'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Exactly as services.register.models.attendance_rate() is written, so the lists' ORDER BY matches the index.
ATTENDANCE_RATE = sa.text('(CAST(attended AS FLOAT) / NULLIF(possible, 0))')


def upgrade() -> None:
    op.drop_index('ix_pupil_tally_at_risk', table_name='pupil_tally')
    op.drop_index('ix_pupil_tally_persistent_absence', table_name='pupil_tally')
    # SQLite stores booleans as 0 and 1, and uses a partial index only when the query says the same words.
    op.create_index('ix_pupil_tally_persistent_by_attendance', 'pupil_tally',
                    ['academic_year', ATTENDANCE_RATE, 'pupil_id'],
                    postgresql_where=sa.text('persistent_absence'), sqlite_where=sa.text('persistent_absence = 1'))
    op.create_index('ix_pupil_tally_at_risk_by_attendance', 'pupil_tally',
                    ['academic_year', ATTENDANCE_RATE, 'pupil_id'],
                    postgresql_where=sa.text('at_risk'), sqlite_where=sa.text('at_risk = 1'))


def downgrade() -> None:
    op.drop_index('ix_pupil_tally_at_risk_by_attendance', table_name='pupil_tally')
    op.drop_index('ix_pupil_tally_persistent_by_attendance', table_name='pupil_tally')
    op.create_index('ix_pupil_tally_persistent_absence', 'pupil_tally', ['academic_year', 'school_urn'],
                    postgresql_where=sa.text('persistent_absence'), sqlite_where=sa.text('persistent_absence = 1'))
    op.create_index('ix_pupil_tally_at_risk', 'pupil_tally', ['academic_year', 'school_urn'],
                    postgresql_where=sa.text('at_risk'), sqlite_where=sa.text('at_risk = 1'))
