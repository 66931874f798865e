"""The scheduled LA-return workflow: once per LA per period, returns generates every school's returns; the
DfE daily share's file drop, twice a day per LA; and the termly governor reports, checked daily per LA.

The worker registers `RETURNS_WORKFLOWS` and `returns_activities(settings)` on `TASK_QUEUE`
(shared.contracts.returns); `ensure_la_return_schedule` (schedules.py) creates or updates each LA's Schedule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from temporalio import workflow

# The sandbox re-imports this package with the workflow; pydantic models are safe to share with it.
with workflow.unsafe.imports_passed_through():
    from shared.contracts.returns import TASK_QUEUE
from workflows.returns.dfe_share import DfeShareDropWorkflow
from workflows.returns.governor import TermlyGovernorReportsWorkflow
from workflows.returns.workflow import LaReturnsWorkflow

if TYPE_CHECKING:
    from shared.settings import PlatformSettings

RETURNS_WORKFLOWS: list[type] = [LaReturnsWorkflow, DfeShareDropWorkflow, TermlyGovernorReportsWorkflow]

__all__ = ["RETURNS_WORKFLOWS", "TASK_QUEUE", "DfeShareDropWorkflow", "LaReturnsWorkflow",
           "TermlyGovernorReportsWorkflow", "returns_activities"]


def returns_activities(settings: PlatformSettings) -> list[Callable[..., Any]]:
    """The activities of the LA-return workflow, holding a client of the returns service."""
    # Imported here so that loading the workflow in the sandbox never pulls in httpx.
    from workflows.returns.activities import ReturnsActivities

    return ReturnsActivities.for_settings(settings).all()
