"""Client of the notifications service's internal API."""

from __future__ import annotations

from shared.contracts.notifications import NotificationOutcome, NotificationRequest
from shared.http import ServiceClient


class NotificationsClient(ServiceClient):
    service_name = "notifications"

    async def send(self, request: NotificationRequest) -> NotificationOutcome:
        return await self.post_model("/internal/notifications", request, NotificationOutcome,
                                     headers={"Idempotency-Key": request.idempotency_key})
