"""The case view (services/casework/service/case_view.py): a case page read while its view is fresh asks no other
service and no journey; a stale, old or missing view is rebuilt on the read; an officer's step rebuilds it before it
answers; a register event or the journey's projection marks it stale; the background refresh rebuilds it."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from services.casework.models import CaseView
from services.casework.service.case_view import case_views
from shared import clock
from shared.auth import Role, service_token
from shared.clients.notifications import NotificationsClient
from shared.clients.register import RegisterClient
from shared.contracts.journey import JourneyView
from tests.services.casework.conftest import Harness, register_event
from tests.services.casework.fakes import fake_notifications, fake_register, summary_for
from tests.services.casework.test_api import PLAN
from tests.services.casework.test_web import _signed_in

SCHOOL_OFFICER: dict[str, Any] = {"school_urns": ["900001"]}


class Counting(httpx.AsyncBaseTransport):
    """An in-process fake that counts the calls made to it, by path."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app
        self._inner = httpx.ASGITransport(app=app)
        self.calls: Counter[str] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls[request.url.path] += 1
        return await self._inner.handle_async_request(request)


class Upstream:
    """Register, notifications and the journey's view query as casework sees them, each call counted."""

    def __init__(self, harness: Harness, pupil_id: UUID, message_status: str = "sent") -> None:
        cw = harness.app.state.casework
        token = service_token("casework", "register", harness.platform)
        self.register = Counting(fake_register({pupil_id: summary_for(pupil_id, name="Ava Example")}, {}))
        self.notifications = Counting(fake_notifications(status=message_status))
        cw.register = RegisterClient("http://register", token, transport=self.register)
        cw.notifications = NotificationsClient("http://notifications", token, transport=self.notifications)
        self.journey_queries = 0
        asked = cw.journeys.view

        async def view(pupil: UUID) -> JourneyView:
            self.journey_queries += 1
            result: JourneyView = await asked(pupil)
            return result

        cw.journeys.view = view

    def total(self) -> int:
        return sum(self.register.calls.values()) + sum(self.notifications.calls.values()) + self.journey_queries


async def _case_with_fakes(harness: Harness, message_status: str = "sent") -> tuple[UUID, Upstream]:
    """A case whose view is not built yet, with counting fakes of the other services, and no background refresh
    (so each test decides when a view is built)."""
    await case_views(harness.app.state.casework).stop()
    event = register_event()
    assert (await harness.http.post("/internal/events", json=event, headers=harness.service())).status_code == 200
    pupil_id = UUID(event["pupil"]["pupil_id"])
    return pupil_id, Upstream(harness, pupil_id, message_status)


async def _case_file(harness: Harness, pupil_id: UUID) -> dict[str, Any]:
    response = await harness.http.get(f"/api/v1/cases/{pupil_id}",
                                      headers=harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, **SCHOOL_OFFICER))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _view_row(harness: Harness, pupil_id: UUID) -> CaseView | None:
    async with harness.app.state.casework.sessions() as db:
        return await db.get(CaseView, pupil_id)


async def _rebuilt_on_the_next_read(harness: Harness, pupil_id: UUID, upstream: Upstream, asked: int) -> None:
    """The view is marked stale; the next read asks the services again and leaves it fresh."""
    assert (row := await _view_row(harness, pupil_id)) is not None
    assert row.stale
    await _case_file(harness, pupil_id)
    assert upstream.total() > asked
    assert (row := await _view_row(harness, pupil_id)) is not None
    assert not row.stale


async def _age_view(harness: Harness, pupil_id: UUID, seconds: float) -> None:
    """As if the view had been built `seconds` ago."""
    async with harness.app.state.casework.sessions() as db, db.begin():
        await db.execute(update(CaseView).where(CaseView.pupil_id == pupil_id).values(
            refreshed_at=clock.now() - timedelta(seconds=seconds)))


async def test_a_fresh_view_is_served_without_asking_register_notifications_or_the_journey(harness: Harness) -> None:
    pupil_id, upstream = await _case_with_fakes(harness)

    first = await _case_file(harness, pupil_id)
    asked = upstream.total()
    again = await _case_file(harness, pupil_id)
    page = await harness.http.get(f"/cases/{pupil_id}",
                                  headers=_signed_in(harness, Role.SCHOOL_ATTENDANCE_OFFICER, **SCHOOL_OFFICER))

    assert asked > 0
    assert upstream.register.calls[f"/internal/pupils/{pupil_id}/figures"] >= 1
    assert upstream.journey_queries == 1
    assert first["unavailable"] == []
    assert first["figures"]["possible_sessions"] == 200
    assert first["notifications"]
    assert first["journey"]["stage"] == "monitoring"
    assert upstream.total() == asked  # the second read and the page asked nobody
    assert page.status_code == 200
    assert "Ava Example" in page.text
    assert {k: v for k, v in again.items() if k != "timeline"} == {k: v for k, v in first.items() if k != "timeline"}


async def test_a_view_marked_stale_by_a_register_event_is_rebuilt_on_the_next_read(harness: Harness) -> None:
    pupil_id, upstream = await _case_with_fakes(harness)
    await _case_file(harness, pupil_id)
    assert (row := await _view_row(harness, pupil_id)) is not None
    assert not row.stale
    asked = upstream.total()

    later = register_event(pupil_id, event_type="became_persistently_absent")
    assert (await harness.http.post("/internal/events", json=later, headers=harness.service())).status_code == 200

    await _rebuilt_on_the_next_read(harness, pupil_id, upstream, asked)


async def test_register_changes_mark_the_views_they_touch_stale_and_nothing_else(harness: Harness) -> None:
    pupil_id, upstream = await _case_with_fakes(harness)
    await _case_file(harness, pupil_id)
    asked = upstream.total()

    def change(kind: str, **fields: Any) -> dict[str, Any]:
        return {"change_id": str(uuid4()), "kind": kind, "school_urn": "900001", "occurred_at": clock.now().isoformat(),
                **fields}

    async def post(body: dict[str, Any], headers: dict[str, str] | None = None) -> httpx.Response:
        return await harness.http.post("/internal/register-changes", json=body,
                                       headers=harness.service() if headers is None else headers)

    # Marks written for other pupils touch no view; for this pupil, its view.
    other = await post(change("marks", pupil_ids=[str(uuid4())]))
    assert other.status_code == 200, other.text
    assert other.json()["case_views_marked_stale"] == 0
    assert (row := await _view_row(harness, pupil_id)) is not None
    assert not row.stale
    marked = await post(change("marks", pupil_ids=[str(uuid4()), str(pupil_id)]))
    assert marked.json()["case_views_marked_stale"] == 1
    await _rebuilt_on_the_next_read(harness, pupil_id, upstream, asked)
    # A school's details (its LA point of contact): every case at the school; another school's, none.
    assert (await post(change("school", school_urn="900002"))).json()["case_views_marked_stale"] == 0
    assert (await post(change("school"))).json()["case_views_marked_stale"] == 1
    # Only register may post them; a malformed change names its field.
    officer = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, **SCHOOL_OFFICER)
    assert (await post(change("marks"), headers=officer)).status_code == 403
    bad = await post(change("timetable"))
    assert bad.status_code == 422
    assert "kind" in bad.text


async def test_a_view_older_than_its_age_limit_is_rebuilt_on_the_read(harness: Harness) -> None:
    pupil_id, upstream = await _case_with_fakes(harness)
    await _case_file(harness, pupil_id)
    asked = upstream.total()
    max_age = harness.app.state.casework.settings.case_view_max_age_seconds
    await _age_view(harness, pupil_id, max_age + 1)

    await _case_file(harness, pupil_id)

    assert upstream.total() > asked
    row = await _view_row(harness, pupil_id)
    assert row is not None
    assert row.refreshed_at is not None
    assert (clock.now() - row.refreshed_at).total_seconds() < max_age


@pytest.mark.parametrize(("status", "asked_again"), [("queued", True), ("sent", False)])
async def test_a_view_with_a_message_still_queued_is_read_again_in_the_background(
        harness: Harness, status: str, asked_again: bool) -> None:
    """Notifications moves a queued message on (a letter made and posted) without telling casework: a view holding
    one is served as it is, and rebuilt in the background once read after the retry interval."""
    pupil_id, upstream = await _case_with_fakes(harness, message_status=status)
    app = harness.app.state.casework
    retry = 5.0  # the suite asks again on the read (0); here, as in production, in the background
    app.settings = app.settings.model_copy(update={"case_view_retry_seconds": retry})
    assert (await _case_file(harness, pupil_id))["notifications"][0]["status"] == status
    asked = sum(upstream.notifications.calls.values())
    await _age_view(harness, pupil_id, retry + 1)

    await _case_file(harness, pupil_id)
    served_as_kept = sum(upstream.notifications.calls.values()) == asked
    await case_views(harness.app.state.casework).refresh_round()

    assert served_as_kept
    assert (sum(upstream.notifications.calls.values()) > asked) is asked_again


async def test_an_officers_step_rebuilds_the_view_so_the_next_page_shows_it_without_a_call(harness: Harness) -> None:
    pupil_id, upstream = await _case_with_fakes(harness)
    assert (await _case_file(harness, pupil_id))["journey"]["stage"] == "monitoring"

    step = await harness.http.post(
        f"/api/v1/cases/{pupil_id}/actions",
        headers=harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, **SCHOOL_OFFICER),
        json={"action": "agree_action_plan", "details": PLAN})
    assert step.status_code == 200, step.text
    asked = upstream.total()

    after = await _case_file(harness, pupil_id)

    assert upstream.total() == asked
    assert after["journey"]["stage"] == "formal_support"
    assert after["case"]["stage"] == "formal_support"
    assert "record_decision" in after["permitted_actions"]


async def test_the_background_refresh_rebuilds_stale_views(harness: Harness) -> None:
    pupil_id, upstream = await _case_with_fakes(harness)
    assert (row := await _view_row(harness, pupil_id)) is not None
    assert row.stale
    assert row.parts is None

    rebuilt = await case_views(harness.app.state.casework).refresh_round()

    assert rebuilt >= 1
    assert (row := await _view_row(harness, pupil_id)) is not None
    assert not row.stale
    assert row.parts is not None
    asked = upstream.total()
    assert (await _case_file(harness, pupil_id))["figures"]["possible_sessions"] == 200
    assert upstream.total() == asked


async def test_the_journey_is_not_queried_again_while_it_has_not_moved_on(harness: Harness) -> None:
    pupil_id, upstream = await _case_with_fakes(harness)
    await _case_file(harness, pupil_id)
    assert upstream.journey_queries == 1
    max_age = harness.app.state.casework.settings.case_view_max_age_seconds
    await _age_view(harness, pupil_id, max_age + 1)

    rebuilt = await _case_file(harness, pupil_id)

    assert upstream.journey_queries == 1  # register and notifications were asked again; the journey was not
    assert rebuilt["journey"]["stage"] == "monitoring"
    assert "journey" not in rebuilt["unavailable"]


async def test_a_part_that_did_not_answer_is_asked_again_in_the_background(harness: Harness) -> None:
    cw = harness.app.state.casework
    cw.settings = cw.settings.model_copy(update={"case_view_retry_seconds": 60.0})
    await case_views(cw).stop()
    pupil_id = await _opened_case(harness)
    first = await _case_file(harness, pupil_id)  # register is not running here
    upstream = Upstream(harness, pupil_id)

    again = await _case_file(harness, pupil_id)

    assert "figures" in first["unavailable"]
    assert again["unavailable"] == first["unavailable"]
    assert upstream.total() == 0  # served as it was, without waiting for register
    cw.settings = cw.settings.model_copy(update={"case_view_retry_seconds": 0.001})
    await _case_file(harness, pupil_id)  # read past the interval: asked again in the background
    assert await case_views(cw).refresh_round() >= 1
    assert upstream.total() > 0
    assert (await _case_file(harness, pupil_id))["figures"]["possible_sessions"] == 200


async def _opened_case(harness: Harness) -> UUID:
    event = register_event()
    assert (await harness.http.post("/internal/events", json=event, headers=harness.service())).status_code == 200
    return UUID(event["pupil"]["pupil_id"])


async def test_a_message_whose_status_moved_marks_its_view_stale(harness: Harness) -> None:
    """Notifications moves a message on by itself (an email delivered, a letter failed); casework reads the status
    events after where it last read and marks the views of their pupils stale, each event once."""
    pupil_id, upstream = await _case_with_fakes(harness)
    await _case_file(harness, pupil_id)
    asked = upstream.total()
    views = case_views(harness.app.state.casework)
    moved: list[UUID] = upstream.notifications.app.state.moved

    assert await views.follow_message_statuses() == 0
    assert (row := await _view_row(harness, pupil_id)) is not None
    assert not row.stale
    moved.extend([uuid4(), pupil_id])
    assert await views.follow_message_statuses() == 1
    await _rebuilt_on_the_next_read(harness, pupil_id, upstream, asked)
    assert await views.follow_message_statuses() == 0  # read from where it stopped: nothing new


async def test_notifications_not_answering_leaves_the_position_and_the_views_as_they_were(harness: Harness) -> None:
    pupil_id, upstream = await _case_with_fakes(harness)
    await _case_file(harness, pupil_id)
    views = case_views(harness.app.state.casework)
    upstream.notifications.app.state.moved.append(pupil_id)
    cw = harness.app.state.casework
    working = cw.notifications
    cw.notifications = NotificationsClient("http://127.0.0.1:9", "token", timeout=0.5)

    await views._look_at_message_statuses_when_due()  # logs, raises nothing

    assert (row := await _view_row(harness, pupil_id)) is not None
    assert not row.stale
    cw.notifications = working
    assert await views.follow_message_statuses() == 1  # the same events, read once notifications answers
