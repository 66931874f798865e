"""The LA-return workflow's activity: ask the returns service to generate (idempotent on its side)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from shared.clients.returns import ReturnsClient
from shared.contracts.returns import GENERATE_ACTIVITY, GenerateReturnsRequest, GenerateReturnsResult
from shared.http import ServiceCallFailed
from shared.settings import PlatformSettings


class ReturnsActivities:
    def __init__(self, client: ReturnsClient) -> None:
        self.client = client

    @classmethod
    def for_settings(cls, settings: PlatformSettings) -> ReturnsActivities:
        client = ReturnsClient.for_caller("returns-worker", settings.returns_url, settings)
        assert isinstance(client, ReturnsClient)
        return cls(client)

    def all(self) -> list[Callable[..., Any]]:
        return [self.generate_la_returns]

    @activity.defn(name=GENERATE_ACTIVITY)
    async def generate_la_returns(self, request: GenerateReturnsRequest) -> GenerateReturnsResult:
        """Regenerating a period replaces unsubmitted returns under a unique key, so a retry is harmless."""
        try:
            return await self.client.generate(request)
        except ServiceCallFailed as exc:
            # 409: a concurrent generation of the same period; trying again is the right answer.
            if exc.is_rejection and exc.status != 409:
                # The request itself is wrong (unknown LA, bad period): retrying will not help.
                raise ApplicationError(exc.detail, type=exc.problem_type, non_retryable=True) from exc
            raise
