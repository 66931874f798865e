"""Settings common to every process: where the other services are, Temporal, authentication, data folder."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "development-only-secret-change-me-0123456789"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class PlatformSettings(BaseSettings):
    """Values every service and the worker share, read from ATT_* environment variables."""

    model_config = SettingsConfigDict(env_prefix="ATT_", extra="ignore")

    environment: Environment = Environment.DEVELOPMENT
    log_level: str = "INFO"
    data_dir: Path = Path("data")

    register_url: str = "http://127.0.0.1:8001"
    casework_url: str = "http://127.0.0.1:8000"
    notifications_url: str = "http://127.0.0.1:8002"
    returns_url: str = "http://127.0.0.1:8003"

    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"

    # Development tokens are HS256-signed with this secret; production validates OIDC tokens instead.
    auth_secret: str = DEVELOPMENT_SECRET
    oidc_issuer: str | None = None
    oidc_audience: str = "attendance"
    # In production the services present a client-credentials token obtained from the identity provider.
    service_token: str | None = None

    http_timeout_seconds: float = Field(default=10.0, gt=0)

    @model_validator(mode="after")
    def _refuse_development_secret_in_production(self) -> PlatformSettings:
        if self.environment is Environment.PRODUCTION and self.oidc_issuer is None:
            raise ValueError("ATT_OIDC_ISSUER must be set in production")
        if self.environment is Environment.PRODUCTION and self.auth_secret == DEVELOPMENT_SECRET:
            raise ValueError("ATT_AUTH_SECRET must not be the development default in production")
        return self

    def sqlite_url(self, database_name: str) -> str:
        """The default embedded database of a service: a SQLite file in the data folder."""
        return f"sqlite+aiosqlite:///{(self.data_dir / f'{database_name}.db').as_posix()}"


@lru_cache
def get_platform_settings() -> PlatformSettings:
    return PlatformSettings()
