"""The LA-return workflow on the time-skipping server (fake activity) and its Schedule on the dev server."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta

import httpx
import pytest
from temporalio import activity
from temporalio.client import Client, WorkflowFailureError
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from shared import clock
from shared.clients.returns import ReturnsClient
from shared.contracts.returns import (
    GENERATE_ACTIVITY,
    PERIODIC_RETURN_KINDS,
    GenerateReturnsRequest,
    GenerateReturnsResult,
    LaReturnsInput,
    LaReturnsOutcome,
    ReturnKind,
    ReturnStatus,
    ReturnSummary,
    la_return_workflow_id,
    period_label,
)
from shared.http import ServiceCallFailed
from shared.settings import PlatformSettings
from workflows.returns import RETURNS_WORKFLOWS, LaReturnsWorkflow
from workflows.returns.activities import ReturnsActivities
from workflows.returns.policy import period_before
from workflows.returns.schedules import ReturnsScheduleSettings, ensure_la_return_schedule, ensure_la_return_schedules

pytestmark = pytest.mark.workflows


class FakeReturnsService:
    """Stands in for the activity: records each request and answers with two returns."""

    def __init__(self, reject: bool = False) -> None:
        self.requests: list[GenerateReturnsRequest] = []
        self.reject = reject

    @activity.defn(name=GENERATE_ACTIVITY)
    async def generate(self, request: GenerateReturnsRequest) -> GenerateReturnsResult:
        self.requests.append(request)
        if self.reject:
            raise ApplicationError("unknown LA", type="NotFound", non_retryable=True)
        summaries = [ReturnSummary(id=uuid.uuid4(), la_code=request.la_code, school_urn="900001", kind=kind,
                                   period=request.period, period_start=request.period_start,
                                   period_end=request.period_end, due_date=request.period_end,
                                   status=ReturnStatus.DUE, row_count=0, generated_at=clock.now())
                     for kind in (ReturnKind.ATTENDANCE, ReturnKind.SICKNESS)]
        return GenerateReturnsResult(la_code=request.la_code, period=request.period, schools=1, returns=summaries)


def test_period_before_is_the_previous_month_or_interval() -> None:
    assert period_before(date(2026, 3, 1), None) == (date(2026, 2, 1), date(2026, 2, 28))
    assert period_before(date(2027, 1, 15), None) == (date(2026, 12, 1), date(2026, 12, 31))
    assert period_before(date(2026, 11, 25), 7) == (date(2026, 11, 18), date(2026, 11, 24))


async def _run(client: Client, request: LaReturnsInput, fake: FakeReturnsService, workflow_id: str
               ) -> LaReturnsOutcome:
    task_queue = f"la-returns-{uuid.uuid4()}"
    async with Worker(client, task_queue=task_queue, workflows=RETURNS_WORKFLOWS, activities=[fake.generate]):
        outcome: LaReturnsOutcome = await client.execute_workflow(
            LaReturnsWorkflow.run, request, id=workflow_id, task_queue=task_queue)
        return outcome


async def test_a_period_is_generated_through_the_activity(time_skipping_env: WorkflowEnvironment) -> None:
    fake = FakeReturnsService()
    start, end = date(2026, 10, 1), date(2026, 10, 31)
    request = LaReturnsInput(la_code="999", period_start=start, period_end=end, kinds=list(PERIODIC_RETURN_KINDS))
    outcome = await _run(time_skipping_env.client, request, fake,
                         la_return_workflow_id("999", period_label(start, end)))
    assert outcome == LaReturnsOutcome(la_code="999", period="2026-10-01_2026-10-31", returns_generated=2)
    assert fake.requests == [GenerateReturnsRequest(la_code="999", period_start=start, period_end=end,
                                                    kinds=[ReturnKind.ATTENDANCE, ReturnKind.SICKNESS])]


async def test_a_scheduled_run_generates_the_period_just_ended_once(time_skipping_env: WorkflowEnvironment) -> None:
    la_code = f"9{uuid.uuid4().int % 10**6:06d}"
    fake = FakeReturnsService()
    client = time_skipping_env.client
    # The clock must not jump between the two ticks, so that both fall in the same period.
    with time_skipping_env.auto_time_skipping_disabled():
        today = (await time_skipping_env.get_current_time()).date()
        start, end = period_before(today, None)
        expected_id = la_return_workflow_id(la_code, period_label(start, end))
        first = await _run(client, LaReturnsInput(la_code=la_code), fake, f"tick-{uuid.uuid4()}")
        assert first.child_workflow_id == expected_id
        assert first.returns_generated == 2
        assert fake.requests == [GenerateReturnsRequest(la_code=la_code, period_start=start, period_end=end)]
        # A second tick for the same period (a catch-up, a manual trigger) does not generate again.
        second = await _run(client, LaReturnsInput(la_code=la_code), fake, f"tick-{uuid.uuid4()}")
        assert (second.child_workflow_id, second.returns_generated, len(fake.requests)) == (expected_id, 0, 1)


async def test_a_pinned_date_moves_the_period_just_ended(time_skipping_env: WorkflowEnvironment) -> None:
    """A system pinned to a date (shared.clock) passes its offset in the input: the run covers the period that
    ended before the pinned date, not before Temporal's."""
    la_code = f"6{uuid.uuid4().int % 10**6:06d}"
    fake = FakeReturnsService()
    with time_skipping_env.auto_time_skipping_disabled():
        pinned = (await time_skipping_env.get_current_time() + timedelta(days=100)).date()
        start, end = period_before(pinned, None)
        outcome = await _run(time_skipping_env.client, LaReturnsInput(la_code=la_code, clock_offset_days=100), fake,
                             f"tick-{uuid.uuid4()}")
    assert outcome.child_workflow_id == la_return_workflow_id(la_code, period_label(start, end))
    assert fake.requests == [GenerateReturnsRequest(la_code=la_code, period_start=start, period_end=end)]


async def test_a_rejected_generation_fails_the_run_without_retrying(time_skipping_env: WorkflowEnvironment) -> None:
    fake = FakeReturnsService(reject=True)
    request = LaReturnsInput(la_code="998", period_start=date(2026, 10, 1), period_end=date(2026, 10, 31))
    with pytest.raises(WorkflowFailureError):
        await _run(time_skipping_env.client, request, fake, f"la-return-998-{uuid.uuid4()}")
    assert len(fake.requests) == 1


async def test_the_activity_turns_rejections_into_non_retryable_errors() -> None:
    answers = {"status": 404}

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/internal/returns/generate"
        assert request.headers["authorization"] == "Bearer token"
        return httpx.Response(answers["status"], json={"type": "/problems/NotFound", "detail": "unknown LA"})

    activities = ReturnsActivities(ReturnsClient("http://returns", "token", transport=httpx.MockTransport(handler)))
    request = GenerateReturnsRequest(la_code="998", period_start=date(2026, 10, 1), period_end=date(2026, 10, 31))
    with pytest.raises(ApplicationError) as rejected:
        await activities.generate_la_returns(request)
    assert (rejected.value.type, rejected.value.non_retryable) == ("NotFound", True)
    answers["status"] = 503
    with pytest.raises(ServiceCallFailed):  # retried by Temporal
        await activities.generate_la_returns(request)


async def test_the_worker_waits_for_a_long_generation_instead_of_asking_again() -> None:
    """A year's return takes the service longer than an ordinary call's timeout on a busy machine."""
    timeouts: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions["timeout"]["read"])
        return httpx.Response(200, json={"la_code": "999", "period": "2026-08-01 to 2027-07-31", "schools": 0,
                                         "returns": []})

    settings = PlatformSettings(environment="test", returns_url="http://returns", http_timeout_seconds=10)
    activities = ReturnsActivities.for_settings(settings, transport=httpx.MockTransport(handler))
    request = GenerateReturnsRequest(la_code="999", period_start=date(2026, 8, 1), period_end=date(2027, 7, 31))
    assert (await activities.generate_la_returns(request)).la_code == "999"
    assert timeouts == [300.0]


async def _wait_for_result(client: Client, workflow_id: str) -> LaReturnsOutcome:
    for _ in range(100):
        try:
            return await client.get_workflow_handle(workflow_id, result_type=LaReturnsOutcome).result()
        except RPCError:  # not started yet
            await asyncio.sleep(0.1)
    raise AssertionError(f"{workflow_id} never ran")


async def test_an_la_schedule_is_created_triggered_and_updated(dev_server_env: WorkflowEnvironment) -> None:
    client = dev_server_env.client
    la_code = f"8{uuid.uuid4().int % 10**6:06d}"
    task_queue = f"la-returns-{uuid.uuid4()}"
    fake = FakeReturnsService()
    async with Worker(client, task_queue=task_queue, workflows=RETURNS_WORKFLOWS, activities=[fake.generate]):
        schedule_id = await ensure_la_return_schedule(client, la_code, task_queue=task_queue)
        handle = client.get_schedule_handle(schedule_id)
        try:
            calendar = (await handle.describe()).schedule.spec.calendars[0]
            assert ([r.start for r in calendar.day_of_month], [r.start for r in calendar.hour]) == ([1], [6])
            await handle.trigger()
            start, end = period_before(clock.today(), None)
            outcome = await _wait_for_result(client, la_return_workflow_id(la_code, period_label(start, end)))
            assert outcome.returns_generated == 2
            assert fake.requests == [GenerateReturnsRequest(la_code=la_code, period_start=start, period_end=end)]

            assert await ensure_la_return_schedule(client, la_code, interval_days=7, task_queue=task_queue) == \
                schedule_id
            spec = (await handle.describe()).schedule.spec
            assert [i.every for i in spec.intervals] == [timedelta(days=7)]
            assert spec.calendars == []
        finally:
            await handle.delete()


async def test_configured_schedules_run_once_when_created(dev_server_env: WorkflowEnvironment) -> None:
    client = dev_server_env.client
    la_code = f"7{uuid.uuid4().int % 10**6:06d}"
    task_queue = f"la-returns-{uuid.uuid4()}"
    fake = FakeReturnsService()
    settings = ReturnsScheduleSettings(la_codes=[la_code], interval_days=14, dfe_share_drop=False,
                                       governor_reports=False)
    async with Worker(client, task_queue=task_queue, workflows=RETURNS_WORKFLOWS, activities=[fake.generate]):
        schedule_ids = await ensure_la_return_schedules(client, settings, task_queue=task_queue)
        try:
            assert schedule_ids == [f"la-return-schedule-{la_code}", f"la-return-schedule-{la_code}-daily"]
            today = clock.today()
            periodic, daily = period_before(today, 14), period_before(today, 1)
            for start, end in (periodic, daily):
                await _wait_for_result(client, la_return_workflow_id(la_code, period_label(start, end)))
            assert sorted(fake.requests, key=lambda r: r.period_end - r.period_start) == [
                GenerateReturnsRequest(la_code=la_code, period_start=daily[0], period_end=daily[1],
                                       kinds=[ReturnKind.NEW_PUPIL, ReturnKind.DELETION]),
                GenerateReturnsRequest(la_code=la_code, period_start=periodic[0], period_end=periodic[1],
                                       kinds=[ReturnKind.ATTENDANCE, ReturnKind.SICKNESS])]
            daily_spec = (await client.get_schedule_handle(schedule_ids[1]).describe()).schedule.spec
            assert [r.start for r in daily_spec.calendars[0].hour] == [6]
            # Ensuring again (a worker restart) updates, and does not run again.
            assert await ensure_la_return_schedules(client, settings, task_queue=task_queue) == schedule_ids
            await asyncio.sleep(0.5)
            assert len(fake.requests) == 2
        finally:
            for schedule_id in schedule_ids:
                await client.get_schedule_handle(schedule_id).delete()
