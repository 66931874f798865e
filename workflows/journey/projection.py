"""What a journey shows others, built from its state: casework's case projection, the view and detail queries, and
when the journey next wakes (its earliest deadline, the next read of the school's calendar). Pure, so that the
workflow sandbox passes it through (workflow.py says why)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

from temporalio import workflow

from workflows.journey import cme, court
from workflows.journey.notices import ledger
from workflows.journey.severe import participants
from workflows.journey.state import Deadline, JourneyState
from workflows.journey.transitions import available_actions

with workflow.unsafe.imports_passed_through():
    from shared.contracts.casework import CaseProjection
    from shared.contracts.casework import Deadline as CaseDeadline
    from shared.contracts.journey import (
        ACTION_LABELS,
        AvailableAction,
        JourneyDetail,
        JourneyPolicy,
        JourneyStatus,
        JourneyView,
    )

# The school's days are read weekly (workflow.py reads them).
CALENDAR_FRESH = timedelta(days=7)


def start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def due_at(deadline: Deadline) -> datetime:
    """A deadline lapses when its day is over."""
    return start_of(deadline.due_on + timedelta(days=1))


def calendar_refresh_at(state: JourneyState, now: datetime) -> datetime:
    """When the school's calendar is next to be read: weekly, the day after a failed read, or now."""
    today = now.date()
    cal = state.school_calendar
    if state.calendar_failed_on == today:
        return start_of(today + timedelta(days=1))
    if cal is None or cal.school_urn != state.school_urn or state.calendar_stale:
        return now
    return start_of(cal.fetched_on + CALENDAR_FRESH)


def status(state: JourneyState) -> str:
    if state.status is JourneyStatus.OPEN and state.flagged:
        return "flagged"
    return state.status.value


def case_projection(state: JourneyState, wid: str, policy: JourneyPolicy) -> CaseProjection:
    """The transition as casework records it (entries, stage, deadlines), at the state's version."""
    return CaseProjection(
        pupil_id=UUID(state.pupil_id), workflow_id=wid, state_version=state.state_version,
        stage=state.stage.value, status=status(state), lead_practitioner=state.lead_practitioner,
        deadlines=[CaseDeadline(key=d.key, title=d.title, due_date=d.due_on) for d in state.deadlines],
        new_entries=list(state.pending_entries), penalty_notices=ledger(state),
        severely_absent=state.is_severely_absent(),
        participants=participants(state) + cme.participants(state, policy))


def view(state: JourneyState, today: date, wid: str) -> JourneyView:
    actions = available_actions(state, today)
    return JourneyView(
        workflow_id=wid, pupil_id=UUID(state.pupil_id), stage=state.stage, status=status(state),
        state_version=state.state_version, flagged=state.flagged,
        deadlines=[{"key": d.key, "kind": d.kind.value, "title": d.title, "due_date": d.due_on.isoformat()}
                   for d in sorted(state.deadlines, key=lambda d: d.due_on)],
        available_actions=[AvailableAction(action=a.value, label=ACTION_LABELS[a])
                           for a, reason in actions.items() if reason is None],
        notifications_requested=list(state.notifications_requested), cme_concerns=cme.view(state),
        court_orders=court.view(state))


def detail(state: JourneyState, today: date, wid: str) -> JourneyDetail:
    refusals = available_actions(state, today)
    return JourneyDetail(
        view=view(state, today, wid), refusals={k.value: v for k, v in refusals.items() if v is not None},
        penalty_notices=[n.model_dump(mode="json") for n in state.penalty_notices],
        decisions=[d.model_dump(mode="json") for d in state.decisions])
