"""Settings of the notifications service (NOTIFICATIONS_* environment variables)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.settings import PlatformSettings


class NotificationsSettings(BaseSettings):
    """Where to keep notification records and how to reach the channels."""

    model_config = SettingsConfigDict(env_prefix="NOTIFICATIONS_", extra="ignore")

    database_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8002

    # SMTP is the default channel: the local sink in development and tests, a relay in production.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    from_address: str = "attendance@northshire.example.gov"
    from_name: str = "School attendance service"

    # GOV.UK Notify replaces SMTP (and adds SMS and letters) when an API key is set. A "test" key
    # sends nothing but answers like the real service.
    notify_api_key: str | None = None
    notify_base_url: str = "https://api.notifications.service.gov.uk"
    # One generic Notify template per channel with ((subject)) and ((body)) placeholders: the wording
    # stays versioned in this repository rather than in Notify's admin pages.
    notify_email_template_id: str = ""
    notify_sms_template_id: str = ""
    notify_letter_template_id: str = ""
    # The bearer token Notify presents on its delivery-status callbacks (set the same value in Notify).
    notify_callback_token: str | None = None

    # Local practice: the LA's EWO team mailbox per LA code, used when the request names no EWO.
    ewo_team_addresses: dict[str, str] = Field(default_factory=dict)

    # A request that finds another request mid-delivery waits this long for it, then asks the caller
    # to retry; a delivery claim older than the lease is treated as abandoned (its process died), so the
    # lease must be longer than a channel's own timeout.
    in_flight_wait_seconds: float = Field(default=5.0, ge=0)
    delivery_lease_seconds: float = Field(default=60.0, gt=0)

    # Retention (LA-set policy; local practice, default as the register's 6 years): a message and its delivery
    # history go this many years after the last thing that happened to it.
    retention_years: int = Field(default=6, ge=1, le=100)
    platform: PlatformSettings = Field(default_factory=PlatformSettings)

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or self.platform.sqlite_url("notifications")


@lru_cache
def get_settings() -> NotificationsSettings:
    return NotificationsSettings()
