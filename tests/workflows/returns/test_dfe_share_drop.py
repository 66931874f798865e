"""The DfE daily share's file drop: the workflow asks returns to write the scheduled day's collection (time-skipping
server, fake activity), and each LA gets a morning and an afternoon Schedule (dev server)."""

from __future__ import annotations

import uuid

import pytest
from temporalio import activity
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from shared.contracts.returns import (
    DFE_DROP_ACTIVITY,
    DfeCollectionTime,
    DfeShareDropInput,
    DfeShareDropRequest,
    DfeShareDropResult,
)
from workflows.returns import RETURNS_WORKFLOWS, DfeShareDropWorkflow
from workflows.returns.schedules import ReturnsScheduleSettings, ensure_la_return_schedules

pytestmark = pytest.mark.workflows


class FakeDrop:
    def __init__(self) -> None:
        self.requests: list[DfeShareDropRequest] = []

    @activity.defn(name=DFE_DROP_ACTIVITY)
    async def drop(self, request: DfeShareDropRequest) -> DfeShareDropResult:
        self.requests.append(request)
        return DfeShareDropResult(written=True, file_name="dfe-daily.csv", row_count=3, collection_id=uuid.uuid4())


async def test_the_dfe_share_drop_writes_the_days_collection(time_skipping_env: WorkflowEnvironment) -> None:
    fake = FakeDrop()
    client = time_skipping_env.client
    task_queue = f"la-returns-{uuid.uuid4()}"
    with time_skipping_env.auto_time_skipping_disabled():
        today = (await time_skipping_env.get_current_time()).date()
    async with Worker(client, task_queue=task_queue, workflows=RETURNS_WORKFLOWS, activities=[fake.drop]):
        result = await client.execute_workflow(
            DfeShareDropWorkflow.run, DfeShareDropInput(la_code="999", collection=DfeCollectionTime.MORNING),
            id=f"dfe-drop-{uuid.uuid4()}", task_queue=task_queue)
    assert result.written
    assert fake.requests == [DfeShareDropRequest(la_code="999", share_date=today,
                                                 collection=DfeCollectionTime.MORNING)]


async def test_each_la_gets_a_morning_and_an_afternoon_drop_schedule(dev_server_env: WorkflowEnvironment) -> None:
    client = dev_server_env.client
    la_code = f"6{uuid.uuid4().int % 10**6:06d}"
    settings = ReturnsScheduleSettings(la_codes=[la_code], daily_event_returns=False, trigger_on_create=False,
                                       governor_reports=False)
    ids = await ensure_la_return_schedules(client, settings, task_queue=f"la-returns-{uuid.uuid4()}")
    try:
        assert ids[1:] == [f"dfe-daily-share-drop-{la_code}-morning", f"dfe-daily-share-drop-{la_code}-afternoon"]
        hours = [[r.start for r in (await client.get_schedule_handle(i).describe()).schedule.spec.calendars[0].hour]
                 for i in ids[1:]]
        assert hours == [[10], [15]]
    finally:
        for schedule_id in ids:
            await client.get_schedule_handle(schedule_id).delete()
