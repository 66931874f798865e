"""Leave room in pupil_tally's pages (PostgreSQL fillfactor 75) so that the counter updates every session makes
to every pupil's tally are heap-only (HOT): the new row version stays on its page and neither index is touched.
The table's columns and indexes are unchanged; SQLite has no such setting.

Revision ID: b7e4d2a9c315
Revises: 8c3d5e7f9a12
Create Date: 2026-12-07 19:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = 'b7e4d2a9c315'
down_revision: str | None = '8c3d5e7f9a12'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        # Pages written from now on keep a quarter free; full pages gain room as their old versions are pruned.
        op.execute('ALTER TABLE pupil_tally SET (fillfactor = 75)')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE pupil_tally RESET (fillfactor)')
