"""What the guidance asks of every school and its LA, on the school: the attendance policy (address, review date,
required items covered), the senior attendance champion and the LA's named point of contact.

Revision ID: 7a1f3c2d9e40
Revises: 5b1e0c7d2f94
Create Date: 2026-12-07 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '7a1f3c2d9e40'
down_revision: str | None = '5b1e0c7d2f94'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ('attendance_policy_url', sa.String(length=2000)),
    ('attendance_policy_review_date', sa.Date()),
    ('attendance_policy_covers', sa.JSON()),
    ('attendance_policy_updated_at', sa.DateTime(timezone=True)),
    ('champion_name', sa.String(length=200)),
    ('champion_role', sa.String(length=200)),
    ('champion_email', sa.String(length=320)),
    ('la_contact_name', sa.String(length=200)),
    ('la_contact_email', sa.String(length=320)),
    ('la_contact_phone', sa.String(length=40)),
)


def upgrade() -> None:
    with op.batch_alter_table('school') as batch:
        for name, type_ in _COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('school') as batch:
        for name, _ in reversed(_COLUMNS):
            batch.drop_column(name)
