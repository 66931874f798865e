"""The only casework module that talks to Temporal: signal, query and update pupil journeys by the names
in shared.contracts.journey (casework never imports the workflow itself)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID

from temporalio.client import (
    Client,
    WithStartWorkflowOperation,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.exceptions import ApplicationError, TemporalError
from temporalio.service import RPCError, RPCStatusCode

from services.casework.exceptions import IllegalStep, JourneyNotFound, JourneyUnavailable
from shared import clock
from shared.contracts.journey import (
    QUERY_DETAIL,
    QUERY_VIEW,
    SIGNAL_REGISTER_FACT,
    TASK_QUEUE,
    UPDATE_OFFICER_ACTION,
    WORKFLOW_TYPE,
    JourneyDetail,
    JourneyInput,
    JourneyPolicy,
    JourneyView,
    LaContact,
    OfficerAction,
    RegisterFact,
    journey_workflow_id,
)
from shared.settings import PlatformSettings, get_platform_settings
from shared.temporal import connect

logger = logging.getLogger(__name__)
# Back-off while a journey is not ready for an update (WorkflowNotReady), before answering 503.
NOT_READY_PAUSES = (0.25, 0.5, 1.0, 2.0)


class Journeys:
    """A Temporal client made once per process; until Temporal answers, calls fail with 503."""

    def __init__(self, address: str, namespace: str, retry_seconds: float = 2.0,
                 task_queue: str = TASK_QUEUE, settings: PlatformSettings | None = None) -> None:
        self._address = address
        # The platform settings carry the payload encryption keys (shared.temporal.data_converter).
        self._settings = settings
        self._task_queue = task_queue
        self._namespace = namespace
        self._retry_seconds = retry_seconds
        self._client: Client | None = None
        self._connecting: asyncio.Task[None] | None = None

    @classmethod
    def with_client(cls, client: Client, task_queue: str = TASK_QUEUE) -> Journeys:
        """For tests and tools that already hold a connected client (tests use their own task queue)."""
        journeys = cls("", "", task_queue=task_queue)
        journeys._client = client
        return journeys

    def start(self) -> None:
        """Connect in the background, retrying, so casework starts even while Temporal is still coming up."""
        if self._client is None and self._connecting is None:
            self._connecting = asyncio.create_task(self._connect_until_up(), name="temporal-connect")

    async def _connect_until_up(self) -> None:
        while self._client is None:
            try:
                settings = self._settings or get_platform_settings()
                self._client = await connect(settings, self._address, self._namespace)
                logger.info("connected to Temporal at %s", self._address)
            except Exception as exc:  # the SDK raises RuntimeError for refused connections
                logger.warning("Temporal at %s not reachable yet (%s); retrying", self._address,
                               type(exc).__name__)
                await asyncio.sleep(self._retry_seconds)

    async def stop(self) -> None:
        if self._connecting is not None:
            self._connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._connecting

    @property
    def client(self) -> Client:
        if self._client is None:
            raise JourneyUnavailable("The case workflow engine (Temporal) is not reachable; try again shortly.")
        return self._client

    async def is_available(self) -> bool:
        if self._client is None:
            return False
        try:
            return await self._client.service_client.check_health(timeout=timedelta(seconds=2))
        except Exception:
            return False

    async def register_fact(self, journey: JourneyInput, fact: RegisterFact) -> str:
        """Signal-with-start: the journey is created on its first fact; the workflow dedupes by event id."""
        workflow_id = journey_workflow_id(journey.pupil_id)
        try:
            await self.client.start_workflow(
                WORKFLOW_TYPE, journey, id=workflow_id, task_queue=self._task_queue,
                start_signal=SIGNAL_REGISTER_FACT, start_signal_args=[fact],
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING)
        except (RPCError, TemporalError, RuntimeError) as exc:
            raise JourneyUnavailable(f"Could not signal the journey ({type(exc).__name__}).") from exc
        return workflow_id

    async def view(self, pupil_id: UUID) -> JourneyView:
        """The journey's own view of its stage, deadlines and next steps (a query)."""
        handle = self.client.get_workflow_handle(journey_workflow_id(pupil_id))
        try:
            return await handle.query(QUERY_VIEW, result_type=JourneyView)
        except RPCError as exc:
            raise _rpc_failure(exc) from exc
        except (TemporalError, RuntimeError) as exc:
            raise JourneyUnavailable(f"Could not read the journey ({type(exc).__name__}).") from exc

    async def detail(self, pupil_id: UUID) -> JourneyDetail:
        """More of the journey: why each step it does not offer now is refused (a query)."""
        handle = self.client.get_workflow_handle(journey_workflow_id(pupil_id))
        try:
            return await handle.query(QUERY_DETAIL, result_type=JourneyDetail)
        except RPCError as exc:
            raise _rpc_failure(exc) from exc
        except (TemporalError, RuntimeError) as exc:
            raise JourneyUnavailable(f"Could not read the journey ({type(exc).__name__}).") from exc

    async def act(self, pupil_id: UUID, action: OfficerAction) -> JourneyView:
        """Run an officer's step as the journey's update; the validator's rejection becomes IllegalStep."""
        handle = self.client.get_workflow_handle(journey_workflow_id(pupil_id))
        with _update_failures():
            for pause in (*NOT_READY_PAUSES, None):
                try:
                    return await handle.execute_update(UPDATE_OFFICER_ACTION, action, result_type=JourneyView)
                except RPCError as exc:
                    # A journey whose workflow task is still running (just started, or a busy worker) is not
                    # ready for an update: the server refused it before history, so sending it again is safe.
                    if pause is None or not _not_ready(exc):
                        raise
                    logger.info("journey not ready for an update; trying again in %ss", pause)
                    await asyncio.sleep(pause)
        raise JourneyUnavailable("The journey was not ready for the step; try again shortly.")

    async def open_with(self, journey: JourneyInput, action: OfficerAction) -> JourneyView:
        """Update-with-start: an officer opens a case by hand (the journey is created if it is not running)."""
        start: WithStartWorkflowOperation[Any, Any] = WithStartWorkflowOperation(
            WORKFLOW_TYPE, journey, id=journey_workflow_id(journey.pupil_id), task_queue=self._task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING)
        with _update_failures():
            return await self.client.execute_update_with_start_workflow(
                UPDATE_OFFICER_ACTION, action, start_workflow_operation=start, result_type=JourneyView)


def new_journey(pupil_id: UUID, school_urn: str, la_code: str, policy: JourneyPolicy | None = None,
                la_contact: LaContact | None = None, cme_officer: LaContact | None = None) -> JourneyInput:
    """The input a pupil's journey starts with: its policy (casework's setting, with the LA's named contact for
    attendance and its children missing education officer), and the date a pinned system runs on."""
    policy = (policy or JourneyPolicy()).model_copy(update={"clock_offset_days": clock.offset_days(),
                                                            "la_attendance_contact": la_contact,
                                                            "la_cme_officer": cme_officer})
    return JourneyInput(pupil_id=pupil_id, school_urn=school_urn, la_code=la_code, policy=policy)


@contextlib.contextmanager
def _update_failures() -> Iterator[None]:
    """An update's failures as casework's errors: the validator's refusal is IllegalStep (409), the rest 503."""
    try:
        yield
    except WorkflowUpdateFailedError as exc:
        raise IllegalStep(_rejection_reason(exc)) from exc
    except RPCError as exc:
        raise _rpc_failure(exc) from exc
    except (WorkflowUpdateRPCTimeoutOrCancelledError, TemporalError, RuntimeError) as exc:
        raise JourneyUnavailable(f"The journey did not answer ({type(exc).__name__}).") from exc


def _rejection_reason(exc: WorkflowUpdateFailedError) -> str:
    cause = exc.cause
    if isinstance(cause, ApplicationError) and cause.message:
        return cause.message
    return str(cause or exc) or "The journey rejected this step."


def _not_ready(exc: RPCError) -> bool:
    return exc.status is RPCStatusCode.FAILED_PRECONDITION and "completed" not in str(exc).lower()


def _rpc_failure(exc: RPCError) -> Exception:
    if exc.status is RPCStatusCode.NOT_FOUND:
        return JourneyNotFound("This pupil has no journey in progress.")
    return JourneyUnavailable(f"The case workflow engine answered {exc.status.name}.")
