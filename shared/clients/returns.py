"""Client of the returns service's internal API."""

from __future__ import annotations

from shared.contracts.returns import GenerateReturnsRequest, GenerateReturnsResult
from shared.http import ServiceClient


class ReturnsClient(ServiceClient):
    service_name = "returns"

    async def generate(self, request: GenerateReturnsRequest) -> GenerateReturnsResult:
        """Generate (or regenerate, idempotently) every return of an LA's schools for a period."""
        return await self.post_model("/internal/returns/generate", request, GenerateReturnsResult)
