"""PupilJourney: one durable workflow per pupil. Register facts arrive as signals, officer actions as updates
with validators; every deadline is a durable timer; every transition is written to casework's case record."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError, CancelledError, FailureError

# The sandbox re-imports this module, and everything it imports that is not passed through, for every journey
# run it starts (each new journey, each continue-as-new, each replay after eviction): for the rule modules, with
# their pydantic records, that cost some hundreds of milliseconds of CPU a journey, the most of what a signal
# cost. They are passed through because they are deterministic and do nothing at import but define: pure
# functions of the state, the policy and the time and ids the workflow hands them, with no I/O, clock,
# randomness or environment (tests/workflows/journey/test_sandbox.py checks their source), and no module
# state that a run could change (bank holidays are a cache of a pure function of the year). This module stays
# in the sandbox: it is the one that talks to Temporal.
with workflow.unsafe.imports_passed_through():
    # Whole modules by their full names: `from workflows.journey import cme` would load them afresh in the sandbox.
    import workflows.journey.cme as cme
    import workflows.journey.projection as shown
    from shared.contracts.casework import CaseProjection
    from shared.contracts.journey import (
        QUERY_DETAIL,
        QUERY_VIEW,
        SIGNAL_REGISTER_FACT,
        UPDATE_OFFICER_ACTION,
        WORKFLOW_TYPE,
        ActionName,
        JourneyDetail,
        JourneyInput,
        JourneyStatus,
        JourneyView,
        OfficerAction,
        RegisterFact,
    )
    from shared.contracts.notifications import NotificationOutcome, NotificationRequest, template_label
    from shared.contracts.register import SchoolDays
    from workflows.journey.facts import apply_fact
    from workflows.journey.lapses import lapse
    from workflows.journey.policy import SchoolCalendar
    from workflows.journey.severe import join_la_contact, needs_la_contact
    from workflows.journey.state import (
        MAX_NOTIFICATION_KEYS,
        NOTIFY_ACTIVITY,
        RECORD_PROJECTION_ACTIVITY,
        SCHOOL_DAYS_ACTIVITY,
        JourneyState,
    )
    from workflows.journey.steps import apply_action
    from workflows.journey.transitions import LEGAL_STEPS, refusal

# Patch ids; the ledger with what each changed is workflows/PATCHES.md.
PATCH_ATTENDANCE_LEAD_ON_LAPSE = "2026-11-25-attendance-lead-on-lapse"
PATCH_LETTERS_FROM_MAIN_LOOP = "2026-11-25-letters-from-main-loop"
PATCH_LAWFUL_PATHWAY = "2026-12-04-lawful-pathway"
PATCH_SEVERE_ABSENCE_JOINT = "2026-12-07-severe-absence-joint-approach"
PATCH_CHILDREN_MISSING_EDUCATION = "2026-12-07-children-missing-education"
PATCH_ADAPTED_PATH = "2026-12-07-adapted-path"
PATCH_LOCAL_FIRST = "2026-12-07-local-activities-first"
# The steps whose rules or effects the adapted-path patch changed (named partners before a legal step; a court
# outcome's hearing and parenting order with their deadlines).
ADAPTED_STEPS = frozenset(LEGAL_STEPS | {ActionName.RECORD_COURT_OUTCOME})

T = TypeVar("T")
VERSION_EPOCH = 1_577_836_800  # 2020-01-01T00:00:00Z
NOTIFY_RETRY = RetryPolicy(initial_interval=timedelta(seconds=2), maximum_interval=timedelta(minutes=5))
PROJECTION_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), maximum_interval=timedelta(minutes=2))
CALENDAR_RETRY = RetryPolicy(initial_interval=timedelta(seconds=2), maximum_interval=timedelta(seconds=30))
# One try in the worker itself (a local activity: no activity task, and no workflow task of its own to take its
# result) before the activity above with its retries. Short, so that a service that is down holds the journey's
# workflow task for seconds, not minutes.
LOCAL_TRY = timedelta(seconds=5)
LOCAL_RETRY = RetryPolicy(maximum_attempts=1)
# The school's days are read from 11 weeks back (the penalty threshold's window of 10 school weeks, from the
# Monday of its first week, which letters quote) to a year ahead, again weekly.
CALENDAR_BACK = timedelta(weeks=11)
CALENDAR_AHEAD = timedelta(days=366)


@workflow.defn(name=WORKFLOW_TYPE)
class PupilJourney:
    @workflow.init
    def __init__(self, journey: JourneyInput) -> None:
        self.policy = journey.policy
        self.wid = workflow.info().workflow_id
        if journey.state is not None:
            self.state = JourneyState.model_validate(journey.state)
        else:
            started = workflow.info().start_time
            # Seconds since 2020 as the first version keeps versions growing across successive journeys of
            # the same pupil (same workflow id), and within a 32-bit column for decades.
            self.state = JourneyState(pupil_id=str(journey.pupil_id), school_urn=journey.school_urn,
                                      la_code=journey.la_code, journey_ref=workflow.info().run_id[:8],
                                      state_version=int(started.timestamp()) - VERSION_EPOCH)
        self.lock = asyncio.Lock()
        self.wake = False

    @workflow.run
    async def run(self, journey: JourneyInput) -> JourneyView:
        # The first call decides for the whole run: runs replaying an older history stay on the old rules.
        lawful = self._lawful()
        while True:
            if lawful:
                await self._refresh_calendar()
            self.wake = False
            try:
                # Letters an update queued are sent after it sets `wake` (see PATCHES.md).
                await workflow.wait_condition(lambda: self.wake or bool(self.state.pending_facts),
                                              timeout=self._until_next_deadline())
            except TimeoutError:
                pass
            async with self.lock:
                await self._process_due_work()
            if self.state.status is JourneyStatus.ENDED:
                await workflow.wait_condition(workflow.all_handlers_finished)
                if not self.state.pending_facts:
                    return self._view()
                # Facts that arrived as the journey ended begin the pupil's next journey.
                workflow.continue_as_new(self._next_input(self._next_journey()))
            if self._should_continue_as_new():
                await workflow.wait_condition(workflow.all_handlers_finished)
                async with self.lock:  # a fact may have arrived while handlers finished
                    await self._process_due_work()
                workflow.continue_as_new(self._next_input(self.state))

    def _next_input(self, state: JourneyState) -> JourneyInput:
        return JourneyInput(pupil_id=UUID(state.pupil_id), school_urn=state.school_urn, la_code=state.la_code,
                            policy=self.policy, state=state.model_dump(mode="json"))

    def _next_journey(self) -> JourneyState:
        old = self.state
        return JourneyState(pupil_id=old.pupil_id, school_urn=old.school_urn, la_code=old.la_code,
                            admission_pupil_id=old.admission_pupil_id, journey_ref=workflow.uuid4().hex[:8],
                            state_version=old.state_version, flags=old.flags,
                            processed_event_ids=old.processed_event_ids, pending_facts=old.pending_facts,
                            severe_absence=old.severe_absence)

    @workflow.signal(name=SIGNAL_REGISTER_FACT)
    def register_fact(self, fact: RegisterFact) -> None:
        """Register facts may be delivered more than once: each event id is acted on once."""
        if self.state.remember_event(str(fact.event_id)):
            self.state.pending_facts.append(fact)

    @workflow.update(name=UPDATE_OFFICER_ACTION)
    async def officer_action(self, action: OfficerAction) -> JourneyView:
        lawful = self._lawful()
        adapted = self._adapted(action)
        async with self.lock:
            # The state may have moved on while this update waited for the lock. Journeys recorded before the
            # lawful pathway (or the adapted path) re-check with the rules they were recorded under, so that they
            # replay.
            if reason := refusal(self.state, action, self._now().date(), self.policy, lawful=lawful,
                                 adapted=adapted):
                raise ApplicationError(reason, type="IllegalStageTransition", non_retryable=True)
            apply_action(self.state, action, self._now(), self.policy, self.wid, lawful=lawful, adapted=adapted)
            # The officer waits for the case record only; letters go from the main loop, which also re-arms
            # its timer for deadlines this action set or cleared.
            await self._commit(send_notifications=not workflow.patched(PATCH_LETTERS_FROM_MAIN_LOOP))
            self.wake = True
            return self._view()

    @officer_action.validator
    def validate_officer_action(self, action: OfficerAction) -> None:
        """Refuse an illegal step before it reaches history, with a reason the officer can read."""
        if reason := refusal(self.state, action, self._now().date(), self.policy):
            raise ApplicationError(reason, type="IllegalStageTransition", non_retryable=True)

    @workflow.query(name=QUERY_VIEW)
    def view(self) -> JourneyView:
        return self._view()

    @workflow.query(name=QUERY_DETAIL)
    def detail(self) -> JourneyDetail:
        return shown.detail(self.state, self._now().date(), self.wid)

    def _lawful(self) -> bool:
        """The lawful pathway (issue 13): effective dates, school weeks, the notice ledger, support first."""
        return workflow.patched(PATCH_LAWFUL_PATHWAY)

    def _adapted(self, action: OfficerAction) -> bool:
        """The adapted path (issue 18 item 8), asked only for the steps it changed, so that histories recorded
        before replay unchanged; a run that replays one keeps the older rules to its end."""
        return action.action in ADAPTED_STEPS and workflow.patched(PATCH_ADAPTED_PATH)

    async def _refresh_calendar(self) -> None:
        """Read the pupil's school's days from register, so that validators count school weeks without I/O."""
        if shown.calendar_refresh_at(self.state, self._now()) > self._now():
            return
        state, today = self.state, self._now().date()
        urn = state.school_urn
        try:
            days: SchoolDays = await self._local_first(
                SCHOOL_DAYS_ACTIVITY, [urn, today - CALENDAR_BACK, today + CALENDAR_AHEAD], SchoolDays,
                start_to_close_timeout=timedelta(seconds=30), schedule_to_close_timeout=timedelta(minutes=2),
                retry_policy=CALENDAR_RETRY)
        except ActivityError as exc:
            # Deadlines are then counted in calendar weeks, and their timeline entries say so.
            workflow.logger.warning("school days of %s could not be read: %s", urn, exc.cause)
            state.calendar_failed_on = today
            if state.school_calendar and state.school_calendar.school_urn != urn:
                state.school_calendar = None
            return
        state.school_calendar = SchoolCalendar(school_urn=urn, from_date=days.from_date, known_until=days.known_until,
                                               school_days=days.school_days, fetched_on=today)
        state.calendar_failed_on, state.calendar_stale = None, False

    async def _local_first(self, activity: str, args: list[Any], result_type: type[T], *,
                           start_to_close_timeout: timedelta, retry_policy: RetryPolicy,
                           schedule_to_close_timeout: timedelta | None = None) -> T:
        """A call to register or casework: tried once in the worker, then, if that try failed in any way, as an
        activity with its retries, whose failure the caller handles as before. Each signal's calendar read and case
        record cost a workflow task and an activity task each otherwise (see PATCHES.md); runs recorded before the
        patch keep their activities."""
        if workflow.patched(PATCH_LOCAL_FIRST):
            try:
                return await workflow.execute_local_activity(
                    activity, args=args, result_type=result_type, start_to_close_timeout=LOCAL_TRY,
                    retry_policy=LOCAL_RETRY)
            except CancelledError:
                raise
            except FailureError as exc:  # a local activity's failure comes as its cause (ApplicationError, timeout)
                workflow.logger.info("%s failed in the worker (%s); trying it as an activity", activity, exc)
        return await workflow.execute_activity(
            activity, args=args, result_type=result_type, start_to_close_timeout=start_to_close_timeout,
            schedule_to_close_timeout=schedule_to_close_timeout, retry_policy=retry_policy)

    def _now(self) -> datetime:
        """Temporal's time, moved to the date a pinned system runs on (0 days in production)."""
        return workflow.now() + timedelta(days=self.policy.clock_offset_days)

    def _until_next_deadline(self) -> timedelta | None:
        moments = [shown.due_at(d) for d in self.state.deadlines]
        if self._lawful():
            moments.append(shown.calendar_refresh_at(self.state, self._now()))
        if not moments:
            return None
        return max(min(moments) - self._now(), timedelta(seconds=1))

    def _should_continue_as_new(self) -> bool:
        info = workflow.info()
        return info.is_continue_as_new_suggested() or \
            info.get_current_history_length() > self.policy.max_history_events

    async def _process_due_work(self) -> None:
        while self.state.pending_facts:
            apply_fact(self.state, self.state.pending_facts.pop(0), self._now(), self.wid)
        now = self._now()
        # Asked only when a fact gave a CME reason, so that histories recorded before replay unchanged (their
        # runs drop the reasons: they never opened a concern).
        if self.state.cme_triggers:
            if workflow.patched(PATCH_CHILDREN_MISSING_EDUCATION):
                cme.open_concerns(self.state, now, self.policy, self.wid)
            self.state.cme_triggers = []
        tell_lead = workflow.patched(PATCH_ATTENDANCE_LEAD_ON_LAPSE)
        decision_days = self.policy.prosecution_decision_days if self._lawful() else None
        for deadline in sorted(self.state.deadlines, key=lambda d: (d.due_on, d.key)):
            if shown.due_at(deadline) <= now:
                lapse(self.state, deadline, now, self.wid, tell_attendance_lead=tell_lead,
                      decision_days=decision_days)
        # Asked only when a severely absent pupil's case lacks the LA's contact, so that histories recorded before
        # replay unchanged; a run continued from one of them (continue-as-new) joins the contact at once.
        if needs_la_contact(self.state) and workflow.patched(PATCH_SEVERE_ABSENCE_JOINT):
            join_la_contact(self.state, now, self.policy, self.wid)
        await self._commit()

    async def _commit(self, send_notifications: bool = True) -> None:
        """Send queued notifications, then write the transition to casework (entries, stage, deadlines)."""
        state = self.state
        while send_notifications and state.pending_notifications:
            pending = state.pending_notifications[0]
            request = NotificationRequest(idempotency_key=pending.idempotency_key, template=pending.template,
                                          recipient_role=pending.recipient_role,
                                          pupil_id=UUID(state.admission_pupil_id or state.pupil_id),
                                          context=pending.context)
            try:
                outcome: NotificationOutcome = await workflow.execute_activity(
                    NOTIFY_ACTIVITY, request, result_type=NotificationOutcome,
                    start_to_close_timeout=timedelta(seconds=30), schedule_to_close_timeout=timedelta(days=1),
                    retry_policy=NOTIFY_RETRY)
                statuses = [n.status.value for n in outcome.notifications]
                outcome_words = " and ".join(sorted(set(statuses))) or "no recipient"
                state.add_entry("notification", f"{template_label(pending.template)}: {outcome_words}", self._now(),
                                template=pending.template, recipient_role=pending.recipient_role.value,
                                idempotency_key=pending.idempotency_key, repeated=outcome.repeated,
                                statuses=statuses)
            except ActivityError as exc:
                cause = exc.cause.message if isinstance(exc.cause, ApplicationError) else str(exc.cause or exc)
                state.add_entry("notification_failed", f"{template_label(pending.template)}: could not be sent",
                                self._now(),
                                template=pending.template, recipient_role=pending.recipient_role.value,
                                idempotency_key=pending.idempotency_key, reason=cause)
            state.pending_notifications.pop(0)
            state.notifications_requested.append(pending.idempotency_key)
            del state.notifications_requested[:-MAX_NOTIFICATION_KEYS]
        if not state.dirty and not state.pending_entries:
            return
        state.state_version += 1
        projection = shown.case_projection(state, self.wid, self.policy)
        try:
            await self._local_first(RECORD_PROJECTION_ACTIVITY, [projection], CaseProjection,
                                    start_to_close_timeout=timedelta(seconds=30), retry_policy=PROJECTION_RETRY)
        except ActivityError as exc:
            # Casework refused the record itself (4xx): retrying cannot help; keep the journey going.
            workflow.logger.error("casework refused the projection %s: %s", state.state_version, exc.cause)
        state.pending_entries = []
        state.dirty = False

    def _view(self) -> JourneyView:
        return shown.view(self.state, self._now().date(), self.wid)
