"""What register tells other services: its events (through the outbox) and pupil facts on request."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from shared.contracts.identifiers import LaCode, Urn
from shared.languages import ENGLISH, AccessibleFormat


class SessionName(StrEnum):
    AM = "AM"
    PM = "PM"


class RegisterEventType(StrEnum):
    UNEXPLAINED_ABSENCE = "unexplained_absence"
    ENTERED_AT_RISK = "entered_at_risk"
    LEFT_AT_RISK = "left_at_risk"
    BECAME_PERSISTENTLY_ABSENT = "became_persistently_absent"
    LEFT_PERSISTENT_ABSENCE = "left_persistent_absence"
    BECAME_SEVERELY_ABSENT = "became_severely_absent"
    LEFT_SEVERE_ABSENCE = "left_severe_absence"
    PENALTY_THRESHOLD_MET = "penalty_threshold_met"
    # An amendment took the pupil's rolling 10-school-week count back under the threshold.
    PENALTY_THRESHOLD_NO_LONGER_MET = "penalty_threshold_no_longer_met"
    CONTINUOUS_UNAUTHORISED_ABSENCE = "continuous_unauthorised_absence"
    ILLNESS_DAYS_REACHED = "illness_days_reached"
    PUPIL_ADMITTED = "pupil_admitted"
    PENDING_DELETION = "pending_deletion"
    PUPIL_DELETED = "pupil_deleted"
    # G recorded for a session of leave the school refused: a term-time holiday, for which support is not the
    # appropriate response (the penalty route).
    REFUSED_LEAVE_TAKEN = "refused_leave_taken"
    # A new pupil absent (G, N or O) in every session of their first school day on roll, the agreed start day:
    # a child who may be missing education (rules.md s8, the CME note).
    DID_NOT_ARRIVE = "did_not_arrive"


class PupilFlags(BaseModel):
    """Characteristics that change who must be told and which path a journey may take."""

    has_social_worker: bool = False
    has_youth_justice_worker: bool = False
    looked_after: bool = False
    previously_looked_after: bool = False
    sen_support: bool = False
    ehcp: bool = False
    child_protection_plan: bool = False
    child_in_need: bool = False
    medical_condition: bool = False
    # An individual healthcare plan (rules.md s10, medical/SEND): the pupil's legal steps follow the adapted path.
    individual_healthcare_plan: bool = False
    compulsory_school_age: bool = True
    # Penalty notices are for pupils of state-funded schools only (rules.md s11, pupil scope).
    independent_school: bool = False


# The words officers use for each characteristic, wherever a page names one (one vocabulary).
FLAG_LABELS = {
    "has_social_worker": "Has a social worker", "has_youth_justice_worker": "Has a youth justice worker",
    "looked_after": "Looked after", "previously_looked_after": "Previously looked after",
    "sen_support": "SEN support", "ehcp": "EHC plan", "child_protection_plan": "Child protection plan",
    "child_in_need": "Child in need", "medical_condition": "Medical condition",
    "individual_healthcare_plan": "Individual healthcare plan",
    "compulsory_school_age": "Of compulsory school age", "independent_school": "At an independent school",
}


def flag_label(name: str) -> str:
    return FLAG_LABELS.get(name, name.replace("_", " ").capitalize())


class PupilSummary(BaseModel):
    """Enough about a pupil for a case list: never sent into workflow histories."""

    pupil_id: UUID
    school_urn: Urn
    la_code: LaCode
    display_name: str
    year_group: str
    flags: PupilFlags = Field(default_factory=PupilFlags)


class RegisterChangeKind(StrEnum):
    # Marks recorded or amended for these pupils: their figures and recent marks moved.
    MARKS = "marks"
    # The school's own details that case pages show (the LA's named point of contact).
    SCHOOL = "school"


# One register request's pupils at most: a whole school's session is one change.
MAX_CHANGED_PUPILS = 5000


class RegisterChange(BaseModel):
    """A change to what case pages show that is no journey fact (so no journey hears it): casework marks the case
    views it touches stale, and rebuilds them, instead of asking the register again and again in case. Delivered
    through the register's outbox in order with its events; ids only, never pupil details."""

    model_config = ConfigDict(extra="forbid")

    change_id: UUID
    kind: RegisterChangeKind
    school_urn: Urn
    pupil_ids: list[UUID] = Field(default_factory=list, max_length=MAX_CHANGED_PUPILS)
    occurred_at: datetime


class RegisterChangeReceipt(BaseModel):
    change_id: UUID
    case_views_marked_stale: int


class RegisterEvent(BaseModel):
    """One fact the register reports once, through its transactional outbox."""

    # A field casework does not know is a mistake of the sender, not something to drop quietly.
    model_config = ConfigDict(extra="forbid")

    event_id: UUID
    event_type: RegisterEventType
    occurred_at: datetime
    pupil: PupilSummary
    session_date: date | None = None
    session: SessionName | None = None
    code: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class Contact(BaseModel):
    name: str
    relationship: str
    email: EmailStr | None = None
    phone: str | None = None
    address: str | None = None
    parental_responsibility: bool = False
    lives_with_pupil: bool = False
    # A parent's preferred language (ISO 639-1) and how they need letters; professionals keep the defaults.
    preferred_language: str = ENGLISH
    accessible_format: AccessibleFormat = AccessibleFormat.STANDARD


class PupilContacts(BaseModel):
    """Who may need to hear about a pupil, as the admission register records them."""

    pupil_id: UUID
    display_name: str
    legal_name: str
    school_urn: str
    school_name: str
    la_code: str
    year_group: str
    flags: PupilFlags = Field(default_factory=PupilFlags)
    parents: list[Contact] = Field(default_factory=list)
    social_worker: Contact | None = None
    youth_justice_worker: Contact | None = None
    virtual_school_head: Contact | None = None
    attendance_lead: Contact | None = None


class AbsenceBand(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class PupilFigures(BaseModel):
    """A pupil's figures over a date range; rates are exact decimals as strings, rounded only for display."""

    pupil_id: UUID
    from_date: date
    to_date: date
    possible_sessions: int
    attended_sessions: int
    authorised_absence_sessions: int
    unauthorised_absence_sessions: int
    attendance_rate: str
    absence_rate: str
    persistent_absence: bool
    severe_absence: bool
    band: AbsenceBand
    penalty_threshold_sessions: int = 0
    penalty_threshold_met: bool = False


class MarkView(BaseModel):
    session_date: date
    session: SessionName
    code: str
    category: str
    minutes_late: int | None = None
    amended: bool = False


class SchoolLaContact(BaseModel):
    """The LA's named point of contact for one school (rules.md s10, LA expected to: "named point of contact per
    school"): an LA officer, never pupil data."""

    name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    phone: str | None = Field(default=None, max_length=40)


class SchoolSummary(BaseModel):
    """A school as other services need it (the LA it belongs to, its phase)."""

    urn: str
    name: str
    phase: str
    la_code: str
    # Independent schools are left out of the DfE daily share unless returns is told otherwise (rules.md s9 [L]).
    independent: bool = False
    # The LA's named point of contact for this school, where the LA named one (rules.md s10): it overrides the
    # LA-wide named contact casework has in its settings.
    la_contact: SchoolLaContact | None = None


class AttendanceChampion(BaseModel):
    """The school's senior attendance champion (rules.md s10, school expected to): a senior leader."""

    name: str = Field(min_length=1, max_length=200)
    role: str = Field(min_length=1, max_length=200, description="Their post, e.g. Deputy headteacher")
    email: EmailStr = Field(description="Their work email")


class PolicyItem(BaseModel):
    """One thing a school's attendance policy is expected to set out, and whether this school's covers it."""

    key: str
    label: str
    covered: bool


class AttendancePolicy(BaseModel):
    """A school's attendance policy as published on its website (rules.md s10: "Policy on website")."""

    url: str
    review_date: date
    # Past its review date: the school should review it (today from shared.clock).
    review_overdue: bool
    items: list[PolicyItem]
    # The keys of required items the school has not said its policy covers.
    missing: list[str]
    updated_at: datetime | None = None


class SchoolDuties(BaseModel):
    """What the guidance asks of a school and its LA for every pupil (rules.md s10, "All pupils" row): the
    attendance policy, the senior attendance champion and the LA's named point of contact (None: not recorded)."""

    urn: Urn
    name: str
    la_code: LaCode
    independent: bool
    attendance_policy: AttendancePolicy | None
    attendance_champion: AttendanceChampion | None
    la_contact: SchoolLaContact | None


class SchoolTermDates(BaseModel):
    """One term of a school's own calendar (GET /internal/schools/{urn}/terms)."""

    academic_year: int
    name: str
    start_date: date
    end_date: date


class GroupFigures(BaseModel):
    group: str
    pupils: int
    possible_sessions: int
    attended_sessions: int
    authorised_absence_sessions: int
    unauthorised_absence_sessions: int
    attendance_rate: str | None
    absence_rate: str | None
    persistent_absence_pupils: int
    severe_absence_pupils: int


class PupilFlagLine(BaseModel):
    pupil_id: UUID
    school_urn: str
    display_name: str
    year_group: str
    possible_sessions: int
    attendance_rate: str | None
    severe_absence: bool


class FlaggedPupilsPage(BaseModel):
    """GET {register}/api/v1/las/{la_code}/persistent-absentees: one page of an LA's persistently absent,
    severely absent or at-risk pupils for an academic year, lowest attendance first (ties by pupil id)."""

    la_code: str
    academic_year: int
    severity: str = Field(description="persistent, severe or at_risk")
    total: int | None = Field(default=None, description="How many pupils the whole list has (those the caller may "
                                                         "see by name); null unless asked for with with_total=true")
    pupils: list[PupilFlagLine]
    next: str | None = Field(default=None, description="Pass as `after` for the next page; null on the last page")


class SchoolFigures(BaseModel):
    """A school's figures: the academic year from the per-pupil tallies (no scan of the marks), or a date
    range counted from the marks in it."""

    urn: str
    academic_year: int
    from_date: date | None = None
    to_date: date | None = None
    overall: GroupFigures
    breakdowns: dict[str, list[GroupFigures]]
    persistent_absentees: list[PupilFlagLine] = Field(description="Empty for identities that see figures only")
    at_risk: list[PupilFlagLine] = Field(description="Amber band, not yet persistently absent")


class NResolutionOutcome(StrEnum):
    """Where an N (reason not yet established) stands against the 5-school-day limit (rules.md s3)."""

    RESOLVED_IN_TIME = "resolved_in_time"
    RESOLVED_LATE = "resolved_late"
    OPEN_IN_TIME = "open_in_time"
    OPEN_OVERDUE = "open_overdue"


class NMarkRecord(BaseModel):
    """GET {register}/internal/schools/{urn}/n-marks?from=&to= : one session that carried N at some time.

    Read by returns for the LA's compliance view: N codes resolved within the limit, and (for pupils someone
    must tell the same day) when register raised the unexplained-absence event that starts the alert.
    """

    pupil_id: UUID
    session_date: date
    session: SessionName
    # When the session became N: the mark's recording, or the amendment that set N.
    recorded_at: datetime
    current_code: str
    # The first amendment from N to another code; None while the session is still N.
    resolved_at: datetime | None = None
    resolved_code: str | None = None
    # The last school day by which N should have been replaced (the Nth school day after the session).
    resolve_by: date
    outcome: NResolutionOutcome
    # Set when register raised an unexplained-absence event for this session (the pupil has a social worker,
    # a youth justice worker or is looked after); None when nobody had to be told.
    same_day_alert_raised_at: datetime | None = None
    # Who that event said must be told the same day ("social_worker", "youth_justice_worker",
    # "virtual_school_head"), from the pupil's flags when the event was raised.
    same_day_recipients: list[str] = Field(default_factory=list)


class SchoolDays(BaseModel):
    """GET {register}/internal/schools/{urn}/school-days?from=&to= : the days a school meets, from its own
    calendar, so that a journey counts school weeks and school days the way the law does. Every day from
    `from_date` to `known_until` falls in an academic year (1 September to 31 August) whose calendar is set up
    (`known_until` is `to_date` when the whole range is); from the first academic year without one, the days
    listed are every weekday, as register takes marks then, and may change once the school sets its calendar.
    `known_until` is None when the academic year holding `from_date` has no calendar."""

    school_urn: str
    from_date: date
    to_date: date
    school_days: list[date] = Field(default_factory=list)
    known_until: date | None = None


class AdmissionContact(BaseModel):
    """One contact on a pupil's admission entry, as far as another service reads it (a parent's needs)."""

    model_config = ConfigDict(extra="ignore")

    kind: str
    name: str
    relationship: str
    preferred_language: str = ENGLISH
    accessible_format: AccessibleFormat = AccessibleFormat.STANDARD


class AdmissionEntry(BaseModel):
    """The part of register's admission entry (GET /api/v1/pupils/{id}) other services read: who the child is (the
    UPN, which register's internal pupil summary does not carry) and the contacts. Nothing else of it is read."""

    model_config = ConfigDict(extra="ignore")

    upn: str | None = None
    contacts: list[AdmissionContact] = Field(default_factory=list)
