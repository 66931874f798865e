"""Request and response bodies of register's public API (those not already in shared.contracts)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, field_validator

from shared.contracts.identifiers import LocalTime, Reason

# The figures models live in shared contracts (casework reads them through RegisterClient); re-exported here.
from shared.contracts.register import GroupFigures as GroupFigures
from shared.contracts.register import PupilFlagLine as PupilFlagLine
from shared.contracts.register import SchoolFigures as SchoolFigures
from shared.contracts.register import SessionName
from shared.contracts.returns import PupilCharacteristics
from shared.languages import ENGLISH, AccessibleFormat, normalise_language


class ContactIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    relationship: str = Field(min_length=1, max_length=100)
    email: EmailStr | None = None
    phone: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=1000)
    parental_responsibility: bool = False
    lives_with_pupil: bool = False
    preferred_language: str = Field(default=ENGLISH, max_length=20,
                                    description="ISO 639-1 code of the language letters should be in, e.g. cy")
    accessible_format: AccessibleFormat = Field(
        default=AccessibleFormat.STANDARD,
        description="standard and large_print are produced automatically; easy_read, braille and audio send each "
                    "letter to an officer to produce by hand")

    @field_validator("preferred_language")
    @classmethod
    def _iso_639_1(cls, value: str) -> str:
        return normalise_language(value)


class ProfessionalIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    phone: str | None = Field(default=None, max_length=40)
    organisation: str | None = Field(default=None, max_length=200)


class Characteristics(PupilCharacteristics):
    """What the admission register records; returns' extract carries the part before young_carer."""

    young_carer: bool = False
    ethnicity: str | None = Field(default=None, max_length=4, description="DfE ethnicity code, e.g. WBRI")
    eal: bool = False
    medical_condition: bool = False
    individual_healthcare_plan: bool = False


class AdmissionRequest(BaseModel):
    """An entry in the admission register (2024 Regs reg 8; rules.md section 3)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "upn": "A999200126001", "legal_forename": "Amelia", "legal_surname": "Stone",
        "date_of_birth": "2016-05-04", "sex": "F", "year_group": "5", "address": "1 Mill Lane, Northshire",
        "admission_date": "2026-09-03",
        "parents": [{"name": "Jo Stone", "relationship": "Mother", "email": "jo.stone@example.org",
                     "phone": "07700 900123", "parental_responsibility": True, "lives_with_pupil": True}],
        "emergency_contacts": [{"name": "Sam Stone", "relationship": "Uncle", "phone": "07700 900456"}],
    }]})

    upn: str = Field(description="13 characters with its check letter; temporary UPNs end in a letter")
    legal_forename: str = Field(min_length=1, max_length=100)
    legal_middle_names: str | None = Field(default=None, max_length=200)
    legal_surname: str = Field(min_length=1, max_length=100)
    preferred_forename: str | None = Field(default=None, max_length=100)
    preferred_surname: str | None = Field(default=None, max_length=100)
    date_of_birth: date
    sex: str = Field(pattern="^[FM]$")
    year_group: str = Field(pattern="^(N1|N2|R|[1-9]|1[0-4])$")
    address: str = Field(min_length=1, max_length=1000)
    postcode: str | None = Field(default=None, max_length=10)
    admission_date: date
    previous_school: str | None = Field(default=None, max_length=200)
    boarder: bool = False
    gp_details: str | None = Field(default=None, max_length=1000)
    characteristics: Characteristics = Field(default_factory=Characteristics)
    parents: list[ContactIn] = Field(min_length=1, description="Every known parent and carer")
    emergency_contacts: list[ContactIn] = Field(default_factory=list)
    social_worker: ProfessionalIn | None = None
    youth_justice_worker: ProfessionalIn | None = None

    @field_validator("upn")
    @classmethod
    def _strip_upn(cls, value: str) -> str:
        return "".join(value.split()).upper()


class ContactView(ContactIn):
    kind: str


class PriorAttendanceView(BaseModel):
    """One academic year at an earlier school, as the Common Transfer File that admitted the pupil gave it."""

    academic_year: int = Field(description="The year the academic year starts in (2025 for 2025/26)")
    la_code: str
    estab: str
    school_name: str | None
    sessions_possible: int
    sessions_attended: int
    sessions_authorised: int
    sessions_unauthorised: int
    attendance_start_date: date | None
    attendance_marks: str | None = Field(description="One character per session from the start date, as sent")
    source_laestab: str = Field(description="The school that sent the file")


class PupilView(BaseModel):
    id: UUID
    school_urn: str
    upn: str
    legal_forename: str
    legal_middle_names: str | None
    legal_surname: str
    preferred_forename: str | None
    preferred_surname: str | None
    display_name: str
    date_of_birth: date
    sex: str
    year_group: str
    address: str
    postcode: str | None
    admission_date: date
    previous_school: str | None
    boarder: bool
    gp_details: str | None
    on_roll: bool
    characteristics: Characteristics
    contacts: list[ContactView]
    prior_attendance: list[PriorAttendanceView] = Field(
        default_factory=list, description="Attendance at earlier schools from the Common Transfer File")


class PupilListItem(BaseModel):
    id: UUID
    display_name: str
    year_group: str
    upn: str
    on_roll: bool


class PupilPage(BaseModel):
    items: list[PupilListItem]
    page: int
    page_size: int
    total: int


class MarkIn(BaseModel):
    pupil_id: UUID
    code: str | None = Field(default=None, max_length=3, description="National code; omit to derive from arrived_at")
    minutes_late: int | None = Field(default=None, ge=0, le=300)
    arrived_at: LocalTime | None = Field(default=None,
                                         description="Arrival time: decides /, L or U from the register times")


class BulkMarksRequest(BaseModel):
    """Marks for one session, for a class or the whole school; all are written or none."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"marks": [
        {"pupil_id": "0b9f1c1e-8f3b-4a7e-9a43-1f6a0b7f2c11", "code": "/"},
        {"pupil_id": "6c3e2a55-2b1d-4e0f-8d7a-3b2c1d0e9f88", "code": "L", "minutes_late": 12},
        {"pupil_id": "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", "code": "N"},
    ]}]})

    marks: list[MarkIn] = Field(min_length=1, max_length=5000)


class BulkMarksResult(BaseModel):
    session_date: date
    session: SessionName
    created: int
    unchanged: int
    prefilled_from_leave: int = Field(0, description="Pupils on granted leave not in the request, given the leave's "
                                                     "code because nobody had marked them yet")


class AmendmentRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"new_code": "I", "reason": "Parent telephoned: pupil was ill"}]})

    new_code: str = Field(max_length=3)
    reason: Reason = Field(description="Why the mark changes (not blank)")
    minutes_late: int | None = Field(default=None, ge=0, le=300)


class HistoryEntry(BaseModel):
    kind: str  # "original" or "amendment"
    code: str
    minutes_late: int | None
    previous_code: str | None = None
    reason: str | None = None
    at: datetime
    by_name: str
    by_position: str


class MarkHistory(BaseModel):
    pupil_id: UUID
    session_date: date
    session: SessionName
    current_code: str
    entries: list[HistoryEntry]


class SchoolView(BaseModel):
    urn: str
    name: str
    phase: str
    la_code: str
    estab: str
    am_register_opens: LocalTime
    am_register_closes: LocalTime
    pm_register_opens: LocalTime
    pm_register_closes: LocalTime


class TermIn(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    start_date: date
    end_date: date
    half_term_start: date | None = None
    half_term_end: date | None = None


class ClosureIn(BaseModel):
    closure_date: date
    session: SessionName | None = Field(default=None, description="Omit for a whole-day closure")
    reason: str = Field(default="", max_length=200)


class CalendarIn(BaseModel):
    """A school's terms and planned closures (#) for one academic year (1 Sept to 31 Aug)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "terms": [{"name": "Autumn", "start_date": "2026-09-03", "end_date": "2026-12-18",
                   "half_term_start": "2026-10-26", "half_term_end": "2026-10-30"}],
        "closures": [{"closure_date": "2026-11-27", "reason": "Staff training day"}]}]})

    terms: list[TermIn] = Field(min_length=1, max_length=6)
    closures: list[ClosureIn] = Field(default_factory=list, max_length=60)


class CalendarView(CalendarIn):
    academic_year: int
    school_days: int


class RegisterTimes(BaseModel):
    """When the registers open and close; open for no more than 30 minutes (rules.md section 3)."""

    am_register_opens: LocalTime
    am_register_closes: LocalTime
    pm_register_opens: LocalTime
    pm_register_closes: LocalTime


class UnresolvedN(BaseModel):
    pupil_id: UUID
    display_name: str
    year_group: str
    session_date: date
    session: SessionName
    resolve_by: date | None


class DeletionRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "ground": "9(1)(f)", "deletion_date": "2026-12-01",
        "details": "Written notice from both parents of elective home education received 20 Nov 2026"}]})

    ground: str = Field(description="Regulation 9 ground, e.g. 9(1)(f); 9(3) for pupils not of CSA")
    deletion_date: date
    details: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=4000)]
    new_school_urn: str | None = Field(default=None, pattern=r"^\d{6}$",
                                       description="The new school's URN, if known (addresses the CTF)")
    new_school_laestab: str | None = Field(default=None, pattern=r"^\d{7}$",
                                           description="The new school's LA and establishment numbers, if known")
    new_school_name: str | None = Field(default=None, max_length=200)
    destination: str | None = Field(
        default=None, min_length=1, max_length=200,
        description="Where the pupil goes: the new school's URN or name, or \"unknown\". A deletion with destination "
                    "unknown, and any on ground 9(1)(h) or 9(1)(i), has no known destination and opens a children "
                    "missing education concern.")


class DeletionView(BaseModel):
    id: UUID
    pupil_id: UUID
    ground: str
    ground_summary: str
    deletion_date: date
    details: str
    status: str
    recorded_by_name: str
    recorded_by_position: str
    new_school_urn: str | None = None
    new_school_laestab: str | None = None
    new_school_name: str | None = None
    destination: str | None = None
    # False for a deletion with no known destination (a child who may be missing education).
    destination_known: bool = True


class ImportReport(BaseModel):
    """What an import wrote; a rejected file answers 422 with `errors` naming rows[N].column instead."""

    imported: int
    unchanged: int


class WeekdayFigures(BaseModel):
    weekday: str
    possible_sessions: int
    absence_sessions: int
    absence_rate: str | None
    absence_dates: list[date]


class PupilPatterns(BaseModel):
    """Patterns a person would look for, with the marks behind them; rates are exact, rounded only for display."""

    pupil_id: UUID
    from_date: date
    to_date: date
    by_weekday: list[WeekdayFigures]
    morning_absence_rate: str | None
    afternoon_absence_rate: str | None
    late_sessions: int
    minutes_late: int
    learning_lost_days: str
    around_breaks_absence_rate: str | None = Field(description="Absence on the school days either side of a break")
    around_breaks_dates: list[date]
    trend: str
    first_half_attendance_rate: str | None
    second_half_attendance_rate: str | None
    remaining_possible_sessions: int | None
    projected_year_end_attendance_rate: str | None


class LaFigures(BaseModel):
    """An LA's academic-year figures across its schools, from the per-pupil tallies."""

    la_code: str
    academic_year: int
    from_date: date | None = None
    to_date: date | None = None
    overall: GroupFigures
    breakdowns: dict[str, list[GroupFigures]]
    persistent_absentees: list[PupilFlagLine]
    at_risk: list[PupilFlagLine]


class CtfAdmission(BaseModel):
    pupil_id: UUID
    display_name: str
    year_group: str
    prior_attendance_years: int


class CtfImportReport(BaseModel):
    """Who a Common Transfer File admitted; a refused file answers 422 with `errors` naming XML paths instead."""

    admitted: int
    source_laestab: str
    pupils: list[CtfAdmission]
