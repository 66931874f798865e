"""Alembic environment for notifications' own database (own version table)."""

from services.notifications.models import VERSION_TABLE, Base
from shared.db import run_alembic_environment

run_alembic_environment(Base.metadata, VERSION_TABLE)
