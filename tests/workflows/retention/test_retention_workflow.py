"""The retention workflow on the time-skipping server (fake activity): one run asks each service in turn as of the
scheduled day (moved by a pinned date), a rejection fails the run without retrying; the activity's rejections are
non-retryable; the daily Schedule is created and updated on the dev server."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import httpx
import pytest
from temporalio import activity
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from shared import clock
from shared.clients.retention import RegisterRetentionClient
from shared.contracts.retention import (
    RETENTION_ACTIVITY,
    RetentionInput,
    RetentionOutcome,
    RetentionRunReport,
    RetentionServiceRun,
)
from workflows.retention import RETENTION_WORKFLOWS, RetentionWorkflow
from workflows.retention.activities import RetentionActivities
from workflows.retention.schedules import RetentionScheduleSettings, ensure_retention_schedule

pytestmark = pytest.mark.workflows


class FakeServices:
    def __init__(self, reject: str | None = None) -> None:
        self.runs: list[RetentionServiceRun] = []
        self.reject = reject

    @activity.defn(name=RETENTION_ACTIVITY)
    async def run_retention(self, request: RetentionServiceRun) -> RetentionRunReport:
        self.runs.append(request)
        if request.service == self.reject:
            raise ApplicationError("as_of: after today", type="InvalidInput", non_retryable=True)
        return RetentionRunReport(id=uuid.uuid4(), service=request.service, ran_at=clock.now(), ran_by="worker",
                                  as_of=request.as_of, cutoffs={"x": request.as_of}, removed={"x": 1})


async def _run(client: Client, request: RetentionInput, fake: FakeServices) -> RetentionOutcome:
    task_queue = f"retention-{uuid.uuid4()}"
    async with Worker(client, task_queue=task_queue, workflows=RETENTION_WORKFLOWS, activities=[fake.run_retention]):
        outcome: RetentionOutcome = await client.execute_workflow(
            RetentionWorkflow.run, request, id=f"retention-{uuid.uuid4()}", task_queue=task_queue)
        return outcome


async def test_each_service_runs_in_turn_as_of_the_day(time_skipping_env: WorkflowEnvironment) -> None:
    fake = FakeServices()
    with time_skipping_env.auto_time_skipping_disabled():
        today = (await time_skipping_env.get_current_time()).date()
    outcome = await _run(time_skipping_env.client, RetentionInput(), fake)
    assert outcome.as_of == today
    assert [r.service for r in outcome.reports] == ["register", "casework", "notifications", "returns"]
    assert fake.runs == [RetentionServiceRun(service=s, as_of=today)
                         for s in ("register", "casework", "notifications", "returns")]


async def test_a_pinned_date_moves_the_day(time_skipping_env: WorkflowEnvironment) -> None:
    fake = FakeServices()
    with time_skipping_env.auto_time_skipping_disabled():
        pinned = (await time_skipping_env.get_current_time() + timedelta(days=30)).date()
    outcome = await _run(time_skipping_env.client, RetentionInput(clock_offset_days=30, services=["register"]), fake)
    assert outcome.as_of == pinned
    assert fake.runs == [RetentionServiceRun(service="register", as_of=pinned)]


async def test_a_rejected_run_fails_without_retrying(time_skipping_env: WorkflowEnvironment) -> None:
    fake = FakeServices(reject="casework")
    with pytest.raises(WorkflowFailureError):
        await _run(time_skipping_env.client, RetentionInput(), fake)
    assert [r.service for r in fake.runs] == ["register", "casework"]


async def test_the_activity_calls_the_service_and_turns_rejections_into_non_retryable_errors() -> None:
    seen: list[dict[str, object]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append({"path": request.url.path, "body": request.content.decode()})
        if "2099" in request.content.decode():
            return httpx.Response(422, json={"type": "InvalidInput", "title": "Invalid input",
                                             "detail": "A retention run counts back from today or an earlier day."})
        return httpx.Response(200, json=RetentionRunReport(
            id=uuid.uuid4(), service="register", ran_at=clock.now(), ran_by="service:retention-worker",
            as_of=date(2026, 12, 7), cutoffs={"register_entries": date(2020, 12, 7)},
            removed={"admissions": 3}).model_dump(mode="json"))

    client = RegisterRetentionClient("http://register", "token", transport=httpx.MockTransport(answer))
    activities = RetentionActivities({"register": client})
    report = await activities.run_retention(RetentionServiceRun(service="register", as_of=date(2026, 12, 7)))
    assert report.removed == {"admissions": 3}
    assert seen[0]["path"] == "/internal/retention/run"
    with pytest.raises(ApplicationError) as refused:
        await activities.run_retention(RetentionServiceRun(service="register", as_of=date(2099, 1, 1)))
    assert refused.value.non_retryable
    with pytest.raises(ApplicationError):
        await activities.run_retention(RetentionServiceRun(service="elsewhere", as_of=date(2026, 12, 7)))
    await client.aclose()


async def test_the_daily_schedule_is_created_and_updated(dev_server_env: WorkflowEnvironment) -> None:
    client = dev_server_env.client
    schedule_id = f"retention-test-{uuid.uuid4()}"
    assert await ensure_retention_schedule(client, RetentionScheduleSettings(enabled=False),
                                           schedule_id=schedule_id) is None
    assert await ensure_retention_schedule(client, schedule_id=schedule_id) == schedule_id
    handle = client.get_schedule_handle(schedule_id)
    try:
        calendar = (await handle.describe()).schedule.spec.calendars[0]
        assert [r.start for r in calendar.hour] == [2]
        await ensure_retention_schedule(client, RetentionScheduleSettings(hour=4), schedule_id=schedule_id)
        calendar = (await handle.describe()).schedule.spec.calendars[0]
        assert [r.start for r in calendar.hour] == [4]
    finally:
        await handle.delete()
