"""Client of the returns service's internal API."""

from __future__ import annotations

from shared.contracts.returns import (
    DfeShareDropRequest,
    DfeShareDropResult,
    GenerateReturnsRequest,
    GenerateReturnsResult,
    GovernorReportsRequest,
    GovernorReportsResult,
)
from shared.http import ServiceClient


class ReturnsClient(ServiceClient):
    service_name = "returns"

    async def generate(self, request: GenerateReturnsRequest) -> GenerateReturnsResult:
        """Generate (or regenerate, idempotently) every return of an LA's schools for a period."""
        return await self.post_model("/internal/returns/generate", request, GenerateReturnsResult)

    async def drop_dfe_daily_share(self, request: DfeShareDropRequest) -> DfeShareDropResult:
        """Write the LA's DfE daily share for a day and collection to the drop folder, and record it."""
        return await self.post_model("/internal/dfe/daily-share/drop", request, DfeShareDropResult)

    async def produce_governor_reports(self, request: GovernorReportsRequest) -> GovernorReportsResult:
        """Store the governor report of every ended term of the LA's schools that has none yet."""
        return await self.post_model("/internal/governor-reports/produce", request, GovernorReportsResult)
