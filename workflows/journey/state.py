"""Everything a journey knows, as one serialisable pydantic model carried across continue-as-new."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from temporalio import workflow

from workflows.journey.cme_records import CmeConcern, CmeTrigger
from workflows.journey.court_records import CourtHearing, ParentingOrder
from workflows.journey.policy import SchoolCalendar

with workflow.unsafe.imports_passed_through():
    from pydantic import BaseModel, Field

    from shared.contracts.casework import TimelineEntry
    from shared.contracts.journey import JourneyStatus, ProsecutionSection, RegisterFact, Stage
    from shared.contracts.notifications import RecipientRole
    from shared.contracts.register import PupilFlags

MAX_PROCESSED_EVENT_IDS = 500
MAX_NOTIFICATION_KEYS = 200
# Activity names: the worker registers JourneyActivities under these, tests register fakes under them.
NOTIFY_ACTIVITY = "notify"
RECORD_PROJECTION_ACTIVITY = "record_projection"
SCHOOL_DAYS_ACTIVITY = "school_days"

# Stages in which support is the business of the school and the LA; the order is the escalation order.
ACTIVE_STAGES = (Stage.MONITORING, Stage.AT_RISK, Stage.PERSISTENT_ABSENCE, Stage.SEVERE_ABSENCE,
                 Stage.FORMAL_SUPPORT, Stage.LEGAL_INTERVENTION)


class DeadlineKind(StrEnum):
    ACTION_PLAN_REVIEW = "action_plan_review"
    CONTRACT_REVIEW = "contract_review"
    PENALTY_DISCOUNT = "penalty_discount"
    PENALTY_PAYMENT = "penalty_payment"
    NOTICE_TO_IMPROVE = "notice_to_improve"
    FAST_TRACK_END = "fast_track_end"
    ESO_REVIEW = "eso_review"
    ESO_EXPIRY = "eso_expiry"
    CLOSURE_MONITORING = "closure_monitoring"
    PROSECUTION_DECISION = "prosecution_decision"
    WHOLE_FAMILY_PLAN_REVIEW = "whole_family_plan_review"
    CME_SCHOOL_ENQUIRIES = "cme_school_enquiries"
    CME_LA_ENQUIRIES = "cme_la_enquiries"
    COURT_HEARING = "court_hearing"
    PARENTING_ORDER_END = "parenting_order_end"
    PARENTING_PROGRAMME_END = "parenting_programme_end"


class Deadline(BaseModel):
    """One durable timer: the workflow sleeps until the earliest of these."""

    key: str
    kind: DeadlineKind
    title: str
    due_on: date
    ref: str | None = None


class Meeting(BaseModel):
    held_on: date
    attendees: list[str] = Field(default_factory=list)
    pupil_voice: str = ""
    summary: str = ""


class ActionPlan(BaseModel):
    plan_id: str
    agreed_on: date
    actions: list[str]
    review_on: date
    status: str = "open"  # open, improved, not_improved


class WholeFamilyPlan(BaseModel):
    """The joint approach for a severely absent pupil: agencies and what each does, the lead, actions, review."""

    plan_id: str
    agreed_on: date
    agencies: list[dict[str, str]]  # {"agency", "will_do"}
    lead_professional: str
    actions: list[str]
    review_on: date
    status: str = "open"  # open, improved, not_improved


class HomeVisit(BaseModel):
    visited_on: date
    attendees: list[str]
    seen: list[str]
    observations: str
    agreed: str
    next_steps: str


class JoinedContact(BaseModel):
    """The LA's named contact for attendance, joined to a severely absent pupil's case."""

    name: str | None  # None: the LA has no named contact set up
    email: str | None = None
    joined_on: date


class Referral(BaseModel):
    kind: str  # early_help, social_care
    made_on: date
    reason: str
    agency: str = ""


class Contract(BaseModel):
    contract_id: str
    parent: str
    offered_on: date
    parent_commitments: list[str]
    support_provided: list[str]
    signed_on: date | None = None
    review_on: date | None = None
    breaches: list[str] = Field(default_factory=list)
    status: str = "offered"  # offered, signed, breached, improved, ended


class Decision(BaseModel):
    recorded_on: date
    actor: str
    support_offered: str
    support_taken_up: bool
    send_or_health_needs: str = ""
    safeguarding: str = ""
    family_view: str
    adjustments: str = ""
    partners_consulted: list[str] = Field(default_factory=list)


class SupportEntry(BaseModel):
    """Support first (rules.md s10): one piece of support and how the family responded."""

    support_id: str
    recorded_on: date
    what: str
    provider: str
    start_date: date
    end_date: date | None = None
    review_date: date | None = None
    response: str  # offered, taken_up, declined
    outcome: str = ""


class SupportInappropriate(BaseModel):
    recorded_on: date
    reason: str


class ThresholdChange(BaseModel):
    """The national threshold met (or no longer met) from this day, as register reported it."""

    on: date
    met: bool


class FastTrack(BaseModel):
    started_on: date
    ends_on: date
    status: str = "running"  # running, ended
    # The entry figures (journeys after the lawful-pathway patch), which a later letter may quote.
    unauthorised_sessions: int | None = None
    period_start: date | None = None
    period_end: date | None = None


class NoticeToImprove(BaseModel):
    notice_id: str
    issued_on: date
    improvement_until: date
    status: str = "running"  # running, period_ended
    early_issue_grounds: str = ""


class PenaltyNotice(BaseModel):
    notice_id: str
    parent: str
    absence_period: str
    issued_on: date
    sequence: int
    amount_pence: int
    discounted_amount_pence: int | None = None
    discount_until: date | None = None
    pay_by: date
    status: str = "issued"  # issued, paid, paid_late, unpaid, withdrawn, prosecuted
    paid_on: date | None = None
    paid_amount_pence: int | None = None
    withdrawal_reason: str | None = None
    # Journeys recorded before the lawful-pathway patch have none of these.
    service_method: str | None = None
    received_on: date | None = None
    period_end: date | None = None
    decide_by: date | None = None  # unpaid: the LA's last day to decide to prosecute or withdraw


class Eso(BaseModel):
    applied_on: date
    status: str = "applied"  # applied, granted, refused, expired
    decided_on: date | None = None
    expires_on: date | None = None
    next_review_on: date | None = None
    extensions: int = 0


class Prosecution(BaseModel):
    decided_on: date
    section: ProsecutionSection
    reasons: str
    notice_id: str | None = None
    evidence_bundle: list[str] = Field(default_factory=list)
    outcome: str | None = None
    fine_pence: int | None = None
    parenting_order: bool = False
    parenting_order_months: int | None = None
    # Outcomes recorded after the adapted-path patch: every hearing, and the parenting order's terms.
    hearings: list[CourtHearing] = Field(default_factory=list)
    order: ParentingOrder | None = None


class PendingNotification(BaseModel):
    idempotency_key: str
    template: str
    recipient_role: RecipientRole
    context: dict[str, Any] = Field(default_factory=dict)


class JourneyState(BaseModel):
    """The whole journey. Workflow code mutates it only through transitions.py and the workflow's handlers."""

    pupil_id: str
    school_urn: str
    la_code: str
    # The admission the pupil is on now, once the journey followed them from the admission it began with (a move
    # of school or a readmission): letters go to that admission's parents and carers.
    admission_pupil_id: str | None = None
    # Distinguishes this journey from earlier ones of the same pupil (same workflow id) in entry keys.
    journey_ref: str = ""
    stage: Stage = Stage.MONITORING
    stage_before_closure: Stage | None = None
    status: JourneyStatus = JourneyStatus.OPEN
    flags: PupilFlags = Field(default_factory=PupilFlags)
    flagged: bool = False
    escalations: list[str] = Field(default_factory=list)  # deadline keys that lapsed and await a step
    state_version: int = 0
    sequence: int = 0  # for record ids and entry keys
    processed_event_ids: list[str] = Field(default_factory=list)
    penalty_threshold_met: bool = False
    threshold_history: list[ThresholdChange] = Field(default_factory=list)
    # The register's penalty-threshold window (unauthorised_sessions, window_weeks, session_date) for letters.
    threshold_details: dict[str, Any] = Field(default_factory=dict)
    lead_practitioner: str = "school"
    # Severe absence as register last said (BECAME_/LEFT_SEVERE_ABSENCE); None in states kept before it was
    # tracked, where the stage says it.
    severe_absence: bool | None = None
    la_contact: JoinedContact | None = None
    whole_family_plans: list[WholeFamilyPlan] = Field(default_factory=list)
    home_visits: list[HomeVisit] = Field(default_factory=list)
    # Children missing education: register facts awaiting the main loop, and the concerns they opened.
    cme_triggers: list[CmeTrigger] = Field(default_factory=list)
    cme_concerns: list[CmeConcern] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)
    action_plans: list[ActionPlan] = Field(default_factory=list)
    referrals: list[Referral] = Field(default_factory=list)
    tsm_discussions: list[str] = Field(default_factory=list)
    contracts: list[Contract] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    support: list[SupportEntry] = Field(default_factory=list)
    support_inappropriate: list[SupportInappropriate] = Field(default_factory=list)
    # The effective date of the last officer step: a later step cannot be dated before it.
    last_step_on: date | None = None
    # The pupil's school's days from register (None for journeys started before the lawful-pathway patch).
    school_calendar: SchoolCalendar | None = None
    calendar_failed_on: date | None = None
    calendar_stale: bool = False
    fast_track: FastTrack | None = None
    notices_to_improve: list[NoticeToImprove] = Field(default_factory=list)
    penalty_notices: list[PenaltyNotice] = Field(default_factory=list)
    eso: Eso | None = None
    prosecution: Prosecution | None = None
    prosecution_decision_due: bool = False
    closed_on: date | None = None
    deadlines: list[Deadline] = Field(default_factory=list)
    notifications_requested: list[str] = Field(default_factory=list)
    # Register facts accepted (deduplicated) but not yet processed: carried over continue-as-new.
    pending_facts: list[RegisterFact] = Field(default_factory=list)
    # Written to casework with the next projection, then cleared.
    pending_entries: list[TimelineEntry] = Field(default_factory=list)
    pending_notifications: list[PendingNotification] = Field(default_factory=list)
    # Set when something changed that casework has not been told yet.
    dirty: bool = False

    def next_id(self, prefix: str) -> str:
        self.sequence += 1
        return f"{prefix}-{self.sequence}"

    def remember_event(self, event_id: str) -> bool:
        """False when the event was seen before (signals may be delivered more than once)."""
        if event_id in self.processed_event_ids:
            return False
        self.processed_event_ids.append(event_id)
        del self.processed_event_ids[:-MAX_PROCESSED_EVENT_IDS]
        return True

    def add_entry(self, kind: str, title: str, at: datetime, actor: str | None = None,
                  **details: Any) -> None:
        key = f"{self.journey_ref}:{self.next_id(kind)}"
        self.pending_entries.append(TimelineEntry(entry_key=key, kind=kind, title=title, occurred_at=at,
                                                  actor=actor, details=details))
        self.dirty = True

    def set_deadline(self, key: str, kind: DeadlineKind, title: str, due_on: date, ref: str | None = None) -> None:
        self.clear_deadline(key)
        self.deadlines.append(Deadline(key=key, kind=kind, title=title, due_on=due_on, ref=ref))
        self.dirty = True

    def clear_deadline(self, key: str) -> None:
        self.deadlines = [d for d in self.deadlines if d.key != key]
        if key in self.escalations:
            self.escalations.remove(key)
        self.flagged = bool(self.escalations)

    def move_to(self, stage: Stage) -> None:
        self.stage = stage
        self.dirty = True

    def escalate_to(self, stage: Stage) -> None:
        """Move forward only: a later fact about a lower band never pulls a case back."""
        if self.stage in ACTIVE_STAGES and ACTIVE_STAGES.index(stage) > ACTIVE_STAGES.index(self.stage):
            self.move_to(stage)

    def notify(self, key: str, template: str, recipient: RecipientRole, **context: Any) -> None:
        self.pending_notifications.append(PendingNotification(idempotency_key=key, template=template,
                                                              recipient_role=recipient, context=context))

    def contract_for(self, parent: str) -> Contract | None:
        found = [c for c in self.contracts if c.parent == parent and c.status != "ended"]
        return found[-1] if found else None

    def notice(self, notice_id: str) -> PenaltyNotice | None:
        return next((n for n in self.penalty_notices if n.notice_id == notice_id), None)

    def threshold_met_on(self, day: date) -> bool:
        """Whether the national threshold was met on that day, from register's facts both ways."""
        if not self.threshold_history:
            return self.penalty_threshold_met
        met = False
        for change in sorted(self.threshold_history, key=lambda c: c.on):
            if change.on <= day:
                met = change.met
        return met

    def eso_in_force_on(self, day: date) -> bool:
        eso = self.eso
        return bool(eso and eso.status == "granted" and eso.decided_on and eso.expires_on
                    and eso.decided_on <= day <= eso.expires_on)

    def running_notice_to_improve(self, day: date) -> NoticeToImprove | None:
        return next((n for n in reversed(self.notices_to_improve)
                     if n.status == "running" and n.issued_on <= day <= n.improvement_until), None)

    def support_recorded(self) -> bool:
        return bool(self.support or self.support_inappropriate)

    def is_severely_absent(self) -> bool:
        return self.severe_absence if self.severe_absence is not None else self.stage is Stage.SEVERE_ABSENCE

    def open_family_plan(self) -> WholeFamilyPlan | None:
        return next((p for p in reversed(self.whole_family_plans) if p.status == "open"), None)

    def open_cme(self) -> CmeConcern | None:
        return next((c for c in reversed(self.cme_concerns) if c.status == "open"), None)

    def open_plan(self) -> ActionPlan | None:
        return next((p for p in reversed(self.action_plans) if p.status == "open"), None)

    def needs_adapted_path(self) -> bool:
        """SEND, medical and social-worker pupils: no legal step without adjustments and partners recorded."""
        f = self.flags
        return f.sen_support or f.ehcp or f.medical_condition or f.has_social_worker or f.child_protection_plan \
            or f.child_in_need or f.looked_after

    def reopen(self, stage: Stage) -> None:
        """Back to where the case was before closure (or `stage`), without the monitoring timer."""
        self.deadlines = [d for d in self.deadlines if d.kind is not DeadlineKind.CLOSURE_MONITORING]
        self.status = JourneyStatus.OPEN
        self.move_to(self.stage_before_closure or stage)

    def lead(self) -> str:
        """School leads unless another practitioner already does (social worker, early help, youth justice)."""
        if self.flags.has_social_worker or self.flags.looked_after:
            return "social worker"
        if any(r.kind == "early_help" for r in self.referrals):
            return "early help"
        if self.flags.has_youth_justice_worker:
            return "youth justice worker"
        if self.flags.ehcp:
            return "SEND caseworker (EHCP)"
        return "school"

    def threshold_window(self) -> tuple[int | None, str | None, str | None]:
        """Unauthorised sessions and the first and last day of the register's penalty-threshold window."""
        weeks = self.threshold_details.get("window_weeks") or []
        return (self.threshold_details.get("unauthorised_sessions"), weeks[0] if weeks else None,
                self.threshold_details.get("session_date") or (weeks[-1] if weeks else None))
