"""The worker: `python -m workflows.worker` runs the pupil journeys, the scheduled LA returns and DfE share drops,
and the daily retention run, each on its own task queue, until SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from temporalio.client import Client
from temporalio.worker import Worker

from shared.clients.casework import CaseworkClient
from shared.clients.notifications import NotificationsClient
from shared.clients.register import RegisterClient
from shared.contracts.journey import TASK_QUEUE
from shared.settings import PlatformSettings, get_platform_settings
from shared.temporal import connect
from workflows.journey.activities import JourneyActivities
from workflows.journey.workflow import PupilJourney
from workflows.retention import RETENTION_WORKFLOWS, retention_activities
from workflows.retention import TASK_QUEUE as RETENTION_TASK_QUEUE
from workflows.retention.schedules import ensure_retention_schedule
from workflows.returns import RETURNS_WORKFLOWS, returns_activities
from workflows.returns import TASK_QUEUE as RETURNS_TASK_QUEUE
from workflows.returns.schedules import ensure_la_return_schedules

log = logging.getLogger("journey-worker")
CALLER = "journey-worker"


class WorkerSettings(BaseSettings):
    """The worker's own settings (JOURNEY_WORKER_*); everything else comes from PlatformSettings."""

    model_config = SettingsConfigDict(env_prefix="JOURNEY_WORKER_", extra="ignore")

    # Casework starts journeys on TASK_QUEUE; tests give a worker process a queue of its own.
    task_queue: str = TASK_QUEUE
    # The LA-return schedules are created (or brought up to date) when the worker starts.
    returns_schedules: bool = True
    # Journey workflow tasks this process takes at once. They run one at a time under the GIL, and one not finished
    # within the server's 10 s workflow task timeout is handed out again: with the SDK's 100, a burst (a school's
    # morning register, the demo's start) made tasks time out and be redone, over and over, on a busy machine.
    max_concurrent_workflow_tasks: int = Field(default=8, ge=2)


def build_worker(client: Client, activities: JourneyActivities, task_queue: str = TASK_QUEUE,
                 max_concurrent_workflow_tasks: int = 8) -> Worker:
    """The worker with the journey's workflow and activities on the journey task queue."""
    return Worker(client, task_queue=task_queue, workflows=[PupilJourney],
                  activities=[activities.notify, activities.record_projection, activities.school_days],
                  max_concurrent_workflow_tasks=max_concurrent_workflow_tasks)


async def serve(settings: PlatformSettings, worker_settings: WorkerSettings | None = None) -> None:
    worker_settings = worker_settings or WorkerSettings()
    task_queue = worker_settings.task_queue
    client = await connect(settings)
    notifications = NotificationsClient.for_caller(CALLER, settings.notifications_url, settings)
    casework = CaseworkClient.for_caller(CALLER, settings.casework_url, settings)
    register = RegisterClient.for_caller(CALLER, settings.register_url, settings)
    assert isinstance(notifications, NotificationsClient)
    assert isinstance(casework, CaseworkClient)
    assert isinstance(register, RegisterClient)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    worker = build_worker(client, JourneyActivities(notifications, casework, register), task_queue,
                          worker_settings.max_concurrent_workflow_tasks)
    returns_worker = Worker(client, task_queue=RETURNS_TASK_QUEUE, workflows=RETURNS_WORKFLOWS,
                            activities=returns_activities(settings))
    retention_worker = Worker(client, task_queue=RETENTION_TASK_QUEUE, workflows=RETENTION_WORKFLOWS,
                              activities=retention_activities(settings))
    try:
        async with worker, returns_worker, retention_worker:
            log.info("worker polling %s, %s and %s on %s", task_queue, RETURNS_TASK_QUEUE, RETENTION_TASK_QUEUE,
                     settings.temporal_address)
            if worker_settings.returns_schedules:
                await ensure_la_return_schedules(client)
                await ensure_retention_schedule(client)
            await stop.wait()
    finally:
        await notifications.aclose()
        await casework.aclose()
        await register.aclose()


def main() -> int:
    settings = get_platform_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        asyncio.run(serve(settings))
    except Exception:
        log.exception("journey worker stopped")
        return 1
    return 0


if __name__ == "__main__":
    code = main()
    # The Temporal core can crash the interpreter while it finalises (tooling.md gotcha 1).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
