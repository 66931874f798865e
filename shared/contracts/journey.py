"""The pupil journey's contract: names casework uses to reach the workflow without importing it, and the
payloads that cross the Temporal boundary. No pupil names, UPNs or dates of birth travel in these."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from shared.contracts.register import PupilFlags, RegisterEventType, SessionName

WORKFLOW_TYPE = "PupilJourney"
TASK_QUEUE = "pupil-journeys"
SIGNAL_REGISTER_FACT = "register_fact"
QUERY_VIEW = "view"
UPDATE_OFFICER_ACTION = "officer_action"


def journey_workflow_id(pupil_id: UUID) -> str:
    """The one journey a pupil has at a time: internal UUID only, never a name or UPN."""
    return f"journey-{pupil_id}"


class Stage(StrEnum):
    MONITORING = "monitoring"
    AT_RISK = "at_risk"
    PERSISTENT_ABSENCE = "persistent_absence"
    SEVERE_ABSENCE = "severe_absence"
    FORMAL_SUPPORT = "formal_support"
    LEGAL_INTERVENTION = "legal_intervention"
    CLOSED = "closed"


STAGE_LABELS = {
    Stage.MONITORING: "Monitoring",
    Stage.AT_RISK: "At risk of persistent absence",
    Stage.PERSISTENT_ABSENCE: "Persistent absence",
    Stage.SEVERE_ABSENCE: "Severe absence",
    Stage.FORMAL_SUPPORT: "Formal support",
    Stage.LEGAL_INTERVENTION: "Legal intervention",
    Stage.CLOSED: "Closed",
}


class JourneyPolicy(BaseModel):
    """Durations and thresholds that are local practice; they travel in the workflow input so that a
    journey keeps the policy it started with and tests can shrink them."""

    action_plan_review_days: int = 42
    contract_review_days: int = 42
    fast_track_school_weeks: int = 12
    notice_to_improve_days: int = 28
    penalty_discount_days: int = 21
    penalty_payment_days: int = 28
    penalty_first_amount_pence: int = 16000
    penalty_discounted_amount_pence: int = 8000
    penalty_second_amount_pence: int = 16000
    penalty_limit_years: int = 3
    eso_initial_months: int = 12
    eso_review_days: int = 90
    closure_monitoring_days: int = 42
    max_history_events: int = 10_000


class RegisterFact(BaseModel):
    """A register event as the journey sees it (signal): identifiers, codes and flags only."""

    event_id: UUID
    event_type: RegisterEventType
    occurred_at: datetime
    flags: PupilFlags = Field(default_factory=PupilFlags)
    session_date: date | None = None
    session: SessionName | None = None
    code: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class JourneyInput(BaseModel):
    pupil_id: UUID
    school_urn: str
    la_code: str
    policy: JourneyPolicy = Field(default_factory=JourneyPolicy)
    # Carried across continue-as-new; None for a new journey.
    state: dict[str, Any] | None = None


class Actor(BaseModel):
    subject: str
    name: str
    role: str


class OfficerAction(BaseModel):
    """An officer's step in the journey (update): validated before it reaches history."""

    action: str
    actor: Actor
    note: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class AvailableAction(BaseModel):
    action: str
    label: str


class JourneyView(BaseModel):
    """The journey's current stage, deadlines and next steps (query and update result)."""

    workflow_id: str
    pupil_id: UUID
    stage: Stage
    status: str
    state_version: int
    deadlines: list[dict[str, Any]] = Field(default_factory=list)
    available_actions: list[AvailableAction] = Field(default_factory=list)
    notifications_requested: list[str] = Field(default_factory=list)
