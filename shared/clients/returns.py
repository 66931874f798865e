"""Client of the returns service's internal API (services/returns/api/internal.py)."""

from __future__ import annotations

from shared.contracts import returns as contract
from shared.http import ServiceClient


class ReturnsClient(ServiceClient):
    service_name = "returns"

    async def generate(self, request: contract.GenerateReturnsRequest) -> contract.GenerateReturnsResult:
        """Generate (or regenerate, idempotently) every return of an LA's schools for a period."""
        return await self.post_model("/internal/returns/generate", request, contract.GenerateReturnsResult)

    async def drop_dfe_daily_share(self, request: contract.DfeShareDropRequest) -> contract.DfeShareDropResult:
        """Write the LA's DfE daily share for a day and collection to the drop folder, and record it."""
        return await self.post_model("/internal/dfe/daily-share/drop", request, contract.DfeShareDropResult)

    async def produce_governor_reports(self, request: contract.GovernorReportsRequest
                                       ) -> contract.GovernorReportsResult:
        """Store the governor report of every ended term of the LA's schools that has none yet."""
        return await self.post_model("/internal/governor-reports/produce", request, contract.GovernorReportsResult)
