"""Settings common to every process: where the other services are, Temporal, authentication, data folder."""

from __future__ import annotations

import base64
import binascii
import re
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.requests import Request

DEVELOPMENT_SECRET = "development-only-secret-change-me-0123456789"
PAYLOAD_KEY_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class PlatformSettings(BaseSettings):
    """Values every service and the worker share, read from ATT_* environment variables."""

    # hide_input_in_errors: a validation error must not print secrets (keys, auth secret) into start-up logs.
    model_config = SettingsConfigDict(env_prefix="ATT_", extra="ignore", hide_input_in_errors=True)

    environment: Environment = Environment.DEVELOPMENT
    log_level: str = "INFO"
    data_dir: Path = Path("data")

    register_url: str = "http://127.0.0.1:8001"
    casework_url: str = "http://127.0.0.1:8000"
    notifications_url: str = "http://127.0.0.1:8002"
    returns_url: str = "http://127.0.0.1:8003"

    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    # Encryption of Temporal payloads (shared.temporal_codec): key id -> base64 of a 32-byte AES-256 key, as JSON,
    # e.g. ATT_TEMPORAL_PAYLOAD_KEYS='{"2026-01": "<base64>"}'; new payloads use ATT_TEMPORAL_PAYLOAD_KEY_ID.
    # Empty (the default, for development and tests) leaves payloads unencrypted. See deploy/README.md.
    temporal_payload_keys: dict[str, SecretStr] = Field(default_factory=dict)
    temporal_payload_key_id: str | None = None

    # Development tokens are HS256-signed with this secret; production validates OIDC tokens instead.
    auth_secret: str = DEVELOPMENT_SECRET
    # Secrets being rotated out: still accepted, never used to sign (deploy/README.md, "Rotating secrets").
    auth_previous_secrets: list[SecretStr] = Field(default_factory=list)
    oidc_issuer: str | None = None
    # People's tokens carry this audience; a service's token carries "<audience>:<receiving service>".
    oidc_audience: str = "attendance"
    # In production each process presents, to each service it calls, a client-credentials token issued for that
    # service's audience: a JSON map of receiving service -> token, e.g. {"register": "...", "casework": "..."}.
    service_tokens: dict[str, SecretStr] = Field(default_factory=dict)

    http_timeout_seconds: float = Field(default=10.0, gt=0)

    # Request bodies larger than this are refused with 413 before they are read (JSON bodies are small; the
    # largest, a whole school's session of marks, is well under it).
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    # File uploads (register's CSV imports): a 20,000-row MIS export is a few megabytes.
    max_upload_bytes: int = Field(default=8 * 1024 * 1024, ge=1024)

    @model_validator(mode="after")
    def _refuse_development_secret_in_production(self) -> PlatformSettings:
        if self.environment is Environment.PRODUCTION and self.oidc_issuer is None:
            raise ValueError("ATT_OIDC_ISSUER must be set in production")
        if self.environment is Environment.PRODUCTION and self.auth_secret == DEVELOPMENT_SECRET:
            raise ValueError("ATT_AUTH_SECRET must not be the development default in production")
        return self

    @model_validator(mode="after")
    def _check_temporal_payload_keys(self) -> PlatformSettings:
        # Checked here so a bad key stops the process at start-up, not at its first workflow call.
        self.temporal_payload_key_bytes()
        if self.temporal_payload_keys and self.temporal_payload_key_id is None:
            raise ValueError("ATT_TEMPORAL_PAYLOAD_KEY_ID must name the current key of ATT_TEMPORAL_PAYLOAD_KEYS")
        if self.temporal_payload_key_id is not None and self.temporal_payload_key_id not in self.temporal_payload_keys:
            # Not echoed, in case a key was put where its id belongs.
            raise ValueError("ATT_TEMPORAL_PAYLOAD_KEY_ID is not one of the key ids in ATT_TEMPORAL_PAYLOAD_KEYS")
        return self

    def temporal_payload_key_bytes(self) -> dict[str, bytes]:
        """The payload keys decoded; empty when payload encryption is off."""
        keys: dict[str, bytes] = {}
        for key_id, secret in self.temporal_payload_keys.items():
            if not PAYLOAD_KEY_ID.fullmatch(key_id):
                # Not echoed: a malformed id may be a key pasted in the wrong place.
                raise ValueError("ATT_TEMPORAL_PAYLOAD_KEYS: each key id must be 1-64 letters, digits, '.', '_' or '-'")
            try:
                key = base64.b64decode(secret.get_secret_value().strip(), validate=True)
            except binascii.Error:
                key = b""
            if len(key) != 32:
                raise ValueError(f"ATT_TEMPORAL_PAYLOAD_KEYS: key {key_id!r} must be the base64 of 32 random bytes")
            keys[key_id] = key
        return keys

    def sqlite_url(self, database_name: str) -> str:
        """The default embedded database of a service: a SQLite file in the data folder."""
        return f"sqlite+aiosqlite:///{(self.data_dir / f'{database_name}.db').as_posix()}"


@lru_cache
def get_platform_settings() -> PlatformSettings:
    return PlatformSettings()


async def app_platform_settings(request: Request) -> PlatformSettings:
    """The platform settings the app was created with (`app.state.platform_settings`), else the environment's. Kept
    on the app's state, not in `dependency_overrides`: any override makes FastAPI rebuild the dependencies of every
    route on every request, a fifth of a page's time. A coroutine, since FastAPI runs a plain function in a thread."""
    settings: PlatformSettings | None = getattr(request.app.state, "platform_settings", None)
    return settings if settings is not None else get_platform_settings()
