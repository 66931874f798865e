"""Client of the notifications service's internal API."""

from __future__ import annotations

from uuid import UUID

from pydantic import TypeAdapter

from shared.contracts.notifications import (
    AlertTiming,
    AlertTimingsRequest,
    NotificationDetail,
    NotificationOutcome,
    NotificationRecord,
    NotificationRequest,
    PreviewRequest,
    StatusChanges,
    StatusPosition,
    TemplateChoice,
    TemplatePreview,
)
from shared.http import ServiceClient

_RECORDS = TypeAdapter(list[NotificationRecord])
_TIMINGS = TypeAdapter(list[AlertTiming])
_TEMPLATES = TypeAdapter(list[TemplateChoice])


class NotificationsClient(ServiceClient):
    service_name = "notifications"

    async def send(self, request: NotificationRequest) -> NotificationOutcome:
        return await self.post_model("/internal/notifications", request, NotificationOutcome,
                                     headers={"Idempotency-Key": request.idempotency_key})

    async def pupil_notifications(self, pupil_id: UUID) -> list[NotificationRecord]:
        """Everything sent (or not) about one pupil, newest first, for the case page."""
        response = await self.request("GET", "/internal/pupils/{pupil_id}/notifications",
                                       path_params={"pupil_id": pupil_id})
        return _RECORDS.validate_python(response.json())

    async def status_changes(self, after: StatusPosition) -> StatusChanges:
        """The pupils whose messages' status moved after the position, a page at a time, oldest first."""
        response = await self.request("GET", "/internal/status-changes", params={
            "after_time": after.occurred_at.isoformat(), "after_event": after.event_id})
        return StatusChanges.model_validate_json(response.content)

    async def notification(self, notification_id: UUID) -> NotificationDetail:
        return await self.get_model("/internal/notifications/{notification_id}", NotificationDetail,
                                    path_params={"notification_id": notification_id})

    async def letter_pdf(self, notification_id: UUID) -> bytes:
        response = await self.request("GET", "/internal/notifications/{notification_id}/letter.pdf",
                                       path_params={"notification_id": notification_id})
        return response.content

    async def preview(self, request: PreviewRequest) -> TemplatePreview:
        """Render a template with a pupil's real data without sending it."""
        return await self.post_model("/internal/previews", request, TemplatePreview)

    async def alert_timings(self, request: AlertTimingsRequest) -> list[AlertTiming]:
        """When alerts about these pupils' sessions were queued and first sent (returns' compliance view)."""
        response = await self.request("POST", "/internal/notifications/timings",
                                      json=request.model_dump(mode="json"))
        return _TIMINGS.validate_python(response.json())

    async def templates(self) -> list[TemplateChoice]:
        """The template catalogue: each template's label, recipient, channels and the context it needs."""
        response = await self.request("GET", "/internal/templates")
        return _TEMPLATES.validate_python(response.json())
