"""Requests to the notifications service, and what it answers."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator


class RecipientRole(StrEnum):
    PARENTS = "parents"
    SOCIAL_WORKER = "social_worker"
    YOUTH_JUSTICE_WORKER = "youth_justice_worker"
    VIRTUAL_SCHOOL_HEAD = "virtual_school_head"
    ATTENDANCE_LEAD = "attendance_lead"
    EWO = "ewo"
    # The LA's named contact for attendance, who joins a severely absent pupil's case.
    LA_ATTENDANCE_CONTACT = "la_attendance_contact"
    # The LA's children missing education (CME) officer, told of every CME concern the journey opens.
    LA_CME_OFFICER = "la_cme_officer"


class TemplateName(StrEnum):
    """Every message the journey can ask for; each has text and HTML versions in notifications' templates."""

    UNEXPLAINED_ABSENCE_SOCIAL_WORKER = "unexplained_absence_social_worker"
    UNEXPLAINED_ABSENCE_YOUTH_JUSTICE_WORKER = "unexplained_absence_youth_justice_worker"
    UNEXPLAINED_ABSENCE_VIRTUAL_SCHOOL_HEAD = "unexplained_absence_virtual_school_head"
    FIRST_DAY_ABSENCE_PARENT = "first_day_absence_parent"
    PENDING_DELETION_SOCIAL_WORKER = "pending_deletion_social_worker"
    PENDING_DELETION_VIRTUAL_SCHOOL_HEAD = "pending_deletion_virtual_school_head"
    ATTENDANCE_CONCERN_VIRTUAL_SCHOOL_HEAD = "attendance_concern_virtual_school_head"
    TRAFFIC_LIGHT_LETTER_PARENT = "traffic_light_letter_parent"
    MEETING_INVITATION_PARENT = "meeting_invitation_parent"
    ACTION_PLAN_PARENT = "action_plan_parent"
    ATTENDANCE_CONTRACT_PARENT = "attendance_contract_parent"
    NOTICE_TO_IMPROVE_PARENT = "notice_to_improve_parent"
    PENALTY_NOTICE_PARENT = "penalty_notice_parent"
    IMPROVEMENT_PRAISE_PARENT = "improvement_praise_parent"
    ESCALATION_EWO = "escalation_ewo"
    DEADLINE_LAPSED_ATTENDANCE_LEAD = "deadline_lapsed_attendance_lead"
    CONTACT_DETAILS_MISSING_ATTENDANCE_LEAD = "contact_details_missing_attendance_lead"
    SEVERE_ABSENCE_LA_CONTACT = "severe_absence_la_contact"
    CME_CONCERN_LA_OFFICER = "cme_concern_la_officer"
    ACCESSIBLE_FORMAT_NEEDED_ATTENDANCE_LEAD = "accessible_format_needed_attendance_lead"

# What a person calls each message: the case timeline, the UI and the template catalogue all use these.
TEMPLATE_LABELS: dict[TemplateName, str] = {
    TemplateName.UNEXPLAINED_ABSENCE_SOCIAL_WORKER: "Unexplained absence (social worker)",
    TemplateName.UNEXPLAINED_ABSENCE_YOUTH_JUSTICE_WORKER: "Unexplained absence (youth justice worker)",
    TemplateName.UNEXPLAINED_ABSENCE_VIRTUAL_SCHOOL_HEAD: "Unexplained absence (virtual school head)",
    TemplateName.FIRST_DAY_ABSENCE_PARENT: "First-day absence contact",
    TemplateName.PENDING_DELETION_SOCIAL_WORKER: "Pending deletion from roll (social worker)",
    TemplateName.PENDING_DELETION_VIRTUAL_SCHOOL_HEAD: "Pending deletion from roll (virtual school head)",
    TemplateName.ATTENDANCE_CONCERN_VIRTUAL_SCHOOL_HEAD: "Attendance concern (virtual school head)",
    TemplateName.TRAFFIC_LIGHT_LETTER_PARENT: "Half-term attendance letter",
    TemplateName.MEETING_INVITATION_PARENT: "Attendance meeting invitation",
    TemplateName.ACTION_PLAN_PARENT: "Attendance action plan",
    TemplateName.ATTENDANCE_CONTRACT_PARENT: "Attendance contract",
    TemplateName.NOTICE_TO_IMPROVE_PARENT: "Notice to improve",
    TemplateName.PENALTY_NOTICE_PARENT: "Penalty notice",
    TemplateName.IMPROVEMENT_PRAISE_PARENT: "Praise for improved attendance",
    TemplateName.ESCALATION_EWO: "Escalation to the education welfare officer",
    TemplateName.DEADLINE_LAPSED_ATTENDANCE_LEAD: "Deadline lapsed",
    TemplateName.CONTACT_DETAILS_MISSING_ATTENDANCE_LEAD: "Contact details missing or invalid",
    TemplateName.SEVERE_ABSENCE_LA_CONTACT: "Severe absence: joint approach with the LA",
    TemplateName.CME_CONCERN_LA_OFFICER: "Child who may be missing education (CME officer)",
    TemplateName.ACCESSIBLE_FORMAT_NEEDED_ATTENDANCE_LEAD: "Letter needed in an accessible format",
}


def template_label(template: str) -> str:
    """The human name of a template, or its id when it is not one of ours."""
    try:
        return TEMPLATE_LABELS[TemplateName(template)]
    except ValueError:
        return template


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"
    LETTER = "letter"


class DeliveryStatus(StrEnum):
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"


class NotificationRequest(BaseModel):
    """One intent to tell someone something; the idempotency key makes repeats harmless."""

    idempotency_key: str = Field(min_length=8, max_length=200)
    template: str = Field(min_length=1, max_length=100)
    recipient_role: RecipientRole
    pupil_id: UUID
    channel: Channel | None = None
    context: dict[str, Any] = Field(default_factory=dict)
    # A language variant of the template (e.g. "cy"), where one exists; None is English.
    language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}$")


class NotificationRecord(BaseModel):
    notification_id: UUID
    idempotency_key: str
    template: str
    template_version: str
    recipient_role: RecipientRole
    recipient_name: str | None
    channel: Channel
    status: DeliveryStatus
    failure_reason: str | None = None
    subject: str | None = None
    created_at: datetime
    # Set on an escalation to the attendance lead: the notification that could not be delivered, or (for
    # "Letter needed in an accessible format") the letter an officer must produce by hand.
    escalates_notification_id: UUID | None = None
    # The language the message went in (a translation carries the English copy), the language the recipient
    # prefers, the format it was produced in (standard, large_print) and a format need an officer must meet by hand
    # (easy_read, braille, audio). None on records made before these were kept.
    language: str | None = None
    preferred_language: str | None = None
    accessible_format: str | None = None
    format_for_officer: str | None = None
    # For a translated message: whether a translator has checked the translation.
    translation_reviewed: bool | None = None


class NotificationStatusChange(BaseModel):
    status: DeliveryStatus
    detail: str | None = None
    occurred_at: datetime


class StatusPosition(BaseModel):
    """Where a reader of the status events has read to: an event's time and, for events at the same time, its id."""

    occurred_at: AwareDatetime
    event_id: int = Field(ge=0)


class StatusChanges(BaseModel):
    """The pupils whose messages' status moved after a position (for casework, whose case pages show each
    message's status): from the oldest change on, at most a page's worth, with where the page ends."""

    pupil_ids: list[UUID]
    # The last event read, to ask from next time; None when there was none.
    through: StatusPosition | None = None
    # More events follow `through` already: ask again from it at once.
    more: bool = False


class NotificationDetail(NotificationRecord):
    """One notification exactly as sent, with its status history (for the case page)."""

    pupil_id: UUID
    recipient_address: str | None = None
    body_text: str | None = None
    has_letter: bool = False
    history: list[NotificationStatusChange] = Field(default_factory=list)


class NotificationOutcome(BaseModel):
    """What came of one request: a record per recipient (parents may be several)."""

    idempotency_key: str
    repeated: bool = False
    notifications: list[NotificationRecord] = Field(default_factory=list)


class PreviewRequest(BaseModel):
    """Render a template with a pupil's real data without sending anything (casework's preview)."""

    template: str = Field(min_length=1, max_length=100)
    pupil_id: UUID
    recipient_role: RecipientRole | None = None
    channel: Channel | None = None
    context: dict[str, Any] = Field(default_factory=dict)
    language: str | None = Field(default=None, pattern=r"^[a-z]{2,3}$")


class TemplatePreview(BaseModel):
    template: str
    template_version: str
    recipient_name: str | None
    subject: str
    body_text: str
    body_html: str
    sms: str | None = None


class AlertTimingsRequest(BaseModel):
    """POST {notifications}/internal/notifications/timings : when alerts about these pupils' sessions went out.

    Read by returns for the LA's compliance view (were professionals told of an unexplained absence the same
    day?). Pupil ids go in the body, never the URL.
    """

    templates: list[TemplateName] = Field(min_length=1)
    pupil_ids: list[UUID] = Field(max_length=10_000)
    session_from: date
    session_to: date

    @model_validator(mode="after")
    def _ordered(self) -> AlertTimingsRequest:
        if self.session_from > self.session_to:
            raise ValueError("session_from must not be after session_to")
        return self


class AlertTiming(BaseModel):
    """One notification whose context names a session in the requested range."""

    notification_id: UUID
    pupil_id: UUID
    template: TemplateName
    recipient_role: RecipientRole
    session_date: date
    session: str | None = None
    queued_at: datetime
    # The first time a channel accepted it (status "sent"); None if it never was.
    sent_at: datetime | None = None
    status: DeliveryStatus


class TemplateChoice(BaseModel):
    """One entry of notifications' template catalogue (GET /internal/templates), as far as casework's preview
    picker reads it."""

    model_config = ConfigDict(extra="ignore")

    template: str
    label: str
    recipient_role: RecipientRole
    channels: list[Channel]
    required_context: list[str]
