"""What casework's public JSON API (/api/v1) accepts and returns."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from shared.contracts.casework import Deadline
from shared.contracts.journey import JourneyView
from shared.contracts.notifications import NotificationRecord
from shared.contracts.register import MarkView, PupilFigures, PupilFlags


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


class OfficerActionIn(BaseModel):
    """An officer's step; who took it comes from the caller's identity, never from the body."""

    action: str = Field(min_length=1, max_length=60)
    note: str | None = Field(default=None, max_length=4000)
    details: dict[str, Any] = Field(default_factory=dict)


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
