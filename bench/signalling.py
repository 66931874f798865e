"""Benchmark (d): signalling N pupil journeys against a no-op workflow signalled N times, on one Temporal dev
server started for the run.

There is no daily sweep in the code (no workflow or casework job signals every journey once a day): journeys
wake on their own timers, and casework signals a journey once per register event (`Journeys.register_fact`,
a signal-with-start). So "ours" is that path: casework's own `Journeys` client signals N pupils' journeys with a
`became_persistently_absent` fact, and a worker runs the real `PupilJourney` with the journey tests' fakes of
the services (notifications, the case projection, school days) in this process; the time runs from the first
signal to the last journey having recorded its case projection. The floor is a no-op workflow signalled-with-start
N times at the same concurrency, timed to the last workflow having taken its signal, with the same worker
settings (the product worker's 8 workflow tasks at once), on the same server.

What one signal costs the journey (2026-12-07): a new journey's run loads only workflows/journey/workflow.py into
the workflow sandbox (the rule modules are passed through; before, each run re-imported them and rebuilt their
pydantic models, some hundreds of milliseconds of CPU), and the signal is one workflow task in which the school's
calendar is read and the case projection recorded as local activities (before: three workflow tasks and two
activity tasks), as the no-op's signal is one workflow task.

Run:  .venv/bin/python bench/run.py --only d            (never part of the test suite)
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from noop_workflow import SIGNAL, NoOp
from rows import row

from services.casework.service.journeys import Journeys
from shared import clock
from shared.contracts.journey import JourneyInput, JourneyPolicy, journey_workflow_id
from shared.contracts.register import RegisterEventType
from shared.temporal import bundled_binary
from tests.workflows.journey.support import FakeServices, fact
from workflows.journey.workflow import PupilJourney
from workflows.worker import WorkerSettings

GOAL = 0.5  # journeys signalled per second at least half the no-op floor's
IN_FLIGHT = 20  # signals in flight at once, both ways
# The product worker's limit on workflow tasks at once (workflows/worker.py says why), for both workers.
WORKFLOW_TASKS = WorkerSettings.model_fields["max_concurrent_workflow_tasks"].default


async def _gated(n: int, call: Any) -> None:
    gate = asyncio.Semaphore(IN_FLIGHT)

    async def one(i: int) -> None:
        async with gate:
            await call(i)

    await asyncio.gather(*(one(i) for i in range(n)))


async def floor_run(client: Client, n: int) -> float:
    queue = f"bench-noop-{uuid.uuid4().hex[:8]}"
    async with Worker(client, task_queue=queue, workflows=[NoOp], max_concurrent_workflow_tasks=WORKFLOW_TASKS):
        start = time.perf_counter()
        handles: list[Any] = []

        async def signal(i: int) -> None:
            handles.append(await client.start_workflow(
                "BenchNoOp", "x", id=f"bench-noop-{queue}-{i}", task_queue=queue, start_signal=SIGNAL,
                start_signal_args=["x"]))

        await _gated(n, signal)
        await asyncio.gather(*(h.result() for h in handles))
        return time.perf_counter() - start


async def journeys_run(client: Client, n: int) -> tuple[float, int]:
    queue = f"bench-journey-{uuid.uuid4().hex[:8]}"
    fakes = FakeServices()
    journeys = Journeys.with_client(client, task_queue=queue)
    policy = JourneyPolicy().model_copy(update={"clock_offset_days": clock.offset_days()})
    pupils = [uuid.uuid4() for _ in range(n)]
    async with Worker(client, task_queue=queue, workflows=[PupilJourney],
                      activities=[fakes.notify, fakes.record_projection, fakes.school_days],
                      max_concurrent_workflow_tasks=WORKFLOW_TASKS):
        start = time.perf_counter()

        async def signal(i: int) -> None:
            journey = JourneyInput(pupil_id=pupils[i], school_urn="900001", la_code="999", policy=policy)
            await journeys.register_fact(journey, fact(RegisterEventType.BECAME_PERSISTENTLY_ABSENT,
                                                       session_date=clock.today()))

        await _gated(n, signal)
        wanted = set(pupils)
        deadline = time.monotonic() + 600
        while not wanted <= {p.pupil_id for p in fakes.projections}:
            if time.monotonic() > deadline:
                raise TimeoutError("the journeys did not all record their case projection in 600 s")
            await asyncio.sleep(0.02)
        took = time.perf_counter() - start
        for pupil in pupils:  # end them, so that their timers do not run on
            await client.get_workflow_handle(journey_workflow_id(pupil)).terminate(reason="bench done")
    return took, len(fakes.notify_calls)


async def measure(journeys: int) -> dict[str, Any]:
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=bundled_binary("temporal"), data_converter=pydantic_data_converter,
        dev_server_log_level="error")
    try:
        # Warm-up of both workers (first task-queue poll, imports, sandbox), not timed.
        await floor_run(env.client, 5)
        await journeys_run(env.client, 5)
        floors, ours, notifies = [], [], 0
        for _ in range(2):  # alternated, so that a burst of other load hits both
            floors.append(await floor_run(env.client, journeys))
            took, notifies = await journeys_run(env.client, journeys)
            ours.append(took)
        return {"floor_s": floors, "journeys_s": ours, "notify_calls": notifies}
    finally:
        await asyncio.wait_for(env.shutdown(), timeout=timedelta(seconds=30).total_seconds())


def bench_rows(journeys: int) -> list[dict[str, Any]]:
    results = asyncio.run(measure(journeys))
    ours = journeys / min(results["journeys_s"])
    floor = journeys / min(results["floor_s"])
    return [row(
        "d. journey signalling (casework's signal-with-start of PupilJourney, to its projection) vs a no-op "
        "workflow signalled-with-start as often", ours=ours, floor=floor, unit="signals/s", ratio=ours / floor,
        goal=GOAL, size=f"{journeys} journeys, {IN_FLIGHT} signals in flight, one in-process worker taking "
        f"{WORKFLOW_TASKS} workflow tasks at once",
        detail={**{k: [round(v, 2) for v in vs] for k, vs in results.items() if k.endswith("_s")},
                "notify_calls_last_run": results["notify_calls"],
                "note": "no daily sweep exists in workflows/ or casework: the per-event signal path is measured"})]
