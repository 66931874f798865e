"""The LA-return workflow's activity: ask the returns service to generate (idempotent on its side)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from shared.auth import service_token
from shared.clients.returns import ReturnsClient
from shared.contracts.returns import (
    DFE_DROP_ACTIVITY,
    GENERATE_ACTIVITY,
    GOVERNOR_REPORTS_ACTIVITY,
    DfeShareDropRequest,
    DfeShareDropResult,
    GenerateReturnsRequest,
    GenerateReturnsResult,
    GovernorReportsRequest,
    GovernorReportsResult,
)
from shared.http import ServiceCallFailed, Transport
from shared.settings import PlatformSettings

# Generating a period reads every school's marks for it (a year of them for a July return) and can take longer
# than an ordinary call's timeout on a busy machine; the service finishes the work anyway, so a client that gave
# up at 10 s only asked for it again, for ever. Well inside the activity's 10-minute start-to-close timeout.
GENERATE_HTTP_TIMEOUT_SECONDS = 300.0


class ReturnsActivities:
    def __init__(self, client: ReturnsClient) -> None:
        self.client = client

    @classmethod
    def for_settings(cls, settings: PlatformSettings,
                     transport: Transport | None = None) -> ReturnsActivities:
        timeout = max(settings.http_timeout_seconds, GENERATE_HTTP_TIMEOUT_SECONDS)
        return cls(ReturnsClient(settings.returns_url, service_token("returns-worker", ReturnsClient.service_name,
                                                                     settings), timeout, transport))

    def all(self) -> list[Callable[..., Any]]:
        return [self.generate_la_returns, self.drop_dfe_daily_share, self.produce_governor_reports]

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

    @activity.defn(name=DFE_DROP_ACTIVITY)
    async def drop_dfe_daily_share(self, request: DfeShareDropRequest) -> DfeShareDropResult:
        """Writing the same collection again replaces its file and records the collection again."""
        try:
            return await self.client.drop_dfe_daily_share(request)
        except ServiceCallFailed as exc:
            if exc.is_rejection:
                raise ApplicationError(exc.detail, type=exc.problem_type, non_retryable=True) from exc
            raise

    @activity.defn(name=GOVERNOR_REPORTS_ACTIVITY)
    async def produce_governor_reports(self, request: GovernorReportsRequest) -> GovernorReportsResult:
        """Only terms without a stored report are produced, so a retry after a partial run finishes the rest."""
        try:
            return await self.client.produce_governor_reports(request)
        except ServiceCallFailed as exc:
            if exc.is_rejection:
                raise ApplicationError(exc.detail, type=exc.problem_type, non_retryable=True) from exc
            raise
