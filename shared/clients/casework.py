"""Client of casework's internal API: register's events in, the journey's case record in."""

from __future__ import annotations

from shared.contracts.casework import CaseProjection, EventReceipt
from shared.contracts.register import RegisterEvent
from shared.http import ServiceClient


class CaseworkClient(ServiceClient):
    service_name = "casework"

    async def deliver_event(self, event: RegisterEvent) -> EventReceipt:
        return await self.post_model("/internal/events", event, EventReceipt)

    async def record_projection(self, projection: CaseProjection) -> CaseProjection:
        return await self.post_model(f"/internal/cases/{projection.pupil_id}/projection", projection,
                                     CaseProjection)
