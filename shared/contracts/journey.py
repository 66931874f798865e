"""The pupil journey's contract: names casework uses to reach the workflow without importing it, and the
payloads that cross the Temporal boundary. No pupil names, UPNs or dates of birth travel in these."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field

from shared.contracts.cme import CmeEnquiryDetails, CmeOutcomeDetails
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


class LaContact(BaseModel):
    """A professional's name and work address (an LA officer, never pupil data)."""

    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=320)


class JourneyPolicy(BaseModel):
    """Durations and thresholds that are local practice; they travel in the workflow input so that a
    journey keeps the policy it started with and tests can shrink them."""

    # Calendar-day limits that journeys started before the lawful-pathway patch keep (workflows/PATCHES.md).
    action_plan_review_days: int = 42
    contract_review_days: int = 42
    notice_to_improve_days: int = 28
    # Local practice [L, rules.md s10], counted in school weeks of the pupil's school calendar: an action plan
    # is reviewed within 6 school weeks, a contract within 6, fast track runs 12, a notice to improve's
    # improvement period (3-6 school weeks by the guidance) defaults to 4.
    action_plan_review_school_weeks: int = 6
    contract_review_school_weeks: int = 6
    fast_track_school_weeks: int = 12
    notice_to_improve_school_weeks: int = Field(default=4, ge=3, le=6)
    # Fast track entry [L, Norfolk's scheme]: at least this share of sessions unauthorised over the last
    # `fast_track_window_school_weeks` school weeks.
    fast_track_unauthorised_percent: int = 15
    fast_track_window_school_weeks: int = 6
    # After 28 days unpaid the LA must prosecute or withdraw (rules.md s11); how long it has to decide is
    # local practice [L]: calendar days from the last day for payment.
    prosecution_decision_days: int = 28
    # rules.md s15.2, unconfirmed [L]. A notice more than 3 years after the parent's first but within 3 years
    # of a later one: "first" charges it as a first notice (GBP 80 within 21 days / 160 within 28) and starts a
    # new 3-year period; "second" charges GBP 160 flat.
    penalty_rate_after_limit_period: Literal["first", "second"] = "first"
    # rules.md s15.2, unconfirmed [L]: whether notices issued before the framework began (19 Aug 2024) count
    # towards the limit. Counting them is the default: it never lets an unlawful third notice through.
    count_notices_before_framework: bool = True
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
    # Whole days the journey's today runs ahead of Temporal's clock: 0 in production; a training or test system
    # pinned to a date (shared.clock) sets it when it starts the journey, which keeps it across continue-as-new.
    clock_offset_days: int = 0
    # Printed on every penalty notice; each LA sets its own (casework passes it in the journey input).
    penalty_how_to_pay: str = ("Pay the local authority online or by phone as shown on its penalty notice page, "
                               "quoting the notice reference")
    # The LA's named contact for attendance, who joins the case of every severely absent pupil (rules.md s10:
    # "agree a joint approach with the LA"); casework passes its setting for the pupil's LA when it starts the
    # journey. None: the LA has none set up, and the journey says so on the case.
    la_attendance_contact: LaContact | None = None
    # The LA's children missing education officer, told of every CME concern (a new pupil who did not arrive, a
    # deletion with no known destination, 10 school days of continuous unauthorised absence); casework passes its
    # setting for the pupil's LA. None: the LA has none set up, and the case says so.
    la_cme_officer: LaContact | None = None
    # Local practice [L]: the school's and then the LA's reasonable enquiries are due within these many school
    # days of the concern opening (the pupil's school calendar; working days beyond it).
    cme_school_enquiry_school_days: int = Field(default=5, ge=1, le=20)
    cme_la_enquiry_school_days: int = Field(default=10, ge=1, le=40)


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
    # The body the actor acts for, as it signs letters: the local authority's name for an LA officer (casework
    # fills it from its settings); empty for school staff, whose school's name notifications knows.
    organisation: str = ""


class LedgerNotice(BaseModel):
    """A penalty notice as casework's notice ledger keeps it: per parent per child, outliving journeys, admissions
    and schools. Only references travel here (the notice id, a parent reference), never a name or a UPN."""

    notice_id: str
    parent: str = Field(min_length=1, max_length=40)
    issued_on: date
    status: str  # issued, paid, paid_late, unpaid, withdrawn, prosecuted
    # Who issued it: this LA's journey, or another LA an officer recorded it from.
    issued_by: str = ""
    recorded_from: str = "journey"  # journey, other_la


class OfficerAction(BaseModel):
    """An officer's step in the journey (update): validated before it reaches history."""

    action: str
    actor: Actor
    note: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    # The day the step happened (today when omitted): never after today, never before the journey's last step.
    effective_date: date | None = None
    # For a penalty notice: the parent's notices for this child from casework's ledger (other journeys, schools
    # and LAs), read at the moment of the step, so that the limit per parent per child holds across them.
    prior_notices: list[LedgerNotice] = Field(default_factory=list)


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
    # A deadline lapsed without the step it waited for: the case needs an officer's attention.
    flagged: bool = False
    # Children missing education concerns: triggers, enquiry deadlines, enquiries and outcome (newest last).
    cme_concerns: list[dict[str, Any]] = Field(default_factory=list)
    # Court orders and hearings: the prosecution's outcome and any parenting order (its requirements and dates),
    # the education supervision order's dates.
    court_orders: list[dict[str, Any]] = Field(default_factory=list)


class JourneyStatus(StrEnum):
    OPEN = "open"
    # Closed after sustained improvement; the journey watches for a monitoring period before it ends.
    CLOSED_MONITORING = "closed_monitoring"
    ENDED = "ended"


class ActionName(StrEnum):
    """Every officer step the journey accepts (OfficerAction.action); details are ACTION_DETAILS[name]."""

    INVITE_TO_MEETING = "invite_to_meeting"
    RECORD_MEETING = "record_meeting"
    AGREE_ACTION_PLAN = "agree_action_plan"
    REVIEW_ACTION_PLAN = "review_action_plan"
    REFER_EARLY_HELP = "refer_early_help"
    REFER_SOCIAL_CARE = "refer_social_care"
    RECORD_TSM_DISCUSSION = "record_tsm_discussion"
    OFFER_ATTENDANCE_CONTRACT = "offer_attendance_contract"
    SIGN_ATTENDANCE_CONTRACT = "sign_attendance_contract"
    REVIEW_ATTENDANCE_CONTRACT = "review_attendance_contract"
    RECORD_CONTRACT_BREACH = "record_contract_breach"
    RECORD_DECISION = "record_decision"
    START_FAST_TRACK = "start_fast_track"
    ISSUE_NOTICE_TO_IMPROVE = "issue_notice_to_improve"
    ISSUE_PENALTY_NOTICE = "issue_penalty_notice"
    RECORD_PENALTY_PAYMENT = "record_penalty_payment"
    WITHDRAW_PENALTY_NOTICE = "withdraw_penalty_notice"
    APPLY_FOR_ESO = "apply_for_eso"
    RECORD_ESO_DECISION = "record_eso_decision"
    REVIEW_ESO = "review_eso"
    EXTEND_ESO = "extend_eso"
    DECIDE_PROSECUTION = "decide_prosecution"
    RECORD_COURT_OUTCOME = "record_court_outcome"
    CLOSE_CASE = "close_case"
    REOPEN_CASE = "reopen_case"
    # Opens a case by hand (update-with-start); accepted whenever the journey is open, changes nothing else.
    OPEN_CASE = "open_case"
    # Support first: what was offered and how the family responded, or why support is inappropriate.
    RECORD_SUPPORT = "record_support"
    RECORD_SUPPORT_INAPPROPRIATE = "record_support_inappropriate"
    # Severe absence (rules.md s10): the joint approach with the LA, a whole-family plan with the other agencies.
    AGREE_WHOLE_FAMILY_PLAN = "agree_whole_family_plan"
    REVIEW_WHOLE_FAMILY_PLAN = "review_whole_family_plan"
    RECORD_HOME_VISIT = "record_home_visit"
    # Children missing education (shared/contracts/cme.py): the school's and LA's enquiries, and the outcome.
    RECORD_CME_ENQUIRY = "record_cme_enquiry"
    RECORD_CME_OUTCOME = "record_cme_outcome"


class Outcome(StrEnum):
    IMPROVED = "improved"
    NOT_IMPROVED = "not_improved"


class NoDetails(BaseModel):
    """An action whose only content is the note."""


class MeetingInvitationDetails(BaseModel):
    meeting_date: date
    meeting_time: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")  # 24-hour HH:MM
    meeting_place: str = Field(min_length=1, max_length=200)


class MeetingDetails(BaseModel):
    held_on: date | None = None  # today when omitted
    attendees: list[str] = Field(default_factory=list)  # roles, e.g. "parent", "pupil", "school nurse"
    pupil_voice: str = ""
    summary: str = ""
    # When what was agreed is next reviewed. Optional here so that meetings recorded before replay; casework
    # refuses a new meeting without it. The journey keeps it on the step's timeline entry and sets no timer.
    next_review_date: date | None = None


class ActionPlanDetails(BaseModel):
    actions: list[str] = Field(min_length=1)  # SMART actions
    review_date: date  # a school day no more than 6 school weeks (policy) after the plan is agreed


class ReviewDetails(BaseModel):
    outcome: Outcome
    next_review_date: date | None = None  # a further review within the same limit keeps the plan/contract open


class ContractReviewDetails(ReviewDetails):
    """A contract review as evidence: who attended and what was agreed (its date is the step's date). Optional
    here so that reviews recorded before replay; casework refuses a new review without them."""

    attendees: list[str] = Field(default_factory=list)
    agreed: str = ""


class AgencyCommitment(BaseModel):
    agency: str = Field(min_length=1, max_length=200)
    will_do: str = Field(min_length=1, max_length=500)


class WholeFamilyPlanDetails(BaseModel):
    """The whole-family plan for a severely absent pupil: the agencies involved and what each will do, who leads,
    the actions, and a review within the policy's school weeks (as an action plan's)."""

    agencies: list[AgencyCommitment] = Field(min_length=1)
    lead_professional: str = Field(min_length=1, max_length=200)
    actions: list[str] = Field(min_length=1)
    review_date: date


class HomeVisitDetails(BaseModel):
    """A home visit as a court needs it: who went, who was seen, what was observed and agreed, what happens next
    (its date is the step's date)."""

    attendees: list[str] = Field(min_length=1)  # who made the visit, by role
    seen: list[str] = Field(min_length=1)  # who was seen: parent, pupil, ...
    observations: str = Field(min_length=1, max_length=2000)
    agreed: str = Field(min_length=1, max_length=2000)
    next_steps: str = Field(min_length=1, max_length=2000)
    next_review_date: date | None = None  # as a meeting's: required by casework, optional for replay


class ReferralDetails(BaseModel):
    reason: str = Field(min_length=1)
    agency: str = ""


class TsmDetails(BaseModel):
    discussed_on: date | None = None
    outcome: str = Field(min_length=1)


class ContractOfferDetails(BaseModel):
    parent: str = Field(min_length=1, max_length=40)  # a reference such as "parent-1", never a name
    parent_commitments: list[str] = Field(min_length=1)
    support_provided: list[str] = Field(min_length=1)


class ContractSignDetails(BaseModel):
    parent: str = Field(min_length=1, max_length=40)
    review_date: date | None = None  # default: policy.contract_review_school_weeks after signing


class ContractBreachDetails(BaseModel):
    parent: str = Field(min_length=1, max_length=40)
    breach: str = Field(min_length=1)


class DecisionDetails(BaseModel):
    """The decision log the guidance expects before any formal or legal step."""

    support_offered: str = Field(min_length=1)
    support_taken_up: bool
    send_or_health_needs: str = ""
    safeguarding: str = ""
    family_view: str = Field(min_length=1)
    # Needed for SEND, medical and social-worker pupils before a legal step:
    adjustments: str = ""
    partners_consulted: list[str] = Field(default_factory=list)


class NoticeToImproveDetails(BaseModel):
    """What the guidance expects a notice to improve to say. The absence record defaults to the register's
    penalty-threshold window; support defaults to the latest decision log entry."""

    improvement_days: int | None = Field(default=None, ge=21, le=42)  # older callers: 3-6 weeks in days
    improvement_school_weeks: int | None = Field(default=None, ge=3, le=6)  # default from policy
    unauthorised_sessions: int | None = Field(default=None, ge=1)
    period_start: date | None = None
    period_end: date | None = None
    support_offered: list[str] = Field(default_factory=list)
    sufficient_improvement: str = Field(default="no unauthorised absence during the improvement period",
                                        min_length=1)
    early_issue_grounds: str = Field(default="any further unauthorised absence during the improvement period "
                                             "that is not explained within two school days", min_length=1)


class ServiceMethod(StrEnum):
    """How a penalty notice reaches the parent, which fixes the day it is presumed received."""

    BY_HAND = "by_hand"
    FIRST_CLASS_POST = "first_class_post"


class PenaltyNoticeDetails(BaseModel):
    """One notice to one parent for this child; amounts and dates come from the national framework."""

    parent: str = Field(min_length=1, max_length=40)
    absence_period: str = Field(default="", max_length=100)  # e.g. "2026-09-08 to 2026-11-14"
    issued_on: date | None = None  # the step's date when omitted (handed over, or posted)
    # Required for a new notice; optional only so that journeys recorded before it was asked for replay.
    service_method: ServiceMethod | None = None
    # The offence period and count default to the register's penalty-threshold window.
    unauthorised_sessions: int | None = Field(default=None, ge=1)
    period_start: date | None = None
    period_end: date | None = None
    # During a notice to improve's improvement period: which of its stated early-issue grounds happened.
    early_issue_grounds_met: str = Field(default="", max_length=500)
    # Without the national threshold met: why this is one of the other cases the framework allows.
    other_case_reason: str = Field(default="", max_length=500)


class PenaltyPaymentDetails(BaseModel):
    """A payment as the LA received it: after the payment period it is recorded as late, and the LA decides."""

    notice_id: str
    paid_on: date | None = None  # the step's date when omitted
    amount_pence: int = Field(gt=0)


class PenaltyWithdrawalDetails(BaseModel):
    notice_id: str
    reason: str = Field(min_length=1)


class FastTrackDetails(BaseModel):
    """The entry criterion's figures (register's facts do not carry a 6-school-week unauthorised rate): the
    sessions over the last school weeks the policy names. Optional only for journeys recorded before."""

    unauthorised_sessions: int | None = Field(default=None, ge=0)
    possible_sessions: int | None = Field(default=None, ge=1)
    period_start: date | None = None
    period_end: date | None = None


class SupportResponse(StrEnum):
    OFFERED = "offered"
    TAKEN_UP = "taken_up"
    DECLINED = "declined"


class SupportDetails(BaseModel):
    """One piece of support: what, who provides it, when, and how the family responded. With `support_id`,
    a later response or outcome for an entry already recorded."""

    support_id: str | None = None
    what: str = Field(default="", max_length=200)
    provider: str = Field(default="", max_length=200)
    start_date: date | None = None
    end_date: date | None = None
    review_date: date | None = None
    response: SupportResponse = SupportResponse.OFFERED
    outcome: str = Field(default="", max_length=500)


class EsoDecisionDetails(BaseModel):
    granted: bool
    decided_on: date | None = None


class EsoExtensionDetails(BaseModel):
    years: int = Field(ge=1, le=3)


class ProsecutionSection(StrEnum):
    S444_1 = "s444(1)"
    S444_1A = "s444(1A)"


class ProsecutionDetails(BaseModel):
    section: ProsecutionSection
    reasons: str = Field(min_length=1)
    notice_id: str | None = None  # the unpaid penalty notice this follows, if any
    eso_considered: str = Field(min_length=1)  # s447: why an ESO was or was not pursued


class CourtOutcomeDetails(BaseModel):
    """What the magistrates' court decided at a hearing; an adjourned hearing leaves the prosecution awaiting its
    outcome. A parenting order (on conviction; Sentencing Act 2020 s369, rules.md s10) has its requirements, its
    start and length (at most 12 months) and any counselling or guidance programme (at most 3 months). The dates
    and the order's requirements are optional here only so that outcomes recorded before replay: the journey
    refuses a new outcome without them."""

    outcome: str = Field(pattern="^(convicted|acquitted|withdrawn|adjourned)$")
    hearing_date: date | None = None
    next_hearing_date: date | None = None  # adjourned: when the court sits again
    fine_pence: int | None = Field(default=None, ge=0)
    parenting_order: bool = False
    # The statutory limit (12) is checked by the journey, which names it.
    parenting_order_months: int | None = Field(default=None, ge=1)
    parenting_order_requirements: str = Field(default="", max_length=4000)
    parenting_order_start: date | None = None
    programme: str = Field(default="", max_length=2000)  # the counselling or guidance programme, if any
    programme_end: date | None = None


class ReasonDetails(BaseModel):
    reason: str = Field(min_length=1)


class CloseDetails(BaseModel):
    """Closure after sustained improvement; with the figures, parents get a letter of praise."""

    reason: str = Field(min_length=1)
    attendance_rate: str | None = None  # e.g. "96.1"
    previous_attendance_rate: str | None = None
    period_start: date | None = None
    period_end: date | None = None


ACTION_DETAILS: dict[ActionName, type[BaseModel]] = {
    ActionName.INVITE_TO_MEETING: MeetingInvitationDetails,
    ActionName.RECORD_MEETING: MeetingDetails,
    ActionName.AGREE_ACTION_PLAN: ActionPlanDetails,
    ActionName.REVIEW_ACTION_PLAN: ReviewDetails,
    ActionName.REFER_EARLY_HELP: ReferralDetails,
    ActionName.REFER_SOCIAL_CARE: ReferralDetails,
    ActionName.RECORD_TSM_DISCUSSION: TsmDetails,
    ActionName.OFFER_ATTENDANCE_CONTRACT: ContractOfferDetails,
    ActionName.SIGN_ATTENDANCE_CONTRACT: ContractSignDetails,
    ActionName.REVIEW_ATTENDANCE_CONTRACT: ContractReviewDetails,
    ActionName.RECORD_CONTRACT_BREACH: ContractBreachDetails,
    ActionName.RECORD_DECISION: DecisionDetails,
    ActionName.START_FAST_TRACK: FastTrackDetails,
    ActionName.ISSUE_NOTICE_TO_IMPROVE: NoticeToImproveDetails,
    ActionName.ISSUE_PENALTY_NOTICE: PenaltyNoticeDetails,
    ActionName.RECORD_PENALTY_PAYMENT: PenaltyPaymentDetails,
    ActionName.WITHDRAW_PENALTY_NOTICE: PenaltyWithdrawalDetails,
    ActionName.APPLY_FOR_ESO: NoDetails,
    ActionName.RECORD_ESO_DECISION: EsoDecisionDetails,
    ActionName.REVIEW_ESO: ReviewDetails,
    ActionName.EXTEND_ESO: EsoExtensionDetails,
    ActionName.DECIDE_PROSECUTION: ProsecutionDetails,
    ActionName.RECORD_COURT_OUTCOME: CourtOutcomeDetails,
    ActionName.CLOSE_CASE: CloseDetails,
    ActionName.REOPEN_CASE: ReasonDetails,
    ActionName.OPEN_CASE: NoDetails,
    ActionName.RECORD_SUPPORT: SupportDetails,
    ActionName.RECORD_SUPPORT_INAPPROPRIATE: ReasonDetails,
    ActionName.AGREE_WHOLE_FAMILY_PLAN: WholeFamilyPlanDetails,
    ActionName.REVIEW_WHOLE_FAMILY_PLAN: ReviewDetails,
    ActionName.RECORD_HOME_VISIT: HomeVisitDetails,
    ActionName.RECORD_CME_ENQUIRY: CmeEnquiryDetails,
    ActionName.RECORD_CME_OUTCOME: CmeOutcomeDetails,
}

ACTION_LABELS: dict[ActionName, str] = {
    ActionName.INVITE_TO_MEETING: "Invite parents to an attendance meeting",
    ActionName.RECORD_MEETING: "Record an attendance meeting",
    ActionName.AGREE_ACTION_PLAN: "Agree an action plan",
    ActionName.REVIEW_ACTION_PLAN: "Review the action plan",
    ActionName.REFER_EARLY_HELP: "Refer to early help",
    ActionName.REFER_SOCIAL_CARE: "Refer to children's social care",
    ActionName.RECORD_TSM_DISCUSSION: "Record a Targeting Support Meeting discussion",
    ActionName.OFFER_ATTENDANCE_CONTRACT: "Offer an attendance contract",
    ActionName.SIGN_ATTENDANCE_CONTRACT: "Record a signed attendance contract",
    ActionName.REVIEW_ATTENDANCE_CONTRACT: "Review the attendance contract",
    ActionName.RECORD_CONTRACT_BREACH: "Record a contract breach",
    ActionName.RECORD_DECISION: "Record the decision factors",
    ActionName.START_FAST_TRACK: "Start fast track",
    ActionName.ISSUE_NOTICE_TO_IMPROVE: "Issue a notice to improve",
    ActionName.ISSUE_PENALTY_NOTICE: "Issue a penalty notice",
    ActionName.RECORD_PENALTY_PAYMENT: "Record a penalty notice payment",
    ActionName.WITHDRAW_PENALTY_NOTICE: "Withdraw a penalty notice",
    ActionName.APPLY_FOR_ESO: "Apply for an education supervision order",
    ActionName.RECORD_ESO_DECISION: "Record the court's ESO decision",
    ActionName.REVIEW_ESO: "Review the education supervision order",
    ActionName.EXTEND_ESO: "Extend the education supervision order",
    ActionName.DECIDE_PROSECUTION: "Decide to prosecute",
    ActionName.RECORD_COURT_OUTCOME: "Record the court outcome",
    ActionName.CLOSE_CASE: "Close the case",
    ActionName.REOPEN_CASE: "Reopen the case",
    ActionName.OPEN_CASE: "Open a case",
    ActionName.RECORD_SUPPORT: "Record support offered, taken up or declined",
    ActionName.RECORD_SUPPORT_INAPPROPRIATE: "Record why support is inappropriate",
    ActionName.AGREE_WHOLE_FAMILY_PLAN: "Agree a whole-family plan (severe absence)",
    ActionName.REVIEW_WHOLE_FAMILY_PLAN: "Review the whole-family plan",
    ActionName.RECORD_HOME_VISIT: "Record a home visit",
    ActionName.RECORD_CME_ENQUIRY: "Record a reasonable enquiry (child missing education)",
    ActionName.RECORD_CME_OUTCOME: "Record the outcome of the missing education concern",
}


class JourneyDetail(BaseModel):
    """More of the journey for the case page (query QUERY_DETAIL): records, refusals explained per action."""

    view: JourneyView
    refusals: dict[str, str] = Field(default_factory=dict)  # action -> why it is not available now
    penalty_notices: list[dict[str, Any]] = Field(default_factory=list)
    decisions: list[dict[str, Any]] = Field(default_factory=list)


QUERY_DETAIL = "detail"
