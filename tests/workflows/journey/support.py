"""Fakes of the services under the real activity names, and helpers to drive a journey in tests."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from temporalio import activity
from temporalio.client import Client, WorkflowExecutionStatus, WorkflowHandle
from temporalio.exceptions import ApplicationError
from temporalio.worker import Worker

from services.notifications.service.rendering import TemplateRenderer
from shared import clock
from shared.contracts.casework import CaseProjection
from shared.contracts.journey import (
    QUERY_VIEW,
    SIGNAL_REGISTER_FACT,
    UPDATE_OFFICER_ACTION,
    WORKFLOW_TYPE,
    Actor,
    JourneyInput,
    JourneyPolicy,
    JourneyView,
    OfficerAction,
    RegisterFact,
    journey_workflow_id,
)
from shared.contracts.notifications import NotificationOutcome, NotificationRequest
from shared.contracts.register import PupilFlags, RegisterEventType, SchoolDays, SessionName
from workflows.journey.policy import is_working_day
from workflows.journey.state import NOTIFY_ACTIVITY, RECORD_PROJECTION_ACTIVITY, SCHOOL_DAYS_ACTIVITY
from workflows.journey.workflow import PupilJourney

RENDERER = TemplateRenderer()
# Journeys created by the running test; conftest terminates the ones still running afterwards.
STARTED: list[Journey] = []
# Casework names the LA an officer acts for; letters the officer issues are signed for it.
OFFICER = Actor(subject="ewo-1", name="Test Officer", role="la_ewo", organisation="Northshire County Council")


def weekdays_calendar(day: date) -> bool:
    """The default school: open every working day (no school holidays), every calendar set up."""
    return is_working_day(day)


class FakeServices:
    """Notifications, casework and register's school days as the journey sees them: every call recorded,
    idempotency keys honoured. `school_day` decides which days the school meets; `known_until` is the last day
    its calendar is set up for (None: all of the requested range)."""

    def __init__(self, school_day: Callable[[date], bool] = weekdays_calendar,
                 known_until: date | None = None,
                 schools: dict[str, Callable[[date], bool]] | None = None) -> None:
        self.notify_calls: list[NotificationRequest] = []
        self.sent: dict[str, NotificationRequest] = {}
        self.projections: list[CaseProjection] = []
        self.refused: list[NotificationRequest] = []
        self.school_day = school_day
        # Other schools' calendars by URN (a pupil who moves school); any other school meets on `school_day`.
        self.schools = schools or {}
        self.known_until = known_until
        self.calendar_reads: list[tuple[str, date, date]] = []

    @activity.defn(name=SCHOOL_DAYS_ACTIVITY)
    async def school_days(self, school_urn: str, from_date: date, to_date: date) -> SchoolDays:
        self.calendar_reads.append((school_urn, from_date, to_date))
        until = min(to_date, self.known_until) if self.known_until else to_date
        days = [from_date + timedelta(days=i) for i in range((until - from_date).days + 1)]
        meets = self.schools.get(school_urn, self.school_day)
        return SchoolDays(school_urn=school_urn, from_date=from_date, to_date=to_date, known_until=until,
                          school_days=[d for d in days if meets(d)])

    @activity.defn(name=NOTIFY_ACTIVITY)
    async def notify(self, request: NotificationRequest) -> NotificationOutcome:
        self.notify_calls.append(request)
        # As the real service does: a template's context must hold every name it uses (else 422).
        missing = set(RENDERER.required_context(request.template)) - set(request.context)
        if missing:
            self.refused.append(request)
            raise ApplicationError(f"{request.template} lacks {sorted(missing)}", type="MissingContext",
                                   non_retryable=True)
        repeated = request.idempotency_key in self.sent
        self.sent.setdefault(request.idempotency_key, request)
        return NotificationOutcome(idempotency_key=request.idempotency_key, repeated=repeated)

    @activity.defn(name=RECORD_PROJECTION_ACTIVITY)
    async def record_projection(self, projection: CaseProjection) -> CaseProjection:
        self.projections.append(projection)
        return projection

    def templates(self) -> list[str]:
        """Templates actually sent (first request per idempotency key), in order."""
        return [r.template for r in self.sent.values()]

    def entries(self) -> list[Any]:
        return [e for p in self.projections for e in p.new_entries]


@asynccontextmanager
async def running_worker(client: Client, task_queue: str, fakes: FakeServices, sticky: bool = True,
                         settle: bool = True) -> AsyncIterator[Worker]:
    """A worker with the real workflow and the fakes. Restart tests pass sticky=False: the time-skipping
    server keeps routing a workflow's tasks to a stopped worker's sticky queue (sdk-python#783)."""
    worker = Worker(client, task_queue=task_queue, workflows=[PupilJourney],
                    activities=[fakes.notify, fakes.record_projection, fakes.school_days],
                    max_cached_workflows=100 if sticky else 0)
    async with worker:
        yield worker
        if settle:
            await settle_journeys(client, task_queue)
    assert not fakes.refused, [r.template for r in fakes.refused]


async def settle_journeys(client: Client, task_queue: str) -> None:
    """Wait until this queue's journeys have no activity or workflow task in flight. The time-skipping server
    never releases its time lock for work left in flight when a run is terminated (sdk-java#1138), and later
    tests' sleeps would hang."""
    for journey in [j for j in STARTED if j.task_queue == task_queue]:
        quiet = 0
        for _ in range(400):
            description = await client.get_workflow_handle(journey.workflow_id).describe()
            raw = description.raw_description
            busy = bool(raw.pending_activities) or raw.HasField("pending_workflow_task")
            quiet = 0 if busy else quiet + 1
            if quiet >= 3 or description.status != WorkflowExecutionStatus.RUNNING:
                break
            await asyncio.sleep(0.02)


def new_queue() -> str:
    return f"journey-test-{uuid.uuid4().hex[:8]}"


def threshold_window(session_date: date, sessions: int = 10) -> dict[str, Any]:
    """What register says with penalty_threshold_met: the count and the Mondays of the 10 school weeks (of the
    default fake school, open every week) up to the session that completed it."""
    monday = session_date - timedelta(days=session_date.weekday())
    return {"unauthorised_sessions": sessions, "threshold": 10,
            "window_weeks": [(monday - timedelta(weeks=9 - i)).isoformat() for i in range(10)]}


def fact(event_type: RegisterEventType, flags: PupilFlags | None = None, event_id: uuid.UUID | None = None,
         **kwargs: Any) -> RegisterFact:
    session_date = kwargs.pop("session_date", date(2026, 11, 25))
    if event_type is RegisterEventType.PENALTY_THRESHOLD_MET and "details" not in kwargs:
        kwargs["details"] = threshold_window(session_date)
    return RegisterFact(event_id=event_id or uuid.uuid4(), event_type=event_type, occurred_at=clock.now(),
                        flags=flags or PupilFlags(), session_date=session_date,
                        session=kwargs.pop("session", SessionName.AM), **kwargs)


# What register puts in the details of a stage crossing (figures for the year so far).
FIGURES = {"academic_year": 2026, "possible_sessions": 100, "attended_sessions": 88,
           "unauthorised_absence_sessions": 9, "attendance_rate": "88.0"}


def action(name: str, note: str | None = None, effective_date: date | None = None,
           prior_notices: list[Any] | None = None, **details: Any) -> OfficerAction:
    return OfficerAction(action=name, actor=OFFICER, note=note, details=details, effective_date=effective_date,
                         prior_notices=prior_notices or [])


class Journey:
    """One pupil's journey as casework drives it: signal-with-start, updates and queries by name."""

    def __init__(self, client: Client, task_queue: str, policy: JourneyPolicy | None = None) -> None:
        self.client = client
        self.task_queue = task_queue
        self.pupil_id = uuid.uuid4()
        # The journey runs as of the suite's date (TEST_TODAY), as casework starts it.
        self.policy = (policy or JourneyPolicy()).model_copy(update={"clock_offset_days": clock.offset_days()})
        self.workflow_id = journey_workflow_id(self.pupil_id)
        STARTED.append(self)

    def input(self) -> JourneyInput:
        return JourneyInput(pupil_id=self.pupil_id, school_urn="900001", la_code="999", policy=self.policy)

    async def signal(self, register_fact: RegisterFact) -> WorkflowHandle[Any, Any]:
        return await self.client.start_workflow(
            WORKFLOW_TYPE, self.input(), id=self.workflow_id, task_queue=self.task_queue,
            start_signal=SIGNAL_REGISTER_FACT, start_signal_args=[register_fact])

    @property
    def handle(self) -> WorkflowHandle[Any, Any]:
        return self.client.get_workflow_handle(self.workflow_id)

    async def act(self, name: str, note: str | None = None, **details: Any) -> JourneyView:
        """An officer's step; `effective_date` and `prior_notices` go on the action, the rest in its details."""
        return await self.handle.execute_update(UPDATE_OFFICER_ACTION, action(name, note, **details),
                                                result_type=JourneyView)

    async def view(self) -> JourneyView:
        return await self.handle.query(QUERY_VIEW, result_type=JourneyView)


async def eventually(check: Callable[[], Any], timeout: float = 10.0) -> None:
    """Wait (in real time) until `check()` is truthy; the workflow works asynchronously to signals."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(0.05)


async def refusal_of(journey: Journey, name: str, **details: Any) -> str:
    """The reason the journey gives for refusing an action (fails the test if it is accepted)."""
    import pytest
    from temporalio.client import WorkflowUpdateFailedError
    from temporalio.exceptions import ApplicationError

    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await journey.act(name, **details)
    cause = refused.value.cause
    assert isinstance(cause, ApplicationError)
    assert cause.type == "IllegalStageTransition"
    return cause.message


async def today(env: Any) -> date:
    """The journey's date: the test server's (it moves when the test skips time), as of the suite's date."""
    return (await env.get_current_time() + timedelta(days=clock.offset_days())).date()


def due_date(view: JourneyView, kind: str) -> date:
    """The day the journey's one running deadline of `kind` falls due, as it computed it (school weeks, receipt
    dates and holidays included): tests wait for that, not for a number of days that holds on some dates only."""
    due = [date.fromisoformat(d["due_date"]) for d in view.deadlines if d["kind"] == kind]
    assert len(due) == 1, f"one {kind} deadline expected: {view.deadlines}"
    return due[0]


async def sleep_past(env: Any, due: date) -> None:
    """Skip time until a deadline due on `due` has lapsed: the journey counts it lapsed once its day is over
    (midnight UTC after it, on the journey's pinned date), so the test server wakes it a minute after that."""
    lapses_at = datetime.combine(due + timedelta(days=1), time.min, tzinfo=UTC) - timedelta(days=clock.offset_days())
    now = await env.get_current_time()
    assert lapses_at > now, f"the deadline due on {due} had already lapsed"
    await env.sleep(lapses_at - now + timedelta(minutes=1))


async def school_day(env: Any, days: int) -> date:
    """A working day (the default fake school meets on every one) no later than `days` after today."""
    day = await today(env) + timedelta(days=days)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


# Support recorded before a legal step (support first, rules.md s10).
SUPPORT = {"what": "Weekly mentoring", "provider": "School pastoral team", "start_date": "2026-09-07",
           "review_date": "2026-10-19", "response": "declined"}


def fast_track_figures(day: date, unauthorised: int = 12, possible: int = 60,
                       meets: Callable[[date], bool] = weekdays_calendar) -> dict[str, Any]:
    """The fast track entry figures over the 6 school weeks up to `day` (default: 20%, over the 15%) of a
    school that meets on the days `meets` says (the default fake school's)."""
    start, weeks = day - timedelta(days=day.weekday()), 0
    while True:
        last = min(start + timedelta(days=6), day)
        weeks += any(meets(start + timedelta(days=i)) for i in range((last - start).days + 1))
        if weeks == 6:
            break
        start -= timedelta(weeks=1)
    return {"unauthorised_sessions": unauthorised, "possible_sessions": possible, "period_start": start.isoformat(),
            "period_end": day.isoformat()}


def decision(**overrides: Any) -> dict[str, Any]:
    """Decision factors as an officer records them before a legal step."""
    return {"support_offered": "Attendance meetings, action plan, early help", "support_taken_up": False,
            "family_view": "Parent says the pupil refuses to go", **overrides}
