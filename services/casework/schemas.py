"""What casework's public JSON API (/api/v1) accepts and returns."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from shared.contracts.casework import CaseParticipant, Deadline
from shared.contracts.journey import JourneyView
from shared.contracts.notifications import Channel, NotificationRecord
from shared.contracts.register import GroupFigures as RegisterGroupFigures
from shared.contracts.register import MarkView, PupilFigures, PupilFlags, PupilSummary, SchoolDuties


class CaseSummary(BaseModel):
    pupil_id: UUID
    display_name: str
    year_group: str
    school_urn: str
    la_code: str
    stage: str
    stage_label: str
    status: str
    lead_practitioner: str | None
    flags: PupilFlags
    opened_at: datetime
    last_event_at: datetime | None
    last_event_type: str | None
    next_deadline_date: date | None
    # Severely absent pupils' cases come first in lists (a joint approach with the LA, top priority).
    severely_absent: bool = False
    priority: str | None = None  # "severe_absence"


class CaseSearch(BaseModel):
    """A search by pupil name: sent in a POST body, because names must not appear in URLs or access logs."""

    name: str = Field(min_length=2, max_length=100)
    stage: str | None = Field(default=None, max_length=40)
    school: str | None = Field(default=None, max_length=20)
    include_closed: bool = False


class CasePage(BaseModel):
    items: list[CaseSummary]
    total: int
    offset: int
    limit: int


class TimelineItem(BaseModel):
    entry_key: str
    kind: str
    title: str
    occurred_at: datetime
    actor: str | None
    details: dict[str, Any]


class DecisionRecordIn(BaseModel):
    """The factors considered before a legal step (decision log): the journey's DecisionDetails plus the
    legal step they were weighed for."""

    legal_step: str = Field(min_length=1, max_length=60)
    support_offered: str = Field(min_length=1, max_length=4000)
    support_taken_up: bool
    send_or_health_needs: str = Field(default="", max_length=4000)
    safeguarding: str = Field(default="", max_length=4000)
    family_view: str = Field(min_length=1, max_length=4000)
    adjustments: str = Field(default="", max_length=4000)
    partners_consulted: list[str] = Field(default_factory=list, max_length=20)


class DecisionRecordOut(DecisionRecordIn):
    id: UUID
    recorded_by: str
    recorded_at: datetime
    used_for_action: str | None


NoticeStatus = Literal["issued", "paid", "unpaid", "withdrawn", "prosecuted"]


class PriorNoticeIn(BaseModel):
    """A penalty notice another LA issued to one of this child's parents (rules.md s.11: "where pupil moved
    school/LA in previous 3 years, check prior notices with the other LA")."""

    issued_on: date
    issuing_la: str = Field(min_length=1, max_length=100, description="The LA that issued it (name or code)")
    status: NoticeStatus
    parent: str = Field(min_length=1, max_length=40, description="The parent reference, e.g. parent-1; no name")


class LedgerEntryView(BaseModel):
    """One penalty notice of the child's, wherever it came from."""

    notice_id: str
    parent: str
    issued_on: date
    status: str
    issuing_body: str
    school_urn: str | None
    source: str  # journey, other_la
    # Issued on this admission's journey (False: an earlier admission, another school or another LA).
    this_admission: bool
    recorded_by: str | None


class FastTrackCheck(BaseModel):
    """Whether the pupil meets the fast track entry criterion now, with the figures (as start_fast_track takes
    them: unauthorised_sessions, possible_sessions, period_start, period_end)."""

    meets: bool
    criterion: str
    unauthorised_sessions: int
    possible_sessions: int
    unauthorised_rate: str
    period_start: date
    period_end: date


class CaseSchool(BaseModel):
    """One admission the case followed: register's pupil id for it, at which school, from when, and until when."""

    pupil_id: UUID
    school_urn: str
    joined_at: datetime
    left_at: datetime | None = None


class LaPointOfContact(BaseModel):
    """The LA's named point of contact for the pupil's school (rules.md s10): named for the school in register, or
    the LA-wide named contact when the LA has named none for the school."""

    name: str
    email: str
    phone: str | None = None
    named_for: Literal["school", "la"]


class ParentNeeds(BaseModel):
    """A parent's language and format needs as the admission register records them, so an officer knows before a
    meeting or a letter (an interpreter, large print, a braille copy to make by hand)."""

    name: str
    relationship: str
    preferred_language: str
    language: str
    accessible_format: str
    format: str
    # False when letters in this format are made by hand: the attendance lead is asked for each one.
    format_produced: bool


class CaseFileView(BaseModel):
    """Everything on one pupil's case file; parts from other services are None when they did not answer."""

    case: CaseSummary
    state_version: int
    deadlines: list[Deadline]
    timeline: list[TimelineItem]
    decisions: list[DecisionRecordOut]
    notifications: list[NotificationRecord] | None
    figures: PupilFigures | None
    recent_marks: list[MarkView] | None
    journey: JourneyView | None
    unavailable: list[str] = Field(default_factory=list)
    # Every penalty notice of the child's (notice ledger): this journey's, earlier admissions' and other LAs'.
    penalty_notices: list[LedgerEntryView] = Field(default_factory=list)
    # The journey's steps the caller's role may take (a subset of journey.available_actions).
    permitted_actions: list[str] = Field(default_factory=list)
    # The fast track entry criterion against register's figures now (None when they could not be worked out).
    fast_track: FastTrackCheck | None = None
    # For a school the pupil has moved on from: the case as it stood then, read only.
    read_only_until: datetime | None = None
    # The schools the case has followed the pupil through, oldest first (empty until the pupil first moves).
    schools: list[CaseSchool] = Field(default_factory=list)
    # Professionals who joined the case: the LA's named contact for a severely absent pupil.
    participants: list[CaseParticipant] = Field(default_factory=list)
    # The LA's named point of contact for the school (None: none named, or register did not answer).
    la_point_of_contact: LaPointOfContact | None = None
    # Each parent's preferred language and accessible format (None when register did not answer).
    parents: list[ParentNeeds] | None = None


class OfficerActionIn(BaseModel):
    """An officer's step; who took it comes from the caller's identity, never from the body."""

    action: str = Field(min_length=1, max_length=60)
    note: str | None = Field(default=None, max_length=4000)
    details: dict[str, Any] = Field(default_factory=dict)
    # The day the step happened, when it is recorded later (today when omitted): never after today; the journey
    # refuses a day before its previous step.
    effective_date: date | None = None


class OpenCaseIn(OfficerActionIn):
    pupil_id: UUID
    action: str = Field(default="open_case", min_length=1, max_length=60)


class AuditItem(BaseModel):
    occurred_at: datetime
    actor_subject: str
    actor_name: str
    actor_role: str
    access: str
    what: str
    pupil_id: UUID | None
    school_urn: str | None


class AuditPage(BaseModel):
    items: list[AuditItem]
    total: int
    offset: int
    limit: int


class FamilyCase(BaseModel):
    stage: str
    stage_label: str
    status: str
    next_deadline_date: date | None


class FamilyMember(BaseModel):
    """A sibling or other child of the same parents whom the caller may see."""

    pupil_id: UUID
    display_name: str
    year_group: str
    school_urn: str
    la_code: str
    flags: PupilFlags
    figures: PupilFigures | None
    case: FamilyCase | None


class FamilyView(BaseModel):
    """The whole family on one page: members outside the caller's access are only counted."""

    pupil_id: UUID
    display_name: str
    members: list[FamilyMember]
    outside_access: int
    unavailable: list[str] = Field(default_factory=list)


class GroupFigures(RegisterGroupFigures):
    """One group's figures as register reports them (rates are exact decimal strings), with the share of its
    pupils who are persistently and severely absent."""

    persistent_absence_rate: str | None = None
    severe_absence_rate: str | None = None
    suppressed: bool = False


class FlaggedPupil(BaseModel):
    pupil_id: UUID
    display_name: str
    year_group: str
    attendance_rate: str | None
    severe_absence: bool
    stage: str | None


class SchoolSummaryView(BaseModel):
    """A school's figures, cohorts and open cases; pupil lines only for those who may see the pupils."""

    urn: str
    name: str
    la_code: str
    academic_year: int
    overall: GroupFigures
    by_year_group: list[GroupFigures]
    cohorts: dict[str, list[GroupFigures]]
    open_cases_by_stage: dict[str, int]
    persistent_absentees: list[FlaggedPupil]
    pupil_names_shown: bool
    # What the guidance asks of the school and its LA (rules.md s10): None when register did not answer.
    duties: SchoolDuties | None = None
    la_point_of_contact: LaPointOfContact | None = None


class PreviewIn(BaseModel):
    """A letter or message to render with the pupil's real data, sending nothing; `context` fills in what
    the template needs beyond what casework derives from the case (attendance figures, review date)."""

    template: str = Field(min_length=1, max_length=100)
    channel: Channel | None = None
    context: dict[str, Any] = Field(default_factory=dict, max_length=40)


class PupilView(BaseModel):
    """The pupil page: register's summary, figures and recent marks, and the case if there is one."""

    pupil: PupilSummary
    case: CaseSummary | None
    figures: PupilFigures | None
    recent_marks: list[MarkView] | None
    unavailable: list[str] = Field(default_factory=list)
