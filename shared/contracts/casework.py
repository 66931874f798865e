"""What casework accepts from register (events) and from the journey (its case record, single writer)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.journey import LedgerNotice


class EventReceipt(BaseModel):
    event_id: UUID
    duplicate: bool
    workflow_id: str


class TimelineEntry(BaseModel):
    """One line of a case's history, written by the journey through casework's internal API."""

    entry_key: str = Field(min_length=1, max_length=200)  # idempotency: unique per case
    kind: str
    title: str
    occurred_at: datetime
    actor: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class Deadline(BaseModel):
    key: str
    title: str
    due_date: date


class CaseParticipant(BaseModel):
    """A professional who joined the case (the LA's named contact for a severely absent pupil)."""

    role: str  # la_attendance_contact
    name: str
    email: str | None = None
    joined_on: date
    reason: str = ""


class CaseProjection(BaseModel):
    """The journey's state as casework lists and shows it; state_version only ever grows."""

    # Casework is its single writer: a field it does not know is refused, not dropped.
    model_config = ConfigDict(extra="forbid")

    pupil_id: UUID
    workflow_id: str
    state_version: int = Field(ge=0)
    stage: str
    status: str
    lead_practitioner: str | None = None
    deadlines: list[Deadline] = Field(default_factory=list)
    new_entries: list[TimelineEntry] = Field(default_factory=list)
    # Every penalty notice of this journey as it stands now; casework keeps them in its notice ledger.
    penalty_notices: list[LedgerNotice] = Field(default_factory=list)
    # Whether the pupil is severely absent now (lists put these cases first); None from a journey that does not
    # say, so casework keeps what it had.
    severely_absent: bool | None = None
    participants: list[CaseParticipant] = Field(default_factory=list)


class CasesByStage(BaseModel):
    """GET {casework}/internal/las/{la_code}/cases-by-stage : the LA's case files counted by journey stage."""

    la_code: str
    # Journeys not ended (open or closed and being monitored).
    open_cases: int
    by_stage: dict[str, int] = Field(default_factory=dict)
    # school URN -> stage -> count
    by_school: dict[str, dict[str, int]] = Field(default_factory=dict)
    # Open cases whose next deadline is before today (English date).
    overdue_deadlines: int = 0
