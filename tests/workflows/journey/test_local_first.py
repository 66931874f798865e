"""The calendar read and the case record are tried once in the worker (a local activity), then as an activity with
its retries: a service that fails the first try still gets the call, and one that refuses the record (4xx) is asked
once more as an activity, whose refusal the journey logs and goes on, as before."""

from __future__ import annotations

from datetime import date

import pytest
from temporalio import activity
from temporalio.client import WorkflowExecutionStatus
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from shared.contracts.casework import CaseProjection
from shared.contracts.journey import QUERY_DETAIL, JourneyDetail
from shared.contracts.register import RegisterEventType, SchoolDays
from tests.workflows.journey.support import FakeServices, Journey, eventually, fact, new_queue, running_worker
from workflows.journey.policy import CALENDAR_UNKNOWN
from workflows.journey.state import RECORD_PROJECTION_ACTIVITY, SCHOOL_DAYS_ACTIVITY

pytestmark = pytest.mark.workflows
E = RegisterEventType


class FirstTryFails(FakeServices):
    """Register and casework as the journey sees them, each failing its first call as a service that is down does."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: dict[str, int] = {}

    def _first_fails(self, name: str) -> None:
        self.calls[name] = self.calls.get(name, 0) + 1
        if self.calls[name] == 1:
            raise RuntimeError(f"{name}: connection refused")

    @activity.defn(name=SCHOOL_DAYS_ACTIVITY)
    async def school_days(self, school_urn: str, from_date: date, to_date: date) -> SchoolDays:
        self._first_fails(SCHOOL_DAYS_ACTIVITY)
        return await super().school_days(school_urn, from_date, to_date)

    @activity.defn(name=RECORD_PROJECTION_ACTIVITY)
    async def record_projection(self, projection: CaseProjection) -> CaseProjection:
        self._first_fails(RECORD_PROJECTION_ACTIVITY)
        return await super().record_projection(projection)


class CaseworkRefuses(FakeServices):
    """Casework refusing every case record (4xx), as the activity reports it: not to be retried."""

    def __init__(self) -> None:
        super().__init__()
        self.refusals = 0

    @activity.defn(name=RECORD_PROJECTION_ACTIVITY)
    async def record_projection(self, projection: CaseProjection) -> CaseProjection:
        self.refusals += 1
        raise ApplicationError("casework refused: bad record", type="Rejected", non_retryable=True)


async def test_a_failed_first_try_is_made_again_as_an_activity(journey_env: WorkflowEnvironment) -> None:
    fakes, queue = FirstTryFails(), new_queue()
    journey = Journey(journey_env.client, queue)
    async with running_worker(journey_env.client, queue, fakes):
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT))
        await eventually(lambda: len(fakes.projections) == 1)
        detail = await journey.handle.query(QUERY_DETAIL, result_type=JourneyDetail)
    assert fakes.calls == {SCHOOL_DAYS_ACTIVITY: 2, RECORD_PROJECTION_ACTIVITY: 2}
    assert len(fakes.calendar_reads) == 1  # the second call read it
    assert [e.kind for e in fakes.projections[0].new_entries] == ["register_fact"]
    assert CALENDAR_UNKNOWN not in str(detail.model_dump())


async def test_a_refused_case_record_leaves_the_journey_running(journey_env: WorkflowEnvironment) -> None:
    fakes, queue = CaseworkRefuses(), new_queue()
    journey = Journey(journey_env.client, queue)
    async with running_worker(journey_env.client, queue, fakes):
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT))
        await eventually(lambda: fakes.refusals >= 2)
        view = await journey.view()
        description = await journey.handle.describe()
    assert fakes.refusals == 2  # the try in the worker, then the activity, which is not retried
    assert description.status == WorkflowExecutionStatus.RUNNING
    assert view.stage == "persistent_absence"
