"""Requests to the notifications service, and what it answers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field


class RecipientRole(StrEnum):
    PARENTS = "parents"
    SOCIAL_WORKER = "social_worker"
    YOUTH_JUSTICE_WORKER = "youth_justice_worker"
    VIRTUAL_SCHOOL_HEAD = "virtual_school_head"
    ATTENDANCE_LEAD = "attendance_lead"
    EWO = "ewo"


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


class NotificationOutcome(BaseModel):
    """What came of one request: a record per recipient (parents may be several)."""

    idempotency_key: str
    repeated: bool = False
    notifications: list[NotificationRecord] = Field(default_factory=list)
