"""Register's events: stored once, the journey signalled every time, 503 while Temporal is away."""

from __future__ import annotations

from uuid import UUID, uuid4

import httpx
import pytest
from sqlalchemy import func, select

from services.casework.main import create_app
from services.casework.models import CaseFile, ReceivedEvent, TimelineEntry
from services.casework.service.journeys import Journeys
from shared.auth import Role
from shared.db import create_engine
from shared.settings import PlatformSettings
from tests.services.casework.conftest import Harness, casework_settings, register_event
from tests.support.databases import DatabaseFactory
from tests.support.identities import bearer, token_for
from tests.support.net import free_port

pytestmark = pytest.mark.services


async def _count(url: str, model: type[ReceivedEvent] | type[TimelineEntry] | type[CaseFile],
                 pupil_id: UUID) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return int((await conn.execute(
                select(func.count()).select_from(model).where(model.pupil_id == pupil_id))).scalar_one())
    finally:
        await engine.dispose()


async def test_event_is_stored_once_and_signalled_every_time(harness: Harness) -> None:
    event = register_event()
    pupil_id = UUID(event["pupil"]["pupil_id"])

    first = await harness.http.post("/internal/events", json=event, headers=harness.service())
    again = await harness.http.post("/internal/events", json=event, headers=harness.service())

    assert first.status_code == 200, first.text
    assert first.json() == {"event_id": event["event_id"], "duplicate": False,
                            "workflow_id": f"journey-{pupil_id}"}
    assert again.status_code == 200
    assert again.json()["duplicate"] is True
    assert await harness.fact_ids(pupil_id) == [event["event_id"]]
    assert await _count(harness.database_url, ReceivedEvent, pupil_id) == 1
    assert await _count(harness.database_url, TimelineEntry, pupil_id) == 1
    assert await _count(harness.database_url, CaseFile, pupil_id) == 1


async def test_the_journey_hears_which_session_the_absence_was(harness: Harness) -> None:
    """The session and its date reach the journey, which puts them in the social worker's alert (returns' compliance
    view matches alerts to N sessions by them)."""
    morning = register_event()
    pupil_id = UUID(morning["pupil"]["pupil_id"])
    afternoon = register_event(pupil_id) | {"session": "PM"}
    for event in (morning, afternoon):
        response = await harness.http.post("/internal/events", json=event, headers=harness.service())
        assert response.status_code == 200, response.text
    day = morning["session_date"]
    assert await harness.fact_sessions(pupil_id) == [f"{day} AM", f"{day} PM"]


async def test_a_second_event_reaches_the_same_journey(harness: Harness) -> None:
    first = register_event()
    pupil_id = UUID(first["pupil"]["pupil_id"])
    second = register_event(pupil_id, event_type="became_persistently_absent")
    for event in (first, second):
        response = await harness.http.post("/internal/events", json=event, headers=harness.service())
        assert response.status_code == 200, response.text
    assert await harness.fact_ids(pupil_id) == [first["event_id"], second["event_id"]]
    assert await _count(harness.database_url, TimelineEntry, pupil_id) == 2


async def test_events_endpoint_is_for_services_only(harness: Harness) -> None:
    officer = bearer(token_for(harness.platform, Role.LA_EWO, la_code="999"))
    response = await harness.http.post("/internal/events", json=register_event(), headers=officer)
    assert response.status_code == 403
    assert (await harness.http.post("/internal/events", json=register_event())).status_code == 401


async def test_bad_event_is_a_problem_naming_the_field(harness: Harness) -> None:
    event = register_event()
    event["event_type"] = "not_a_type"
    response = await harness.http.post("/internal/events", json=event, headers=harness.service())
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "event_type"


async def test_unreachable_temporal_answers_503_and_redelivery_signals(
        harness: Harness, databases: DatabaseFactory, platform_settings: PlatformSettings) -> None:
    """Stored but not signalled while Temporal is away; the relay's retry then signals it."""
    url = databases.create("casework_down")
    platform = platform_settings.model_copy(update={"temporal_address": f"127.0.0.1:{free_port()}"})
    down = create_app(casework_settings(url, platform), journeys=Journeys(
        platform.temporal_address, "default", retry_seconds=60))
    event = register_event()
    pupil_id = UUID(event["pupil"]["pupil_id"])
    async with down.router.lifespan_context(down), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=down), base_url="http://test") as http:
        response = await http.post("/internal/events", json=event, headers=harness.service())
        health = await http.get("/healthz")
    assert response.status_code == 503
    assert response.json()["type"] == "/problems/JourneyUnavailable"
    assert health.status_code == 503
    assert health.json()["checks"] == {"database": "ok", "temporal": "unavailable"}
    assert await _count(url, ReceivedEvent, pupil_id) == 1

    # The same database, now with Temporal reachable: the re-delivery is a duplicate and is signalled.
    task_queue_app = create_app(casework_settings(url, platform_settings),
                                journeys=harness.app.state.casework.journeys)
    async with task_queue_app.router.lifespan_context(task_queue_app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=task_queue_app), base_url="http://test") as http:
        retried = await http.post("/internal/events", json=event, headers=harness.service())
    assert retried.status_code == 200, retried.text
    assert retried.json()["duplicate"] is True
    assert await harness.fact_ids(pupil_id) == [event["event_id"]]


async def test_healthz_reports_database_and_temporal(harness: Harness) -> None:
    response = await harness.http.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "temporal": "ok"}


async def test_event_ids_are_unique_per_event_not_per_pupil(harness: Harness) -> None:
    pupil_id = uuid4()
    for _ in range(3):
        response = await harness.http.post("/internal/events", json=register_event(pupil_id),
                                           headers=harness.service())
        assert response.json()["duplicate"] is False
    assert len(await harness.fact_ids(pupil_id)) == 3
