"""The retention run's Temporal Schedule, created or brought up to date by one call (the worker's start)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleCalendarSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleRange,
    ScheduleSpec,
)

from shared import clock
from shared.contracts.retention import RETENTION_SCHEDULE_ID, RETENTION_WORKFLOW_TYPE, RetentionInput
from workflows.retention.workflow import TASK_QUEUE
from workflows.returns.schedules import LONDON, _ensure


class RetentionScheduleSettings(BaseSettings):
    """RETENTION_SCHEDULE_*: whether the daily retention run is scheduled, and at what hour (UK time)."""

    model_config = SettingsConfigDict(env_prefix="RETENTION_SCHEDULE_", extra="ignore")

    enabled: bool = True
    # At night, when nobody is marking registers.
    hour: int = Field(default=2, ge=0, le=5)


def retention_schedule(*, hour: int = 2, task_queue: str = TASK_QUEUE) -> Schedule:
    spec = ScheduleSpec(calendars=[ScheduleCalendarSpec(hour=[ScheduleRange(hour)])], time_zone_name=LONDON)
    action = ScheduleActionStartWorkflow(RETENTION_WORKFLOW_TYPE,
                                         RetentionInput(clock_offset_days=clock.offset_days()),
                                         id=f"{RETENTION_SCHEDULE_ID}-scheduled", task_queue=task_queue)
    # A missed night is caught up once; two runs never overlap.
    policy = SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP, catchup_window=timedelta(days=1))
    return Schedule(action=action, spec=spec, policy=policy)


async def ensure_retention_schedule(client: Client, settings: RetentionScheduleSettings | None = None, *,
                                    task_queue: str = TASK_QUEUE, schedule_id: str = RETENTION_SCHEDULE_ID
                                    ) -> str | None:
    settings = settings or RetentionScheduleSettings()
    if not settings.enabled:
        return None
    return await _ensure(client, schedule_id, retention_schedule(hour=settings.hour, task_queue=task_queue),
                         trigger_on_create=False)
