"""The scheduled retention run: once a day, each service (register, casework, notifications, returns) removes its
records past their retention period.

The worker registers `RETENTION_WORKFLOWS` and `retention_activities(settings)` on `TASK_QUEUE`;
`ensure_retention_schedule` (schedules.py) creates or updates the Schedule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from workflows.retention.workflow import TASK_QUEUE, RetentionWorkflow

if TYPE_CHECKING:
    from shared.settings import PlatformSettings

RETENTION_WORKFLOWS: list[type] = [RetentionWorkflow]

__all__ = ["RETENTION_WORKFLOWS", "TASK_QUEUE", "RetentionWorkflow", "retention_activities"]


def retention_activities(settings: PlatformSettings) -> list[Callable[..., Any]]:
    """The retention activity, holding a client of each service's internal API."""
    # Imported here so that loading the workflow in the sandbox never pulls in httpx.
    from workflows.retention.activities import RetentionActivities

    return RetentionActivities.for_settings(settings).all()
