"""The journey worker's health check (it has no HTTP port): healthy when Temporal has seen this host's worker
poll both of its task queues recently. Run inside the worker's container, so the host name is the worker's.

    python -m deploy.worker_healthcheck        (from the repository root) exit 0 healthy, 1 not
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from datetime import UTC, datetime, timedelta

from temporalio.api.enums.v1 import TaskQueueType
from temporalio.api.taskqueue.v1 import TaskQueue
from temporalio.api.workflowservice.v1 import DescribeTaskQueueRequest
from temporalio.client import Client

from shared.contracts.journey import TASK_QUEUE
from shared.contracts.returns import TASK_QUEUE as RETURNS_TASK_QUEUE

# A poll is a long poll of up to about a minute; Temporal records each one as it starts.
RECENT = timedelta(seconds=150)
QUEUES = (os.environ.get("JOURNEY_WORKER_TASK_QUEUE", TASK_QUEUE), RETURNS_TASK_QUEUE)


async def unhealthy_queues(address: str, namespace: str, host: str) -> list[str]:
    # No data converter: describing a task queue carries no payloads, so no payload keys are needed here.
    client = await asyncio.wait_for(Client.connect(address, namespace=namespace), timeout=5)
    now = datetime.now(UTC)
    missing = []
    for queue in QUEUES:
        response = await client.workflow_service.describe_task_queue(DescribeTaskQueueRequest(
            namespace=namespace, task_queue=TaskQueue(name=queue),
            task_queue_type=TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW), timeout=timedelta(seconds=5))
        if not any(p.identity.endswith(f"@{host}") and now - p.last_access_time.ToDatetime(UTC) < RECENT
                   for p in response.pollers):
            missing.append(queue)
    return missing


def main() -> int:
    address = os.environ.get("ATT_TEMPORAL_ADDRESS", "127.0.0.1:7233")
    namespace = os.environ.get("ATT_TEMPORAL_NAMESPACE", "default")
    try:
        missing = asyncio.run(unhealthy_queues(address, namespace, socket.gethostname()))
    except Exception as exc:  # unreachable Temporal is unhealthy too, and says why
        sys.stdout.write(f"unhealthy: Temporal at {address} did not answer: {type(exc).__name__}: {exc}\n")
        return 1
    if missing:
        sys.stdout.write(f"unhealthy: no recent poll from this host on {', '.join(missing)}\n")
        return 1
    sys.stdout.write("healthy\n")
    return 0


if __name__ == "__main__":
    code = main()
    # The Temporal core can crash the interpreter while it finalises (shared/docs/tooling.md, gotcha 1).
    sys.stdout.flush()
    os._exit(code)
