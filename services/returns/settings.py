"""Returns service settings (RETURNS_* environment variables)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.returns.builders.rules import ReturnRules
from shared.settings import PlatformSettings


class ReturnsSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RETURNS_", extra="ignore")

    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8003
    platform: PlatformSettings = Field(default_factory=PlatformSettings)

    # Whether the LA has asked for new pupil returns for the most junior class starting on the first day.
    la_asks_for_junior_class_starters: bool = False
    continuous_absence_school_days: int = Field(default=10, ge=1)
    sickness_school_days: int = Field(default=15, ge=1)
    # Local criterion for "failing to attend regularly": unauthorised absence of at least this share of
    # possible sessions in the period; empty switches it off.
    irregular_unauthorised_absence_percent: Decimal | None = Decimal("10")
    irregular_attendance_min_possible_sessions: int = Field(default=10, ge=1)
    periodic_return_due_days: int = Field(default=5, ge=0)
    # Reports hide groups smaller than this, so that no pupil can be picked out (local practice).
    report_minimum_group: int = Field(default=5, ge=1)
    # The DfE daily share covers state-funded schools (rules.md s9 [H]); whether the duty covers independent
    # schools was not confirmed [L], so they are left out unless the LA switches this on.
    dfe_share_include_independent: bool = False
    # The termly governor reports (one per school and term of its calendar, stored at the term's end): terms that
    # ended more than this many days ago (over a year: last summer term is still reported after a missed run) are
    # left alone, so a new school or a calendar entered late does not set off years of reports.
    governor_report_lookback_days: int = Field(default=400, ge=1, le=1100)
    # Where the scheduled file drop writes the share; empty: no file drop (the collector's endpoint still serves).
    dfe_share_drop_dir: str = ""
    # Retention (LA-set policy; local practice, default as the register's 6 years): a return goes this many years
    # after the end of its period, a sickness expectation after its expected return. The DfE collection records
    # name no pupil and are kept as the record of what was disclosed.
    retention_years: int = Field(default=6, ge=1, le=100)

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or self.platform.sqlite_url("returns")

    @property
    def rules(self) -> ReturnRules:
        return ReturnRules(
            la_asks_for_junior_class_starters=self.la_asks_for_junior_class_starters,
            continuous_absence_school_days=self.continuous_absence_school_days,
            sickness_school_days=self.sickness_school_days,
            irregular_unauthorised_absence_percent=self.irregular_unauthorised_absence_percent,
            irregular_attendance_min_possible_sessions=self.irregular_attendance_min_possible_sessions,
            periodic_return_due_days=self.periodic_return_due_days)


@lru_cache
def get_settings() -> ReturnsSettings:
    return ReturnsSettings()
