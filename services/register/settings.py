"""Register settings (REGISTER_* environment variables); local-practice values default as rules.md says."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.settings import PlatformSettings


class RegisterSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REGISTER_", extra="ignore")

    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8001

    # Transactional outbox relay to casework.
    outbox_relay_enabled: bool = True
    outbox_poll_interval_seconds: float = Field(default=0.5, gt=0)
    outbox_batch_size: int = Field(default=50, ge=1, le=1000)
    outbox_max_backoff_seconds: float = Field(default=30.0, gt=0)
    outbox_lease_seconds: float = Field(default=30.0, gt=0)

    # Synthetic demo data, seeded once when the database has no school.
    seed_demo: bool = False
    demo_seed: int = 20260903

    # Local practice (rules.md section 5, Norfolk toolkit): green at or above, red at or below.
    band_green_min_percent: int = 96
    band_red_max_percent: int = 90
    # rules.md section 11: unauthorised sessions in 10 school weeks that meet the penalty threshold.
    penalty_threshold_sessions: int = 10
    # N must be resolved within 5 school days (rules.md section 3).
    unresolved_n_school_days: int = 5
    # Local practice: PA/SA crossings wait for this many possible sessions in the year (one absence on the
    # first day of term is 50% but says little).
    min_possible_sessions_for_flags: int = Field(default=20, ge=1)
    # Marks only for a school year whose calendar the school has entered (its terms say which days it meets).
    # Off, a school without a calendar meets every weekday (a development convenience, never for production).
    marks_need_school_calendar: bool = True

    # CSV imports (the request body itself is limited by ATT_MAX_UPLOAD_BYTES).
    import_max_rows: int = Field(default=20000, ge=1)
    import_max_field_chars: int = Field(default=4000, ge=100)

    platform: PlatformSettings = Field(default_factory=PlatformSettings)

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or self.platform.sqlite_url("register")


@lru_cache
def get_settings() -> RegisterSettings:
    return RegisterSettings()
