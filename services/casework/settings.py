"""Casework settings (CASEWORK_* environment variables) on top of the platform's shared ones."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.auth import Role
from shared.contracts.journey import JourneyPolicy, LaContact
from shared.settings import Environment, PlatformSettings

REPO_ROOT = Path(__file__).resolve().parents[2]

_HEAD_OR_LA = [Role.HEADTEACHER, Role.LA_EWO]
_LA_ONLY = [Role.LA_EWO]
_SCHOOL_LED = [Role.SCHOOL_ATTENDANCE_OFFICER, Role.SENIOR_ATTENDANCE_CHAMPION, Role.HEADTEACHER, Role.LA_EWO]
# Who may take each step (the journey's ActionName values, plus casework's own record_prior_penalty_notice).
# Penalty notices: "Headteacher (or deputy/assistant head authorised by them), LA officers" (rules.md s.11 [H]);
# education supervision orders and prosecution are the LA's alone; support, meetings, plans, referrals and
# school-led contracts are the school's attendance staff's, the headteacher's and the LA officer's. Governors,
# data protection leads, virtual school heads and social workers read only, so they are in no list.
_PENALTY_STEPS = ("issue_penalty_notice", "record_penalty_payment", "withdraw_penalty_notice",
                  "issue_notice_to_improve", "record_prior_penalty_notice")
_LA_STEPS = ("apply_for_eso", "record_eso_decision", "review_eso", "extend_eso", "decide_prosecution",
             "record_court_outcome", "start_fast_track")
_SCHOOL_STEPS = ("open_case", "invite_to_meeting", "record_meeting", "agree_action_plan", "review_action_plan",
                 "refer_early_help", "refer_social_care", "record_tsm_discussion", "offer_attendance_contract",
                 "sign_attendance_contract", "review_attendance_contract", "record_contract_breach",
                 "record_decision", "record_support", "record_support_inappropriate", "close_case", "reopen_case")
# Severe absence's joint approach (rules.md s10): the school's attendance staff and the LA's officers together.
_ATTENDANCE_STAFF_AND_LA = [Role.SCHOOL_ATTENDANCE_OFFICER, Role.SENIOR_ATTENDANCE_CHAMPION, Role.LA_EWO]
_JOINT_STEPS = ("agree_whole_family_plan", "review_whole_family_plan", "record_home_visit")
# Children missing education: reasonable enquiries are the school's and the LA's (rules.md s7, 9(1)(h)/(i)); an
# enquiry recorded as the LA's needs an LA officer (services/casework/service/cme.py).
_CME_STEPS = ("record_cme_enquiry", "record_cme_outcome")
STEP_ROLE_DEFAULTS: dict[str, list[Role]] = {
    **dict.fromkeys(_PENALTY_STEPS, _HEAD_OR_LA), **dict.fromkeys(_LA_STEPS, _LA_ONLY),
    **dict.fromkeys(_SCHOOL_STEPS, _SCHOOL_LED), **dict.fromkeys(_JOINT_STEPS, _ATTENDANCE_STAFF_AND_LA),
    **dict.fromkeys(_CME_STEPS, _SCHOOL_LED)}
# A step nobody listed (a new one the journey added): the school's and the LA's caseworkers, not the headteacher,
# until someone decides otherwise.
DEFAULT_STEP_ROLES = [Role.SCHOOL_ATTENDANCE_OFFICER, Role.SENIOR_ATTENDANCE_CHAMPION, Role.LA_EWO]


class LocalAuthority(BaseModel):
    """What casework knows of an LA: its name (letters its officers issue are signed for it), its named contact
    for attendance, who joins the case of every severely absent pupil (rules.md s10: a joint approach with the LA),
    and its children missing education officer, told of every CME concern (rules.md s8)."""

    name: str = Field(min_length=1, max_length=200)
    attendance_contact: LaContact | None = None
    cme_officer: LaContact | None = None


# The demo LA (register's seed): invented, like every name in the demo.
DEMO_LAS = {"999": LocalAuthority(name="Northshire County Council", attendance_contact=LaContact(
    name="Priya Shah", email="attendance.contact@northshire.example.gov"), cme_officer=LaContact(
    name="Tom Okafor", email="cme@northshire.example.gov"))}


class CaseworkSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CASEWORK_", extra="ignore")

    database_url: str = ""
    # PostgreSQL connections kept open (and allowed beyond them at busy moments).
    db_pool_size: int = Field(default=20, ge=1, le=200)
    db_max_overflow: int = Field(default=5, ge=0, le=200)
    host: str = "127.0.0.1"
    port: int = 8000
    # Where scripts/build_frontend.sh puts the compiled GOV.UK Frontend styles, JS and images.
    frontend_dir: Path = REPO_ROOT / "build" / "frontend"
    # How long to wait between attempts to reach Temporal when it was not up at start.
    temporal_retry_seconds: float = Field(default=2.0, gt=0)
    # Register and notifications are only nice-to-have on a case page: give up on them quickly.
    upstream_timeout_seconds: float = Field(default=3.0, gt=0)
    # Returns' reports (the LA's page, the governor report) are the page itself and read every register of the
    # LA: wait longer for them.
    reports_timeout_seconds: float = Field(default=60.0, gt=0)
    # Officer actions that are legal steps: each needs a decision log entry first (local practice list).
    legal_steps: list[str] = Field(default_factory=lambda: [
        "issue_notice_to_improve", "issue_penalty_notice", "apply_for_eso", "decide_prosecution",
        "start_fast_track"])
    # Who may take each step: action -> roles. What is set here replaces the default of those actions only, so
    # CASEWORK_STEP_ROLES='{"start_fast_track": ["la_ewo", "headteacher"]}' changes one step and keeps the rest.
    # A deputy or assistant head whom the headteacher authorises to issue penalty notices signs in with the
    # headteacher role (the LA's identity provider issues role=headteacher to them): there is no deputy role.
    step_roles: dict[str, list[Role]] = Field(default_factory=lambda: dict(STEP_ROLE_DEFAULTS))
    # Roles for a step not in step_roles (CASEWORK_DEFAULT_STEP_ROLES='["la_ewo"]').
    default_step_roles: list[Role] = Field(default_factory=lambda: list(DEFAULT_STEP_ROLES))
    # Each LA by code: CASEWORK_LAS='{"999": {"name": "...", "attendance_contact": {"name": "...", "email": "..."},
    # "cme_officer": {"name": "...", "email": "..."}}}'.
    # An LA without an entry has no name for its officers' letters (notifications then refuses them rather than
    # sign them blank) and no named contact for severely absent pupils (the case says so).
    las: dict[str, LocalAuthority] = Field(default_factory=lambda: dict(DEMO_LAS))
    # "New" in the morning lists (unexplained absences, newly PA or SA) means within this many days.
    recent_days: int = Field(default=7, ge=1, le=60)
    # How far back the evidence bundle's register extract goes.
    evidence_register_days: int = Field(default=182, ge=7, le=1100)
    recent_marks_days: int = Field(default=28, ge=1, le=366)
    # A case page shows other services' parts (register's figures and marks, messages sent, the journey's view) as
    # kept in the case view (service/case_view.py). What changes them marks the view stale at once: register's
    # events and changes (marks recorded or amended, the school's LA contact), the journey's projection, an
    # officer's step, a message's status moving (read from notifications every case_view_status_seconds). This
    # bounds what nothing reports (a parent's language needs, the child's identity): the view is rebuilt when
    # older; 0 asks the services on every read.
    case_view_max_age_seconds: float = Field(default=900.0, ge=0, le=86400)
    # A case view missing a part (its service did not answer) is rebuilt in the background when read this long
    # after it was built, so a struggling service does not hold up every page; 0 rebuilds it on the read.
    case_view_retry_seconds: float = Field(default=5.0, ge=0, le=600)
    # The case page's sickness card keeps each school's expectations, as returns listed them, this long (casework's
    # own records and withdrawals show at once; one made through returns' API directly, within this); 0 asks returns
    # on every page.
    sickness_card_max_age_seconds: float = Field(default=30.0, ge=0, le=600)
    # How often the background refresh looks for case views to rebuild.
    case_view_refresh_seconds: float = Field(default=2.0, gt=0, le=600)
    # How often casework reads the message statuses notifications moved (a letter posted, an email delivered or
    # failed) and marks the case views showing them stale; a status shows within about this plus a few seconds.
    case_view_status_seconds: float = Field(default=10.0, gt=0, le=600)
    page_size: int = Field(default=25, ge=1, le=200)
    # Local practice (small-number suppression): people who see figures only (governors) do not see a group's
    # figures when it has fewer pupils than this, so a cohort of one or two cannot identify a child.
    figures_only_min_group: int = Field(default=5, ge=1, le=50)
    # The officer UI's sign-in at the organisation's identity provider (OIDC authorisation-code flow),
    # used whenever ATT_OIDC_ISSUER is set.
    oidc_client_id: str = "attendance-casework"
    oidc_client_secret: str = ""
    oidc_scope: str = "openid profile"
    # The local values of a new journey (review periods, fast track entry criterion, penalty amounts where the
    # rules leave them to local practice): CASEWORK_JOURNEY_POLICY='{"fast_track_unauthorised_percent": 20}'
    # changes what it names and keeps the defaults of the rest. A journey keeps the policy it started with.
    journey_policy: JourneyPolicy = Field(default_factory=JourneyPolicy)
    # Retention (LA-set policy; no statutory figure for case files, so local practice, default as the register's
    # 6 years): a closed case file goes this many years after its last activity, with its timeline, decision
    # logs, register events received and penalty-notice ledger entries.
    retention_case_file_years: int = Field(default=6, ge=1, le=100)
    # The access audit (who read or changed a pupil's record) is kept this many years from each access, whether or
    # not the case file still exists, so the data protection lead can still answer for a removed case.
    retention_audit_years: int = Field(default=6, ge=1, le=100)
    platform: PlatformSettings = Field(default_factory=PlatformSettings)

    @field_validator("step_roles", mode="after")
    @classmethod
    def _over_the_defaults(cls, value: dict[str, list[Role]]) -> dict[str, list[Role]]:
        return {**STEP_ROLE_DEFAULTS, **value}

    def la_name(self, la_code: str | None) -> str:
        la = self.las.get(la_code or "")
        return la.name if la else ""

    def la_contact(self, la_code: str) -> LaContact | None:
        la = self.las.get(la_code)
        return la.attendance_contact if la else None

    def la_cme_officer(self, la_code: str) -> LaContact | None:
        la = self.las.get(la_code)
        return la.cme_officer if la else None

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or self.platform.sqlite_url("casework")

    @property
    def development_login_enabled(self) -> bool:
        return self.platform.environment in {Environment.DEVELOPMENT, Environment.TEST}


@lru_cache
def get_settings() -> CaseworkSettings:
    return CaseworkSettings()
