"""Register settings (REGISTER_* environment variables); local-practice values default as rules.md says."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.auth import Role
from shared.contracts.retention import REGISTER_MINIMUM_YEARS
from shared.settings import PlatformSettings

ATTENDANCE_POLICY_ITEMS = {
    "expectations_and_times": "Expectations of pupils and parents, with session start and register closing times",
    "day_to_day_contact": "Who pupils and parents contact about attendance day to day",
    "senior_attendance_champion": "The senior attendance champion's name and contact details",
    "reporting_absence": "How parents report an absence",
    "leave_of_absence": "How to ask for leave of absence",
    "first_day_follow_up": "How the school follows up unexplained absence on the first day",
    "support_for_absence": "How the school supports pupils with poor attendance",
    "legal_intervention": "The school's approach to penalty notices and other legal intervention",
}


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
    # Who the proprietor authorises to grant or refuse leave of absence (reg 11): local practice, the head.
    leave_decider_roles: list[Role] = Field(default_factory=lambda: [Role.HEADTEACHER])
    # Local practice: a part-time timetable is listed as due for review this many days before its review date.
    part_time_review_notice_days: int = Field(default=5, ge=0, le=90)

    # Common Transfer File (rules.md section 14). The version written in Header/CTFversion changes every year;
    # the destination-unknown addressing and how two-character 2024 codes go into AttendanceMarks are unconfirmed
    # there [L]: check them against the current DfE CTF specification before relying on the files.
    ctf_max_bytes: int = Field(default=5_000_000, ge=1000)
    ctf_version: str = Field(default="26.0", min_length=1, max_length=20)
    ctf_supplier_id: str = Field(default="Attendance casework", max_length=200)
    ctf_destination_unknown_la: str = Field(default="XXX", pattern=r"^(\d{3}|[A-Z]{3})$")
    ctf_destination_unknown_estab: str = Field(default="XXXX", pattern=r"^(\d{4}|[A-Z]{4})$")
    ctf_multi_character_marks: dict[str, str] = Field(default_factory=lambda: {
        "C1": "C", "C2": "C", "J1": "J", **{f"Y{n}": "Y" for n in range(1, 8)}})
    # rules.md s3 [H]: every register entry is kept at least 6 years from its date; a shorter value is refused.
    retention_years: int = Field(default=REGISTER_MINIMUM_YEARS, ge=REGISTER_MINIMUM_YEARS)
    # Marks only for a school year whose calendar the school has entered (its terms say which days it meets).
    # Off, a school without a calendar meets every weekday (a development convenience, never for production).
    marks_need_school_calendar: bool = True

    # What a school's attendance policy is expected to set out: key -> the words the pages use. rules.md grounds
    # register times set in the policy (s3), first-day contact per policy (s13), the senior attendance champion
    # and support for absence (s10); the rest follow the guidance's list but are not in rules.md [unconfirmed], so
    # an LA can change the list (REGISTER_ATTENDANCE_POLICY_ITEMS='{"key": "label", ...}').
    attendance_policy_items: dict[str, str] = Field(default_factory=lambda: dict(ATTENDANCE_POLICY_ITEMS))

    # CSV imports (the request body itself is limited by ATT_MAX_UPLOAD_BYTES).
    import_max_rows: int = Field(default=20000, ge=1)
    import_max_field_chars: int = Field(default=4000, ge=100)

    platform: PlatformSettings = Field(default_factory=PlatformSettings)

    @field_validator("ctf_multi_character_marks")
    @classmethod
    def _one_character_each(cls, value: dict[str, str]) -> dict[str, str]:
        wrong = sorted(code for code, character in value.items() if len(character) != 1)
        if wrong:
            raise ValueError(f"AttendanceMarks holds one character per session; give one for {', '.join(wrong)}")
        return value

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or self.platform.sqlite_url("register")


@lru_cache
def get_settings() -> RegisterSettings:
    return RegisterSettings()
