"""Casework settings (CASEWORK_* environment variables) on top of the platform's shared ones."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.settings import Environment, PlatformSettings

REPO_ROOT = Path(__file__).resolve().parents[2]


class CaseworkSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CASEWORK_", extra="ignore")

    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    # Where scripts/build_frontend.sh puts the compiled GOV.UK Frontend styles, JS and images.
    frontend_dir: Path = REPO_ROOT / "build" / "frontend"
    # How long to wait between attempts to reach Temporal when it was not up at start.
    temporal_retry_seconds: float = Field(default=2.0, gt=0)
    # Register and notifications are only nice-to-have on a case page: give up on them quickly.
    upstream_timeout_seconds: float = Field(default=3.0, gt=0)
    # Officer actions that are legal steps: each needs a decision log entry first (local practice list).
    legal_steps: list[str] = Field(default_factory=lambda: [
        "issue_notice_to_improve", "issue_penalty_notice", "apply_for_eso", "decide_prosecution",
        "start_fast_track"])
    # "New" in the morning lists (unexplained absences, newly PA or SA) means within this many days.
    recent_days: int = Field(default=7, ge=1, le=60)
    # How far back the evidence bundle's register extract goes.
    evidence_register_days: int = Field(default=182, ge=7, le=1100)
    recent_marks_days: int = Field(default=28, ge=1, le=366)
    page_size: int = Field(default=25, ge=1, le=200)
    # Local practice (small-number suppression): people who see figures only (governors) do not see a group's
    # figures when it has fewer pupils than this, so a cohort of one or two cannot identify a child.
    figures_only_min_group: int = Field(default=5, ge=1, le=50)
    # The officer UI's sign-in at the organisation's identity provider (OIDC authorisation-code flow),
    # used whenever ATT_OIDC_ISSUER is set.
    oidc_client_id: str = "attendance-casework"
    oidc_client_secret: str = ""
    oidc_scope: str = "openid profile"
    platform: PlatformSettings = Field(default_factory=PlatformSettings)

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or self.platform.sqlite_url("casework")

    @property
    def development_login_enabled(self) -> bool:
        return self.platform.environment in {Environment.DEVELOPMENT, Environment.TEST}


@lru_cache
def get_settings() -> CaseworkSettings:
    return CaseworkSettings()
