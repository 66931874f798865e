"""The journey tests' own time-skipping server: time skips only while no workflow task waits for a worker, so
journeys left running by other tests' stopped workers must not share it. Each test's journeys are ended."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from temporalio.client import WorkflowExecutionStatus
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from shared.temporal import bundled_binary
from tests.workflows.journey import support


@pytest.fixture(scope="package")
async def journey_env() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=bundled_binary("temporal-test-server"), data_converter=pydantic_data_converter)
    yield env
    await env.shutdown()


@pytest.fixture(autouse=True)
async def _end_journeys_after_each_test() -> AsyncIterator[None]:
    yield
    while support.STARTED:
        journey = support.STARTED.pop()
        description = await journey.handle.describe()
        if description.status == WorkflowExecutionStatus.RUNNING:
            await journey.handle.terminate(reason="end of test")
