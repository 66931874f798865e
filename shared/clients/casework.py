"""Client of casework's internal API: register's events in, the journey's case record in, an LA's case counts out."""

from __future__ import annotations

from shared.contracts.casework import CaseProjection, CasesByStage, EventReceipt
from shared.contracts.register import RegisterChange, RegisterChangeReceipt, RegisterEvent
from shared.http import ServiceClient


class CaseworkClient(ServiceClient):
    service_name = "casework"

    async def deliver_event(self, event: RegisterEvent) -> EventReceipt:
        return await self.post_model("/internal/events", event, EventReceipt)

    async def deliver_register_change(self, change: RegisterChange) -> RegisterChangeReceipt:
        return await self.post_model("/internal/register-changes", change, RegisterChangeReceipt)

    async def record_projection(self, projection: CaseProjection) -> CaseProjection:
        return await self.post_model("/internal/cases/{pupil_id}/projection", projection, CaseProjection,
                                     path_params={"pupil_id": projection.pupil_id})

    async def cases_by_stage(self, la_code: str) -> CasesByStage:
        """The LA's open case files counted by journey stage, overall and per school (returns' dashboard)."""
        return await self.get_model("/internal/las/{la_code}/cases-by-stage", CasesByStage,
                                    path_params={"la_code": la_code})
