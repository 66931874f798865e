"""Termly governor reports: the workflow asks returns to store the reports of the terms ended by the scheduled day
(time-skipping server, fake activity), and each LA gets a daily Schedule whose run reaches the activity (dev server)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest
from temporalio import activity
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from shared.contracts.returns import (
    GOVERNOR_REPORTS_ACTIVITY,
    GovernorReportsInput,
    GovernorReportsRequest,
    GovernorReportsResult,
)
from workflows.returns import RETURNS_WORKFLOWS, TermlyGovernorReportsWorkflow
from workflows.returns.schedules import ReturnsScheduleSettings, ensure_la_return_schedules

pytestmark = pytest.mark.workflows


class FakeReports:
    def __init__(self) -> None:
        self.requests: list[GovernorReportsRequest] = []

    @activity.defn(name=GOVERNOR_REPORTS_ACTIVITY)
    async def produce(self, request: GovernorReportsRequest) -> GovernorReportsResult:
        self.requests.append(request)
        return GovernorReportsResult(schools=3, produced=0, already_stored=0)


async def test_the_run_asks_for_the_terms_ended_by_the_scheduled_day(time_skipping_env: WorkflowEnvironment) -> None:
    fake = FakeReports()
    client = time_skipping_env.client
    task_queue = f"la-returns-{uuid.uuid4()}"
    with time_skipping_env.auto_time_skipping_disabled():
        today = (await time_skipping_env.get_current_time()).date()
    async with Worker(client, task_queue=task_queue, workflows=RETURNS_WORKFLOWS, activities=[fake.produce]):
        result = await client.execute_workflow(
            TermlyGovernorReportsWorkflow.run, GovernorReportsInput(la_code="999", clock_offset_days=3),
            id=f"governor-reports-{uuid.uuid4()}", task_queue=task_queue)
    assert result.schools == 3
    # A pinned system runs ahead of Temporal's clock by its offset.
    assert fake.requests == [GovernorReportsRequest(la_code="999", as_of=today + timedelta(days=3))]


async def test_each_la_gets_a_daily_governor_report_schedule(
        dev_server_env: WorkflowEnvironment) -> None:
    client = dev_server_env.client
    fake = FakeReports()
    la_code = f"5{uuid.uuid4().int % 10**6:06d}"
    task_queue = f"la-returns-{uuid.uuid4()}"
    settings = ReturnsScheduleSettings(la_codes=[la_code], dfe_share_drop=False, daily_event_returns=False,
                                       trigger_on_create=False, governor_reports_hour=8)
    async with Worker(client, task_queue=task_queue, workflows=RETURNS_WORKFLOWS, activities=[fake.produce]):
        ids = await ensure_la_return_schedules(client, settings, task_queue=task_queue)
        try:
            assert ids[-1] == f"governor-reports-{la_code}"
            spec = (await client.get_schedule_handle(ids[-1]).describe()).schedule.spec
            assert [r.start for r in spec.calendars[0].hour] == [8]
            await client.get_schedule_handle(ids[-1]).trigger()
            for _ in range(100):
                if fake.requests:
                    break
                await asyncio.sleep(0.1)
            assert [r.la_code for r in fake.requests] == [la_code]
        finally:
            for schedule_id in ids:
                await client.get_schedule_handle(schedule_id).delete()
