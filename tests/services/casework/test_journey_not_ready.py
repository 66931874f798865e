"""A step sent while the journey's workflow task is still running (WorkflowNotReady, FAILED_PRECONDITION) is sent
again after a short pause instead of failing the officer; other refusals are not retried."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from temporalio.service import RPCError, RPCStatusCode

from services.casework.exceptions import JourneyUnavailable
from services.casework.service import journeys as journeys_module
from services.casework.service.journeys import Journeys
from shared.contracts.journey import Actor, JourneyView, OfficerAction, Stage

pytestmark = pytest.mark.unit

ACTION = OfficerAction(action="record_support", actor=Actor(subject="s", name="n", role="la_ewo"))


class Handle:
    def __init__(self, failures: list[RPCError]) -> None:
        self.failures = failures
        self.calls = 0

    async def execute_update(self, *args: Any, **kwargs: Any) -> JourneyView:
        self.calls += 1
        if self.failures:
            raise self.failures.pop(0)
        return JourneyView(workflow_id="journey-x", pupil_id=uuid4(), stage=Stage.MONITORING, status="open",
                           state_version=1)


class Client:
    def __init__(self, handle: Handle) -> None:
        self.handle = handle

    def get_workflow_handle(self, workflow_id: str) -> Handle:
        return self.handle


def not_ready() -> RPCError:
    return RPCError("Workflow is not ready to handle the request.", RPCStatusCode.FAILED_PRECONDITION, b"")


@pytest.fixture(autouse=True)
def _no_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(journeys_module, "NOT_READY_PAUSES", (0.0, 0.0))


async def test_a_journey_not_ready_is_asked_again() -> None:
    handle = Handle([not_ready(), not_ready()])
    view = await Journeys.with_client(Client(handle)).act(uuid4(), ACTION)  # type: ignore[arg-type]
    assert view.state_version == 1
    assert handle.calls == 3


async def test_a_journey_that_stays_not_ready_is_unavailable() -> None:
    handle = Handle([not_ready(), not_ready(), not_ready()])
    with pytest.raises(JourneyUnavailable):
        await Journeys.with_client(Client(handle)).act(uuid4(), ACTION)  # type: ignore[arg-type]
    assert handle.calls == 3


async def test_a_completed_journey_is_not_asked_again() -> None:
    handle = Handle([RPCError("workflow execution already completed", RPCStatusCode.FAILED_PRECONDITION, b"")])
    with pytest.raises(JourneyUnavailable):
        await Journeys.with_client(Client(handle)).act(uuid4(), ACTION)  # type: ignore[arg-type]
    assert handle.calls == 1
