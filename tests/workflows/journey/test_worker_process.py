"""`python -m workflows.worker` as a real process: it polls the journey task queue and stops cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import uuid

import pytest
from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.testing import WorkflowEnvironment

from shared.contracts.journey import TASK_QUEUE
from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.workflows


async def test_worker_polls_the_journey_queue_and_stops_on_sigterm(dev_server_env: WorkflowEnvironment) -> None:
    client = dev_server_env.client
    queue = f"{TASK_QUEUE}-{uuid.uuid4().hex[:8]}"  # never take other tests' journeys on the shared server
    env = {**os.environ, "ATT_TEMPORAL_ADDRESS": client.service_client.config.target_host,
           "ATT_TEMPORAL_NAMESPACE": client.namespace, "ATT_ENVIRONMENT": "test", "JOURNEY_WORKER_TASK_QUEUE": queue}
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "workflows.worker", cwd=REPO_ROOT, env=env)
    try:
        request = DescribeTaskQueueRequest(namespace=client.namespace, task_queue=TaskQueue(name=queue),
                                           task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)
        # Up to 60 s: starting the worker imports and checks the journey in Temporal's sandbox, slow on a busy machine.
        for _ in range(600):
            pollers = (await client.workflow_service.describe_task_queue(request)).pollers
            if any(p.identity.startswith(f"{process.pid}@") for p in pollers):
                break
            assert process.returncode is None, "the worker exited"
            await asyncio.sleep(0.1)
        else:
            raise AssertionError("the worker never polled the journey task queue")

        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
