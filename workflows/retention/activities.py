"""The retention workflow's activity: ask one service to run its retention job (a repeat removes nothing more)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from shared.clients.retention import (
    CaseworkRetentionClient,
    NotificationsRetentionClient,
    RegisterRetentionClient,
    RetentionClient,
    ReturnsRetentionClient,
)
from shared.contracts.retention import RETENTION_ACTIVITY, RetentionRunReport, RetentionRunRequest, RetentionServiceRun
from shared.http import ServiceCallFailed
from shared.retention import RETENTION_CALLER
from shared.settings import PlatformSettings

CALLER = RETENTION_CALLER


class RetentionActivities:
    def __init__(self, clients: dict[str, RetentionClient]) -> None:
        self.clients = clients

    @classmethod
    def for_settings(cls, settings: PlatformSettings) -> RetentionActivities:
        clients: dict[str, Any] = {
            "register": RegisterRetentionClient.for_caller(CALLER, settings.register_url, settings),
            "casework": CaseworkRetentionClient.for_caller(CALLER, settings.casework_url, settings),
            "notifications": NotificationsRetentionClient.for_caller(CALLER, settings.notifications_url, settings),
            "returns": ReturnsRetentionClient.for_caller(CALLER, settings.returns_url, settings)}
        return cls(clients)

    def all(self) -> list[Callable[..., Any]]:
        return [self.run_retention]

    @activity.defn(name=RETENTION_ACTIVITY)
    async def run_retention(self, request: RetentionServiceRun) -> RetentionRunReport:
        client = self.clients.get(request.service)
        if client is None:
            raise ApplicationError(f"No retention run for {request.service}.", type="InvalidInput",
                                   non_retryable=True)
        try:
            return await client.run_retention(RetentionRunRequest(as_of=request.as_of))
        except ServiceCallFailed as exc:
            if exc.is_rejection:
                raise ApplicationError(exc.detail, type=exc.problem_type, non_retryable=True) from exc
            raise
