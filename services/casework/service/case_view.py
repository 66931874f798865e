"""The case view: the parts of a case file that come from other services (register's figures, recent marks, fast
track figures, parents' needs and the LA's point of contact; notifications' messages; the journey's view of its
stage and next steps), kept per case in `case_view` so that a case page is casework's own reads and no call.

A view is served while it is fresh: built at the case's current state_version, not marked stale, every part
answered, and at most `case_view_max_age_seconds` old. Anything else is rebuilt inline before the page is served,
so a page is never older than that, whatever the background refresh is doing. What marks a view stale:
- the journey's projection of the case (it moved on: stage, deadlines, steps offered);
- a register event for the pupil (figures, flags, admissions), or register's change (marks, the school's contact);
- a message about the pupil whose status notifications moved (read every `case_view_status_seconds`).
An officer's step through casework rebuilds the view before it answers, so the page after the step shows it.
A background task (started with the app) rebuilds, a bounded batch per round, the views marked stale, those read
past half their age, and then the open cases' views nearest their age limit, so that officers seldom wait for a
rebuild. Two readers of the same stale view share one rebuild.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable
from datetime import date, datetime, timedelta
from typing import TypeVar
from uuid import UUID

from pydantic import BaseModel, Field, ValidationError

from services.casework import repository
from services.casework.models import CaseFile, CaseView
from services.casework.schemas import FastTrackCheck, LaPointOfContact, ParentNeeds
from services.casework.service import la_contact as la_contact_of
from services.casework.service.children import Child, child_of, known_child
from services.casework.service.context import Casework, CaseworkApp
from services.casework.service.fast_track import fast_track_check
from services.casework.service.message_statuses import first_position, follow_message_statuses
from services.casework.service.parents import parent_needs
from shared import clock
from shared.background import BackgroundLoop
from shared.contracts.journey import JourneyView, Stage
from shared.contracts.notifications import DeliveryStatus, NotificationRecord, StatusPosition
from shared.contracts.register import MarkView, PupilFigures, RegisterChange, RegisterChangeKind, RegisterChangeReceipt
from shared.errors import ServiceError
from shared.http import ServiceCallFailed
from shared.unit_of_work import Db, UnitOfWork

T = TypeVar("T")
log = logging.getLogger(__name__)
FAST_TRACK_STAGES = {Stage.AT_RISK.value, Stage.PERSISTENT_ABSENCE.value, Stage.SEVERE_ABSENCE.value,
                     Stage.FORMAL_SUPPORT.value}
# Views the background refresh rebuilds per round, and at once.
REFRESH_BATCH = 20
REFRESH_CONCURRENCY = 4


class CaseViewParts(BaseModel):
    """What other services said about the case when the view was built; None where they did not answer."""

    notifications: list[NotificationRecord] | None = None
    figures: PupilFigures | None = None
    recent_marks: list[MarkView] | None = None
    journey: JourneyView | None = None
    fast_track: FastTrackCheck | None = None
    la_point_of_contact: LaPointOfContact | None = None
    parents: list[ParentNeeds] | None = None
    # The parts that did not answer, by the names the page shows.
    unavailable: list[str] = Field(default_factory=list)
    # The day the parts were read (the journey's steps offered depend on the day as well as its state).
    built_on: date | None = None


async def optional(name: str, call: Awaitable[T], missing: list[str], timeout: float) -> T | None:
    """Another service's part of the page: None (and named in `missing`) when it fails or is slow."""
    try:
        return await asyncio.wait_for(call, timeout)
    except (ServiceCallFailed, ServiceError, TimeoutError, ValueError):
        missing.append(name)
        return None


async def _none() -> None:
    return None


async def _notifications(cw: Casework, admission_ids: tuple[UUID, ...]) -> list[NotificationRecord]:
    """What was sent about the child through each admission the case followed, newest first."""
    found = await asyncio.gather(*(cw.notifications.pupil_notifications(i) for i in admission_ids))
    return sorted((n for records in found for n in records), key=lambda n: n.created_at, reverse=True)


async def _journey_view(cw: Casework, pupil_id: UUID) -> JourneyView:
    return await cw.journeys.view(pupil_id)


def _same_journey(case: CaseFile, previous: CaseViewParts | None) -> JourneyView | None:
    """The journey's view kept from the last build, while it still says what a query would: the journey has not
    moved on since (it counts every change in state_version, and projects each one) and it is the same day."""
    if previous is None or previous.journey is None or previous.built_on != clock.today():
        return None
    return previous.journey if previous.journey.state_version == case.state_version else None


async def gather_parts(cw: Casework, case: CaseFile, admission_ids: tuple[UUID, ...],
                       until: datetime | None = None,
                       previous: CaseViewParts | None = None) -> tuple[CaseViewParts, Child | None]:
    """Ask the other services for their parts of the case, all at once. An earlier school (`until`) gets none of
    the new school's register and no journey. The journey is queried only when it moved on since `previous`."""
    missing: list[str] = []
    kept_journey = _same_journey(case, previous) if until is None else None
    wait = cw.settings.upstream_timeout_seconds
    recent = clock.today() - timedelta(days=cw.settings.recent_marks_days)
    current = case.register_pupil_id
    # The child's identity is asked of register once per case file (then kept), for the notices of earlier
    # admissions; until it answers, the ledger shows what this admission knows.
    # Only where fast track could come next: the figures cost register two reads.
    weigh_fast_track = until is None and case.stage in FAST_TRACK_STAGES
    # Beside the rest (asyncio.gather types six parts at most).
    contact = asyncio.ensure_future(optional(
        "LA point of contact", la_contact_of.point_of_contact(cw, case.school_urn, case.la_code), missing, wait))
    parents_task = asyncio.ensure_future(
        optional("parents' language and format needs", parent_needs(cw.register, current), missing, wait)
        if until is None else _none())
    notifications, figures, marks, journey, child, fast_track = await asyncio.gather(
        optional("notifications", _notifications(cw, admission_ids), missing, wait),
        optional("figures", cw.register.pupil_figures(current), missing, wait) if until is None else _none(),
        optional("recent marks", cw.register.pupil_marks(current, from_date=recent), missing, wait)
        if until is None else _none(),
        optional("journey", _journey_view(cw, case.pupil_id), missing, wait)
        if until is None and kept_journey is None else _none(),
        optional("child", child_of(cw, case.pupil_id), [], wait),
        optional("fast track figures", fast_track_check(cw, case, cw.settings.journey_policy), missing, wait)
        if weigh_fast_track else _none())
    la_contact = await contact
    parents = await parents_task
    return CaseViewParts(notifications=notifications, figures=figures, recent_marks=marks[-20:] if marks else marks,
                         journey=journey or kept_journey, fast_track=fast_track, la_point_of_contact=la_contact,
                         parents=parents, unavailable=missing, built_on=clock.today()), child


def _age(view: CaseView, now: datetime) -> float | None:
    if view.refreshed_at is None:
        return None
    return (now - view.refreshed_at).total_seconds()


def _parts(view: CaseView | None) -> CaseViewParts | None:
    if view is None or view.parts is None:
        return None
    try:
        return CaseViewParts.model_validate(view.parts)
    except ValidationError:
        return None  # written by an older shape of the view


def _fresh(cw: Casework, view: CaseView | None, case: CaseFile) -> CaseViewParts | None:
    """The view's parts if they may be served as they are."""
    if view is None or view.parts is None or view.stale or view.state_version != case.state_version:
        return None
    age = _age(view, clock.now())
    # A clock that went back (a pinned test clock) cannot say how old the view is: rebuild.
    if age is None or not 0 <= age <= cw.settings.case_view_max_age_seconds:
        return None
    parts = _parts(view)
    if parts is None:
        return None
    # A part that did not answer, or a message still queued, is asked again after the retry interval: in the
    # background (the page says what it knew meanwhile), or before the page when the interval is 0.
    return parts if not _awaiting(parts) or cw.settings.case_view_retry_seconds > 0 else None


def _awaiting(parts: CaseViewParts) -> bool:
    """Whether the view holds something expected to change soon that no service reports: a part that did not
    answer, or a message still queued (a letter being made, say), whose status notifications moves on its own."""
    return bool(parts.unavailable) or any(n.status is DeliveryStatus.QUEUED for n in parts.notifications or [])


async def parts_for(cw: Casework, case: CaseFile, admission_ids: tuple[UUID, ...], until: datetime | None = None,
                    *, kept: CaseView | None = None) -> tuple[CaseViewParts, Child | None]:
    """The other services' parts of the case page: the kept view when it is fresh, else rebuilt now. An earlier
    school's read-only page is asked for afresh (it sees less, and seldom). `kept`: the view as the caller already
    read it."""
    if until is not None:
        return await gather_parts(cw, case, admission_ids, until)
    view = kept
    if view is None:
        async with cw.uow.reading() as db:
            view = await repository.case_view(db, case.pupil_id)
    parts = _fresh(cw, view, case)
    if parts is None:
        return await case_views(cw.app).rebuild(case.pupil_id, view.changes if view else 0)
    age = _age(view, clock.now()) if view is not None else None
    retry = _awaiting(parts) and age is not None and age > cw.settings.case_view_retry_seconds
    if retry or (age is not None and age > cw.settings.case_view_max_age_seconds / 2):
        case_views(cw.app).refresh_soon(case.pupil_id)  # read now, likely read again: rebuild it before it expires
    return parts, known_child(case)


async def refresh(cw: Casework, pupil_id: UUID) -> None:
    """Rebuild the case's view now (after an officer's step, so the page that follows shows it)."""
    async with cw.uow.reading() as db:
        view = await repository.case_view(db, pupil_id)
    await case_views(cw.app).rebuild(pupil_id, view.changes if view else 0)


async def mark_stale(db: Db, pupil_id: UUID) -> None:
    """Within the transaction that records the change: the view of this case no longer says what is true."""
    await repository.mark_case_view_stale(db, pupil_id)


async def receive_register_change(cw: Casework, change: RegisterChange) -> RegisterChangeReceipt:
    """Register's marks or school details moved: the case views showing them are marked stale, and the background
    refresh rebuilds them, so a case page reads what casework keeps rather than asking register on every load."""
    async with cw.uow.transaction() as db:
        if change.kind is RegisterChangeKind.SCHOOL:
            marked = await repository.mark_case_views_stale(db, school_urn=change.school_urn)
        else:
            marked = await repository.mark_case_views_stale(db, register_pupil_ids=change.pupil_ids)
    if marked:
        case_views(cw.app).wake()
    return RegisterChangeReceipt(change_id=change.change_id, case_views_marked_stale=marked)


class CaseViews(BackgroundLoop):
    """The app-wide side of the case views: rebuilds in flight (shared by readers of the same view) and the
    background refresh."""

    task_name = "case-view-refresh"

    def __init__(self, app: CaseworkApp) -> None:
        self._app = app
        # (pupil id, changes the rebuild reads after) -> the rebuild: a reader joins only a rebuild that started
        # after the last change it saw.
        self._building: dict[tuple[UUID, int], asyncio.Task[tuple[CaseViewParts, Child | None]]] = {}
        self._wanted: set[UUID] = set()
        self._wake = asyncio.Event()
        # How far notifications' status events have been read, and when to look again (the loop's clock).
        self._statuses_read_to: StatusPosition | None = None
        self._statuses_due = 0.0

    def _casework(self) -> Casework:
        # Its own unit of work: a rebuild outlives the request that asked for it when others share it.
        return Casework(app=self._app, uow=UnitOfWork(self._app.sessions))

    async def rebuild(self, pupil_id: UUID, after_change: int) -> tuple[CaseViewParts, Child | None]:
        """Rebuild the view, or join the rebuild already under way for the same change (when parts are retried on
        the read, one that found a service not answering is not joined: that service is asked again)."""
        key = (pupil_id, after_change)
        running = self._building.get(key)
        if running is not None:
            parts, child = await asyncio.shield(running)
            if not parts.unavailable or self._app.settings.case_view_retry_seconds > 0:
                return parts, child
        task = asyncio.ensure_future(self._build(pupil_id, after_change))
        self._building[key] = task
        task.add_done_callback(lambda done: self._forget(key, done))
        # A reader that goes away does not cancel the rebuild others wait for.
        return await asyncio.shield(task)

    def _forget(self, key: tuple[UUID, int], done: asyncio.Task[tuple[CaseViewParts, Child | None]]) -> None:
        if self._building.get(key) is done:
            del self._building[key]
        if not done.cancelled() and done.exception() is not None:
            log.warning("a case view rebuild failed (%s)", type(done.exception()).__name__)

    async def _build(self, pupil_id: UUID, after_change: int) -> tuple[CaseViewParts, Child | None]:
        cw = self._casework()
        async with cw.uow.reading() as db:
            case, admission_ids = await repository.case_with_admission_ids(db, pupil_id)
            kept = await repository.case_view(db, pupil_id)
        if case is None:
            return CaseViewParts(), None
        parts, child = await gather_parts(cw, case, tuple(admission_ids) or (case.pupil_id,),
                                          previous=_parts(kept))
        async with cw.uow.transaction() as db:
            await repository.store_case_view(db, pupil_id, parts.model_dump(mode="json"),
                                             state_version=case.state_version, refreshed_at=clock.now(),
                                             built_after_change=after_change)
        return parts, child

    def wake(self) -> None:
        """Views were marked stale: rebuild them now rather than at the next round."""
        self._wake.set()

    def refresh_soon(self, pupil_id: UUID) -> None:
        if pupil_id not in self._wanted:
            self._wanted.add(pupil_id)
            self._wake.set()

    async def _after_stop(self) -> None:
        for task in list(self._building.values()):
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*self._building.values(), return_exceptions=True)

    async def follow_message_statuses(self) -> int:
        """Mark stale the views whose messages' status moved since the last look (message_statuses.py); how many
        were marked. A look that fails leaves the position where it was, so the next look reads the same events."""
        cw = self._casework()
        marked, self._statuses_read_to = await follow_message_statuses(
            cw, self._statuses_read_to or first_position(cw))
        return marked

    async def _look_at_message_statuses_when_due(self) -> None:
        loop = asyncio.get_running_loop()
        if loop.time() < self._statuses_due:
            return
        self._statuses_due = loop.time() + self._app.settings.case_view_status_seconds
        try:
            await self.follow_message_statuses()
        except (ServiceError, ServiceCallFailed, ValidationError) as exc:  # the views' age limit still holds
            log.warning("message statuses could not be read from notifications (%s)", type(exc).__name__)

    async def _run(self) -> None:
        while True:
            try:
                await self._look_at_message_statuses_when_due()
                await self.refresh_round()
            except asyncio.CancelledError:
                raise
            except Exception:  # a bad round must not end the refresh; reads rebuild inline meanwhile
                log.exception("case view refresh round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._app.settings.case_view_refresh_seconds)
            self._wake.clear()

    async def refresh_round(self) -> int:
        """Rebuild the views marked stale and those asked for; how many were rebuilt."""
        cw = self._casework()
        wanted, self._wanted = self._wanted, set()
        max_age = cw.settings.case_view_max_age_seconds
        async with cw.uow.reading() as db:
            chosen = {*await repository.stale_case_views(db, REFRESH_BATCH), *wanted}
            if len(chosen) < REFRESH_BATCH:
                # Then the open cases' views nearest their age limit, so a first read seldom waits for a rebuild;
                # at most a batch a round, so the work stays bounded however many cases there are.
                chosen.update(await repository.ageing_case_views(
                    db, clock.now() - timedelta(seconds=max_age * 0.75), REFRESH_BATCH - len(chosen)))
            changes = {}
            for pupil_id in chosen:
                view = await repository.case_view(db, pupil_id)
                changes[pupil_id] = view.changes if view else 0
        gate = asyncio.Semaphore(REFRESH_CONCURRENCY)

        async def one(pupil_id: UUID, after_change: int) -> None:
            async with gate:
                await self.rebuild(pupil_id, after_change)

        await asyncio.gather(*(one(p, c) for p, c in changes.items()))
        return len(changes)


def case_views(app: CaseworkApp) -> CaseViews:
    if app.case_views is None:
        app.case_views = CaseViews(app)
    return app.case_views
