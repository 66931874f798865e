"""The returns service's contracts: what it needs from register (the extract), the rows of each statutory
return, its internal API, the sickness expectations a school records (public API, also posted by casework's
officer UI), and the names the scheduled LA-return workflow is reached by.

Extract and row models carry pupils' personal data: they travel over HTTP between register and returns
only, never into Temporal payloads (the workflow sees LA codes, dates and counts).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from shared.contracts.identifiers import EARLIEST_DATE, LATEST_DATE, LaCode
from shared.contracts.register import SessionName

# A return covers a month or a term: a school year at most.
MAX_PERIOD_DAYS = 366

WORKFLOW_TYPE = "LaReturnsWorkflow"
TASK_QUEUE = "la-returns"
GENERATE_ACTIVITY = "generate_la_returns"


def period_label(period_start: date, period_end: date) -> str:
    """The period's name in keys, file names and workflow ids: both dates, ISO form."""
    return f"{period_start.isoformat()}_{period_end.isoformat()}"


def la_return_workflow_id(la_code: str, period: str) -> str:
    """One run per LA per period (a second start for the same period is rejected)."""
    return f"la-return-{la_code}-{period}"


def la_return_schedule_id(la_code: str) -> str:
    return f"la-return-schedule-{la_code}"


# --- What returns needs from register -------------------------------------------------------------------


class ExtractSchool(BaseModel):
    """The school and the shape of its school year (the year the extract's dates fall in)."""

    urn: str
    la_code: str
    name: str
    most_junior_year_group: str
    most_senior_year_group: str
    first_day_of_school_year: date
    # The last day of the last term of that school year: deletions of the most senior class at or after it
    # are the standard transition and need no deletion return.
    last_day_of_school_year: date


class ExtractParent(BaseModel):
    """A parent recorded in the admission register; the deletion return needs those the pupil lives with."""

    full_name: str
    address: str
    emergency_phone: str | None = None
    lives_with_pupil: bool = True


class PupilCharacteristics(BaseModel):
    free_school_meals: bool = False
    pupil_premium: bool = False
    sen_support: bool = False
    ehcp: bool = False
    looked_after: bool = False
    previously_looked_after: bool = False
    child_in_need: bool = False
    child_protection_plan: bool = False


class ExtractPupil(BaseModel):
    """One pupil on the admission register at any time in the extract's range, as the register records them."""

    pupil_id: UUID
    upn: str | None = None
    legal_forename: str
    legal_surname: str
    address: str
    date_of_birth: date
    sex: str
    ethnicity: str | None = None
    year_group: str
    admission_date: date
    # A deletion recorded (pending or done) with its regulation 9 ground, even if its date is after the
    # extract's range: the return is due as soon as the ground is met and no later than the deletion.
    deletion_date: date | None = None
    deletion_ground: str | None = None
    deletion_recorded_on: date | None = None
    # Recorded at deletion where known (new address, new school, date the pupil starts there).
    new_address: str | None = None
    new_school: str | None = None
    new_school_start_date: date | None = None
    parents: list[ExtractParent] = Field(default_factory=list)
    # Compulsory school age on the extract's last day (register owns the EA 1996 s8 rule).
    compulsory_school_age: bool
    characteristics: PupilCharacteristics = Field(default_factory=PupilCharacteristics)

    @property
    def legal_name(self) -> str:
        return f"{self.legal_forename} {self.legal_surname}"


class ExtractMark(BaseModel):
    pupil_id: UUID
    session_date: date
    session: SessionName
    code: str


class RegisterExtract(BaseModel):
    """GET {register}/internal/schools/{urn}/extract?from=&to= : everything the returns are built from."""

    school: ExtractSchool
    from_date: date
    to_date: date
    # The days in [from_date, to_date] on which the school met: no weekends, holidays or planned closures.
    school_days: list[date]
    pupils: list[ExtractPupil]
    marks: list[ExtractMark]

    @model_validator(mode="after")
    def _dates_in_range(self) -> RegisterExtract:
        if self.from_date > self.to_date:
            raise ValueError("from_date is after to_date")
        return self


class PupilPeriodCounts(BaseModel):
    """A pupil's possible and unauthorised sessions over a return's period, as register counts them."""

    pupil_id: UUID
    possible: int
    unauthorised: int


class ReturnsExtractRequest(BaseModel):
    """POST {register}/internal/las/{la_code}/returns-extract: which pupils of the LA's schools the returns of
    a period may name. A pupil is listed when admitted in the period (`admitted_in_period`), when a deletion is
    recorded for them (`with_deletion`), when named in `pupil_ids`, or when their sessions from `from_date` to
    `to_date` reach any of the `*_at_least` counts given; each count is a necessary condition of a return's
    criterion, so the returns decide, register does not. What a generation does not make, it leaves out."""

    from_date: date
    period_start: date
    to_date: date
    admitted_in_period: bool = True
    with_deletion: bool = True
    unauthorised_sessions_at_least: int | None = Field(default=None, ge=1)
    illness_sessions_at_least: int | None = Field(default=None, ge=1)
    # Unauthorised sessions per thousand possible sessions in the period, with at least `possible_at_least`.
    unauthorised_per_thousand_at_least: int | None = Field(default=None, ge=0, le=1000)
    possible_at_least: int = Field(default=1, ge=1)
    pupil_ids: list[UUID] = Field(default_factory=list, max_length=20_000)

    @model_validator(mode="after")
    def _dates_in_order(self) -> ReturnsExtractRequest:
        if not self.from_date <= self.period_start <= self.to_date:
            raise ValueError("from_date <= period_start <= to_date")
        return self


class ReturnsExtract(RegisterExtract):
    """A school's register cut down to what its returns can hold: the listed pupils only (see
    ReturnsExtractRequest), and of their marks only those coded G, N, O, U, I or # (a whole school day of
    absence is made of these, so runs of days come out as from every mark); `period_counts` gives each listed
    pupil's sessions over [period_start, to_date] counted from every mark."""

    period_start: date
    period_counts: list[PupilPeriodCounts]


class CohortCell(BaseModel):
    """Pupils of one school alike in year group, age on the census day, sex and characteristics, with at least
    one mark in the range, and their sessions summed over it."""

    school_urn: str
    year_group: str
    age: int
    sex: str
    characteristics: PupilCharacteristics
    pupils: int
    counted: int  # those with possible sessions
    possible: int
    attended: int
    authorised: int
    unauthorised: int
    persistent: int  # counted pupils absent at least 10% of their own possible sessions
    severe: int  # ... at least 50%


class DayFigures(BaseModel):
    session_date: date
    possible: int
    attended: int
    absent: int


class LaAttendanceFigures(BaseModel):
    """GET {register}/internal/las/{la_code}/attendance-figures?from=&to=&census=: every mark of the LA's
    schools in the range (pupils on roll in it), summed by cohort cell and by day; ages are taken on `census`."""

    la_code: str
    from_date: date
    to_date: date
    census: date
    cells: list[CohortCell]
    days: list[DayFigures]


# --- The returns ---------------------------------------------------------------------------------------


class ReturnKind(StrEnum):
    NEW_PUPIL = "new_pupil"
    DELETION = "deletion"
    ATTENDANCE = "attendance"
    SICKNESS = "sickness"


RETURN_KIND_LABELS = {
    ReturnKind.NEW_PUPIL: "New pupil return",
    ReturnKind.DELETION: "Deletion return",
    ReturnKind.ATTENDANCE: "Attendance return",
    ReturnKind.SICKNESS: "Sickness return",
}


# Returns that follow an event in the register (due within days: generate daily) and returns made at
# intervals (at least once a calendar month).
EVENT_RETURN_KINDS = (ReturnKind.NEW_PUPIL, ReturnKind.DELETION)
PERIODIC_RETURN_KINDS = (ReturnKind.ATTENDANCE, ReturnKind.SICKNESS)


class ReturnStatus(StrEnum):
    DUE = "due"
    SUBMITTED = "submitted"
    LATE = "late"


class ParentRow(BaseModel):
    full_name: str
    address: str
    emergency_phone: str | None = None


class NewPupilRow(BaseModel):
    """A pupil entered in the admission register: the information entered there (2024 Regs reg 13)."""

    pupil_id: UUID
    upn: str | None
    legal_forename: str
    legal_surname: str
    sex: str
    date_of_birth: date
    address: str
    year_group: str
    admission_date: date
    due_date: date
    parents: list[ParentRow]


class DeletionRow(BaseModel):
    pupil_id: UUID
    legal_forename: str
    legal_surname: str
    address: str
    year_group: str
    deletion_date: date
    deletion_ground: str
    parents_living_with_pupil: list[ParentRow]
    new_address: str | None
    new_school: str | None
    new_school_start_date: date | None


class AttendanceReason(StrEnum):
    CONTINUOUS_UNAUTHORISED = "continuous_unauthorised_absence"
    IRREGULAR_ATTENDANCE = "failing_to_attend_regularly"


class AttendanceRow(BaseModel):
    pupil_id: UUID
    legal_forename: str
    legal_surname: str
    address: str
    year_group: str
    reason: AttendanceReason
    # For continuous absence: the run of unauthorised school days (its end is capped at the period end).
    absence_start: date | None = None
    absence_end: date | None = None
    school_days_absent: int | None = None
    codes: list[str] = Field(default_factory=list)
    # For irregular attendance: unauthorised absence as a share of possible sessions in the period (one
    # decimal place, for display; the criterion is applied to the exact value).
    unauthorised_absence_rate: str | None = None


class SicknessRow(BaseModel):
    pupil_id: UUID
    legal_forename: str
    legal_surname: str
    address: str
    year_group: str
    sickness_start: date
    sickness_end: date
    school_days_in_period_of_sickness: int
    school_days_of_sickness_in_school_year: int
    # Why the period is reported: the year's I days "reached" 15, or the school "expected" the pupil to reach
    # them (a recorded sickness expectation; the counts above are then the days so far, possibly fewer).
    basis: Literal["reached", "expected"] = "reached"
    # The day the school expects the pupil back, where it recorded an expectation for this period of sickness.
    expected_return: date | None = None


# --- Internal API --------------------------------------------------------------------------------------


class GenerateReturnsRequest(BaseModel):
    """POST /internal/returns/generate: build every return of every school of the LA for the period."""

    # The workflow builds this too: what it can hold stays as it was (a stricter rule here would fail workflow
    # tasks, not requests); the returns API takes it as GenerateReturnsIn below.
    la_code: str = Field(min_length=1, max_length=10)
    period_start: date
    period_end: date
    # Which returns to generate; all of them when absent.
    kinds: list[ReturnKind] | None = None

    @model_validator(mode="after")
    def _ordered(self) -> GenerateReturnsRequest:
        if self.period_start > self.period_end:
            raise ValueError("period_start must not be after period_end")
        return self

    @property
    def period(self) -> str:
        return period_label(self.period_start, self.period_end)


class GenerateReturnsIn(GenerateReturnsRequest):
    """GenerateReturnsRequest as the returns API takes it: an LA code in its format and a period that a school
    year can hold, refused at the edge rather than passed on to register."""

    la_code: LaCode
    period_start: date = Field(ge=EARLIEST_DATE, le=LATEST_DATE)
    period_end: date = Field(ge=EARLIEST_DATE, le=LATEST_DATE)

    @model_validator(mode="after")
    def _not_too_long(self) -> GenerateReturnsIn:
        if (self.period_end - self.period_start).days > MAX_PERIOD_DAYS:
            raise ValueError(f"a return period covers at most {MAX_PERIOD_DAYS} days")
        return self


class ReturnSummary(BaseModel):
    id: UUID
    la_code: str
    school_urn: str
    kind: ReturnKind
    period: str
    period_start: date
    period_end: date
    due_date: date
    status: ReturnStatus
    row_count: int
    generated_at: datetime
    submitted_at: datetime | None = None


class GenerateReturnsResult(BaseModel):
    la_code: str
    period: str
    schools: int
    returns: list[ReturnSummary]


class LaReturnsInput(BaseModel):
    """The scheduled workflow's input. Without a period it returns the interval that ended before today."""

    la_code: str
    period_start: date | None = None
    period_end: date | None = None
    # None: calendar months (the statutory minimum is once a calendar month); else rolling intervals of days.
    interval_days: int | None = Field(default=None, ge=1)
    kinds: list[ReturnKind] | None = None
    # Whole days a pinned system (shared.clock) runs ahead of Temporal's clock; 0 in production.
    clock_offset_days: int = 0


class LaReturnsOutcome(BaseModel):
    la_code: str
    period: str
    returns_generated: int
    child_workflow_id: str | None = None


# --- Sickness expectations (public API: /api/v1/schools/{urn}/sickness-expectations) --------------------

SICKNESS_EARLIEST, SICKNESS_LATEST = EARLIEST_DATE, LATEST_DATE
GROUNDS_MAX_LENGTH = 500


class SicknessExpectationIn(BaseModel):
    """The school's reasonable grounds to believe the pupil will miss 15 school days through sickness (rules.md
    s8). Who records it comes from the caller's identity, never from the body."""

    pupil_id: UUID
    # The first day of the period of sickness, and the day the pupil is expected back.
    sickness_start: date = Field(ge=SICKNESS_EARLIEST, le=SICKNESS_LATEST)
    expected_return: date = Field(ge=SICKNESS_EARLIEST, le=SICKNESS_LATEST)
    # What the school's belief rests on, e.g. "hospital letter: surgery and 4 weeks' recovery".
    grounds: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=GROUNDS_MAX_LENGTH)]


class SicknessExpectationView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    school_urn: str
    la_code: str
    pupil_id: UUID
    sickness_start: date
    expected_return: date
    grounds: str
    recorded_by: str
    recorded_by_name: str = ""
    recorded_at: datetime
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None
    withdrawn_by_name: str | None = None

    @field_validator("recorded_at", "withdrawn_at")
    @classmethod
    def _utc(cls, moment: datetime | None) -> datetime | None:
        # SQLite gives back the stored UTC moment without its zone.
        return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


# --- The DfE daily attendance data share (rules.md s9) ------------------------------------------------------

DFE_DROP_WORKFLOW_TYPE = "DfeShareDropWorkflow"
DFE_DROP_ACTIVITY = "drop_dfe_daily_share"


class DfeCollectionTime(StrEnum):
    """The DfE pulls the share twice a day: the morning collection carries the AM codes, the afternoon both."""

    MORNING = "morning"
    AFTERNOON = "afternoon"


def dfe_drop_schedule_id(la_code: str) -> str:
    return f"dfe-daily-share-drop-{la_code}"


class DfeShareDropRequest(BaseModel):
    """POST /internal/dfe/daily-share/drop: write the LA's share for a day and collection to the drop folder."""

    la_code: str = Field(min_length=1, max_length=10)
    share_date: date
    collection: DfeCollectionTime


class DfeShareDropResult(BaseModel):
    # False when no drop folder is configured: nothing was written and nothing recorded.
    written: bool
    file_name: str | None = None
    row_count: int = 0
    collection_id: UUID | None = None


class DfeShareDropInput(BaseModel):
    """The scheduled drop workflow's input (one schedule per LA and collection): the day is the scheduled one."""

    la_code: str
    collection: DfeCollectionTime
    # Whole days a pinned system (shared.clock) runs ahead of Temporal's clock; 0 in production.
    clock_offset_days: int = 0


class DfeCollectionRecord(BaseModel):
    """One collection of the share, by the DfE's collector or the file drop: identifiers and counts only."""

    id: UUID
    collected_at: datetime
    collected_by: str
    channel: str
    collection: DfeCollectionTime
    share_date: date
    la_code: str | None
    school_urns: list[str]
    row_count: int
    content_sha256: str
    file_name: str | None = None


# --- Termly governor reports (produced at each term's end from the school's own calendar) -------------------

GOVERNOR_REPORTS_WORKFLOW_TYPE = "TermlyGovernorReportsWorkflow"
GOVERNOR_REPORTS_ACTIVITY = "produce_governor_reports"


def governor_reports_schedule_id(la_code: str) -> str:
    return f"governor-reports-{la_code}"


class GovernorReportsRequest(BaseModel):
    """POST /internal/governor-reports/produce: store the report of every term of the LA's schools that has ended
    by `as_of` and has none yet (one per school and term, so a rerun stores nothing twice)."""

    la_code: str = Field(min_length=1, max_length=10)
    as_of: date


class GovernorReportsResult(BaseModel):
    schools: int
    produced: int
    already_stored: int
    # "URN academic-year term" of each report produced by this run (figures only, never a pupil).
    produced_terms: list[str] = Field(default_factory=list)


class GovernorReportsInput(BaseModel):
    """The scheduled workflow's input (one schedule per LA): the day is the scheduled one."""

    la_code: str
    # Whole days a pinned system (shared.clock) runs ahead of Temporal's clock; 0 in production.
    clock_offset_days: int = 0


class StoredGovernorReport(BaseModel):
    """One school's governor report for one term of its calendar, as stored at the term's end."""

    id: UUID
    school_urn: str
    la_code: str
    academic_year: int
    term_name: str
    term_start: date
    term_end: date
    produced_at: datetime
