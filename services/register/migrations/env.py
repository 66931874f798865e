"""Alembic environment for register's own database (own version table)."""

from services.register.models import Base
from shared.db import run_alembic_environment

run_alembic_environment(Base.metadata, "alembic_version_register")
