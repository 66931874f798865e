"""Client of register's internal API."""

from __future__ import annotations

from uuid import UUID

from shared.contracts.register import PupilContacts, PupilSummary
from shared.http import ServiceClient


class RegisterClient(ServiceClient):
    service_name = "register"

    async def pupil_contacts(self, pupil_id: UUID) -> PupilContacts:
        return await self.get_model(f"/internal/pupils/{pupil_id}/contacts", PupilContacts)

    async def pupil_summary(self, pupil_id: UUID) -> PupilSummary:
        return await self.get_model(f"/internal/pupils/{pupil_id}/summary", PupilSummary)
