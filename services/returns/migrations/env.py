"""Alembic environment for returns's own database (own version table)."""

from services.returns.models import Base
from shared.db import run_alembic_environment

run_alembic_environment(Base.metadata, "alembic_version_returns")
