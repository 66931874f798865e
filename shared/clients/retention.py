"""Clients of each service's retention run (POST /internal/retention/run), for the scheduled retention workflow."""

from __future__ import annotations

from shared.contracts.retention import RetentionRunReport, RetentionRunRequest
from shared.http import ServiceClient


class RetentionClient(ServiceClient):
    service_name = "retention"

    async def run_retention(self, request: RetentionRunRequest) -> RetentionRunReport:
        """Remove the service's records past their retention period; the service records and reports the run."""
        return await self.post_model("/internal/retention/run", request, RetentionRunReport)


class RegisterRetentionClient(RetentionClient):
    service_name = "register"


class CaseworkRetentionClient(RetentionClient):
    service_name = "casework"


class NotificationsRetentionClient(RetentionClient):
    service_name = "notifications"


class ReturnsRetentionClient(RetentionClient):
    service_name = "returns"
