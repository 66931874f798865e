"""Each LA's Temporal Schedules of LA-return runs, created or brought up to date by one call.

Two schedules per LA by default: the periodic returns (attendance, sickness) monthly, or every
`interval_days`; and the event returns (new pupil, deletion) daily, since a new pupil return is due by the
end of the fifth day after entry and a monthly run would always be late.
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleCalendarSpec,
    ScheduleIntervalSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleRange,
    ScheduleSpec,
    ScheduleUpdate,
    ScheduleUpdateInput,
)

from shared import clock
from shared.contracts.returns import (
    DFE_DROP_WORKFLOW_TYPE,
    EVENT_RETURN_KINDS,
    GOVERNOR_REPORTS_WORKFLOW_TYPE,
    PERIODIC_RETURN_KINDS,
    TASK_QUEUE,
    WORKFLOW_TYPE,
    DfeCollectionTime,
    DfeShareDropInput,
    GovernorReportsInput,
    LaReturnsInput,
    ReturnKind,
    dfe_drop_schedule_id,
    governor_reports_schedule_id,
    la_return_schedule_id,
)

LONDON = "Europe/London"


class ReturnsScheduleSettings(BaseSettings):
    """RETURNS_SCHEDULE_* : which LAs get schedules, and how often (monthly unless an interval is set)."""

    model_config = SettingsConfigDict(env_prefix="RETURNS_SCHEDULE_", extra="ignore")

    la_codes: list[str] = Field(default_factory=lambda: ["999"])
    interval_days: int | None = Field(default=None, ge=1)
    hour: int = Field(default=6, ge=0, le=23)
    # New pupil and deletion returns on their own daily schedule (else with the periodic ones).
    daily_event_returns: bool = True
    # A new schedule runs once at once, so the period just ended is returned without waiting a month.
    trigger_on_create: bool = True
    # The DfE daily share's file drop (returns writes only when RETURNS_DFE_SHARE_DROP_DIR is set): twice a day,
    # after each register has closed (rules.md s9: the DfE collects in the morning and the afternoon).
    dfe_share_drop: bool = True
    dfe_share_morning_hour: int = Field(default=10, ge=7, le=12)
    dfe_share_afternoon_hour: int = Field(default=15, ge=13, le=20)
    # The termly governor reports: each morning a run stores the report of every school term that ended the day
    # before (or earlier, if a run was missed); terms come from each school's own calendar.
    governor_reports: bool = True
    governor_reports_hour: int = Field(default=7, ge=1, le=12)


def la_return_schedule(la_code: str, *, interval_days: int | None = None, hour: int = 6,
                       task_queue: str = TASK_QUEUE, kinds: list[ReturnKind] | None = None,
                       action_id: str | None = None) -> Schedule:
    """Monthly on the 1st at `hour` (UK time) by default, else every `interval_days` days."""
    if interval_days is None:
        spec = ScheduleSpec(calendars=[ScheduleCalendarSpec(day_of_month=[ScheduleRange(1)],
                                                            hour=[ScheduleRange(hour)])], time_zone_name=LONDON)
    elif interval_days == 1:
        spec = ScheduleSpec(calendars=[ScheduleCalendarSpec(hour=[ScheduleRange(hour)])], time_zone_name=LONDON)
    else:
        spec = ScheduleSpec(intervals=[ScheduleIntervalSpec(every=timedelta(days=interval_days))])
    action = ScheduleActionStartWorkflow(
        WORKFLOW_TYPE, LaReturnsInput(la_code=la_code, interval_days=interval_days, kinds=kinds,
                                      clock_offset_days=clock.offset_days()),
        id=action_id or f"la-return-{la_code}-scheduled", task_queue=task_queue)
    # Missed runs are caught up (the workflow uses the scheduled time, not the time it starts) but never
    # run two at once.
    policy = SchedulePolicy(overlap=ScheduleOverlapPolicy.BUFFER_ONE, catchup_window=timedelta(days=92))
    return Schedule(action=action, spec=spec, policy=policy)


async def _ensure(client: Client, schedule_id: str, schedule: Schedule, trigger_on_create: bool) -> str:
    try:
        handle = await client.create_schedule(schedule_id, schedule)
        if trigger_on_create:
            await handle.trigger()
    except ScheduleAlreadyRunningError:

        def _replace(current: ScheduleUpdateInput) -> ScheduleUpdate:
            # Keep the state (paused, notes) an operator set; replace what this code owns.
            schedule.state = current.description.schedule.state
            return ScheduleUpdate(schedule=schedule)

        await client.get_schedule_handle(schedule_id).update(_replace)
    return schedule_id


async def ensure_la_return_schedule(client: Client, la_code: str, *, interval_days: int | None = None,
                                    hour: int = 6, task_queue: str = TASK_QUEUE,
                                    kinds: list[ReturnKind] | None = None, trigger_on_create: bool = False,
                                    suffix: str = "") -> str:
    """Create one schedule of the LA, or replace its spec and action if it exists; returns its id."""
    schedule_id = la_return_schedule_id(la_code) + suffix
    schedule = la_return_schedule(la_code, interval_days=interval_days, hour=hour, task_queue=task_queue,
                                  kinds=kinds, action_id=f"la-return-{la_code}-scheduled{suffix}")
    return await _ensure(client, schedule_id, schedule, trigger_on_create)


async def ensure_la_return_schedules(client: Client, settings: ReturnsScheduleSettings | None = None,
                                     *, task_queue: str = TASK_QUEUE) -> list[str]:
    """Every configured LA's schedules (the worker calls this at start)."""
    settings = settings or ReturnsScheduleSettings()
    # A daily periodic schedule already covers the event returns; two would race for the same period ids.
    split = settings.daily_event_returns and settings.interval_days != 1
    ids = []
    plans: list[tuple[int | None, list[ReturnKind] | None, str]] = (
        [(settings.interval_days, list(PERIODIC_RETURN_KINDS), ""), (1, list(EVENT_RETURN_KINDS), "-daily")]
        if split else [(settings.interval_days, None, "")])
    for la_code in settings.la_codes:
        for interval_days, kinds, suffix in plans:
            ids.append(await ensure_la_return_schedule(
                client, la_code, interval_days=interval_days, hour=settings.hour, task_queue=task_queue,
                kinds=kinds, trigger_on_create=settings.trigger_on_create, suffix=suffix))
        if settings.dfe_share_drop:
            for collection, hour in ((DfeCollectionTime.MORNING, settings.dfe_share_morning_hour),
                                     (DfeCollectionTime.AFTERNOON, settings.dfe_share_afternoon_hour)):
                ids.append(await ensure_dfe_drop_schedule(client, la_code, collection, hour=hour,
                                                          task_queue=task_queue))
        if settings.governor_reports:
            ids.append(await ensure_governor_reports_schedule(client, la_code, hour=settings.governor_reports_hour,
                                                              task_queue=task_queue,
                                                              trigger_on_create=settings.trigger_on_create))
    return ids


def dfe_drop_schedule(la_code: str, collection: DfeCollectionTime, *, hour: int, task_queue: str = TASK_QUEUE
                      ) -> Schedule:
    """Every day at `hour` (UK time); a missed collection is not caught up (the next one carries the day)."""
    spec = ScheduleSpec(calendars=[ScheduleCalendarSpec(hour=[ScheduleRange(hour)])], time_zone_name=LONDON)
    action = ScheduleActionStartWorkflow(
        DFE_DROP_WORKFLOW_TYPE, DfeShareDropInput(la_code=la_code, collection=collection,
                                                  clock_offset_days=clock.offset_days()),
        id=f"{dfe_drop_schedule_id(la_code)}-{collection.value}-scheduled", task_queue=task_queue)
    policy = SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP, catchup_window=timedelta(hours=2))
    return Schedule(action=action, spec=spec, policy=policy)


async def ensure_dfe_drop_schedule(client: Client, la_code: str, collection: DfeCollectionTime, *, hour: int,
                                   task_queue: str = TASK_QUEUE) -> str:
    schedule_id = f"{dfe_drop_schedule_id(la_code)}-{collection.value}"
    schedule = dfe_drop_schedule(la_code, collection, hour=hour, task_queue=task_queue)
    return await _ensure(client, schedule_id, schedule, trigger_on_create=False)


def governor_reports_schedule(la_code: str, *, hour: int, task_queue: str = TASK_QUEUE) -> Schedule:
    """Every day at `hour` (UK time); missed days are caught up by the next run, which stores every ended term."""
    spec = ScheduleSpec(calendars=[ScheduleCalendarSpec(hour=[ScheduleRange(hour)])], time_zone_name=LONDON)
    action = ScheduleActionStartWorkflow(
        GOVERNOR_REPORTS_WORKFLOW_TYPE, GovernorReportsInput(la_code=la_code, clock_offset_days=clock.offset_days()),
        id=f"{governor_reports_schedule_id(la_code)}-scheduled", task_queue=task_queue)
    policy = SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP, catchup_window=timedelta(days=1))
    return Schedule(action=action, spec=spec, policy=policy)


async def ensure_governor_reports_schedule(client: Client, la_code: str, *, hour: int = 7,
                                           task_queue: str = TASK_QUEUE, trigger_on_create: bool = False) -> str:
    """Create the LA's schedule (run once at once when asked, so terms already over are stored without waiting a
    day), or replace its spec and action if it exists."""
    schedule_id = governor_reports_schedule_id(la_code)
    schedule = governor_reports_schedule(la_code, hour=hour, task_queue=task_queue)
    return await _ensure(client, schedule_id, schedule, trigger_on_create)
