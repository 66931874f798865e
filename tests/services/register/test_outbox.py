"""Events through the transactional outbox, and the relay that delivers them to casework."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import date

import pytest
from sqlalchemy import func, select

from services.register.dependencies import today
from services.register.main import create_app
from services.register.models import AttendanceMark, OutboxEvent
from services.register.service import events as events_module
from services.register.service.events import REGISTER_CHANGE
from services.register.service.outbox import OutboxRelay, backoff_seconds
from services.register.settings import RegisterSettings
from shared.clients.casework import CaseworkClient
from shared.contracts.register import MAX_CHANGED_PUPILS, RegisterChange, RegisterChangeKind, RegisterEvent
from tests.services.register.conftest import SCHOOL_URN, TODAY, RegisterHarness, add_school
from tests.services.register.fake_casework import FakeCasework
from tests.services.register.outbox_rows import EVENTS_ONLY

pytestmark = pytest.mark.services

MONDAY = date(2026, 11, 16)
SOCIAL_WORKER = {"name": "Helen Carter", "email": "h.carter@childrens.example.gov", "phone": "01632 960000"}


async def outbox(register: RegisterHarness) -> list[OutboxEvent]:
    async with register.factory() as session:
        return list((await session.scalars(select(OutboxEvent).where(EVENTS_ONLY)
                                            .order_by(OutboxEvent.sequence))).all())


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)


async def test_n_for_a_pupil_with_a_social_worker_writes_one_event(register: RegisterHarness) -> None:
    flagged = await register.admit(social_worker=SOCIAL_WORKER)
    plain = await register.admit()
    looked_after = await register.admit(characteristics={"looked_after": True})
    url = f"/api/v1/schools/{SCHOOL_URN}/sessions/{MONDAY}/AM/marks"
    body = {"marks": [{"pupil_id": p["id"], "code": "N"} for p in (flagged, plain, looked_after)]}
    assert (await register.client.post(url, json=body, headers=register.officer())).status_code == 200
    # Repeating the same request writes no second event.
    assert (await register.client.post(url, json=body, headers=register.officer())).status_code == 200
    absences = [e for e in await outbox(register) if e.event_type == "unexplained_absence"]
    assert sorted(str(e.pupil_id) for e in absences) == sorted([flagged["id"], looked_after["id"]])
    event = RegisterEvent.model_validate(next(e for e in absences if str(e.pupil_id) == flagged["id"]).payload)
    assert event.event_id == next(e.id for e in absences if str(e.pupil_id) == flagged["id"])
    assert (event.session_date, event.session, event.code) == (MONDAY, "AM", "N")
    assert event.pupil.flags.has_social_worker
    assert event.pupil.school_urn == SCHOOL_URN
    assert event.pupil.display_name == "Amelia Stone"


async def test_written_marks_and_amendments_tell_casework_which_case_views_to_rebuild(
        register: RegisterHarness) -> None:
    first, second = await register.admit(), await register.admit()
    url = f"/api/v1/schools/{SCHOOL_URN}/sessions/{MONDAY}/AM/marks"
    body = {"marks": [{"pupil_id": p["id"], "code": "/"} for p in (first, second)]}
    assert (await register.client.post(url, json=body, headers=register.officer())).status_code == 200
    # The same request again writes nothing, so tells nothing.
    assert (await register.client.post(url, json=body, headers=register.officer())).status_code == 200
    amended = await register.client.post(
        f"/api/v1/pupils/{second['id']}/marks/{MONDAY}/AM/amendments", headers=register.officer(),
        json={"new_code": "I", "reason": "Parent phoned: ill"})
    assert amended.status_code == 201, amended.text
    async with register.factory() as session:
        rows = (await session.scalars(select(OutboxEvent).where(OutboxEvent.event_type == REGISTER_CHANGE)
                                      .order_by(OutboxEvent.sequence))).all()
    changes = [RegisterChange.model_validate(r.payload) for r in rows]
    assert [(c.kind, sorted(map(str, c.pupil_ids))) for c in changes] == [
        (RegisterChangeKind.MARKS, sorted([first["id"], second["id"]])), (RegisterChangeKind.MARKS, [second["id"]])]
    assert {c.school_urn for c in changes} == {SCHOOL_URN}
    assert [r.id for r in rows] == [c.change_id for c in changes]
    assert all(r.pupil_id is None for r in rows)  # ids only, in the payload: no pupil details


async def test_the_event_and_the_mark_share_one_transaction(register: RegisterHarness,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    flagged = await register.admit(social_worker=SOCIAL_WORKER)
    before = len(await outbox(register))
    original = events_module.emit

    def emit_then_fail(*args: object, **kwargs: object) -> object:
        original(*args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("crash between the event and the commit")

    monkeypatch.setattr(events_module, "emit", emit_then_fail)
    with pytest.raises(RuntimeError):
        await register.mark(flagged["id"], "N", MONDAY)
    assert len(await outbox(register)) == before
    async with register.factory() as session:
        assert await session.scalar(select(func.count()).select_from(AttendanceMark)) == 0


async def test_relay_keeps_events_while_casework_is_down_or_failing(register_settings: RegisterSettings) -> None:
    fake = FakeCasework()
    settings = register_settings.model_copy(update={
        "outbox_relay_enabled": True, "outbox_poll_interval_seconds": 0.05, "outbox_max_backoff_seconds": 0.2,
        "platform": register_settings.platform.model_copy(update={"casework_url": fake.url})})
    app = create_app(settings)
    app.dependency_overrides[today] = lambda: TODAY
    import httpx

    async with app.router.lifespan_context(app):
        await add_school(app.state.session_factory, SCHOOL_URN)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            harness = RegisterHarness(app, client, settings, settings.platform)
            pupil = await harness.admit(social_worker=SOCIAL_WORKER)
            assert (await harness.mark(pupil["id"], "N", MONDAY)).status_code == 200

            async def tried_and_kept() -> bool:
                rows = await outbox(harness)
                return len(rows) == 2 and rows[0].attempts >= 2 and all(r.delivered_at is None for r in rows)

            await eventually(tried_and_kept)  # casework is down: nothing listens on its port
            assert (await outbox(harness))[0].last_error == "unreachable"

            fake.failing = True
            await fake.start()
            try:
                async def refused() -> bool:
                    return fake.refused >= 2

                await eventually(refused)
                assert all(r.delivered_at is None for r in await outbox(harness))
                fake.failing = False

                async def delivered() -> bool:
                    return all(r.delivered_at is not None for r in await outbox(harness))

                await eventually(delivered)
                await asyncio.sleep(0.3)  # give a wrong relay the chance to send again
            finally:
                await fake.stop()
    rows = await outbox(harness)
    assert [a["event_id"] for a in fake.accepted] == [str(r.id) for r in rows]  # once each, in order
    assert [a["event_type"] for a in fake.accepted] == ["pupil_admitted", "unexplained_absence"]
    assert [c["kind"] for c in fake.changes] == ["marks"]  # the mark's case view to rebuild, through the same relay


async def test_two_relays_deliver_each_event_once(register: RegisterHarness) -> None:
    for _ in range(6):
        pupil = await register.admit(social_worker=SOCIAL_WORKER)
        assert (await register.mark(pupil["id"], "N", MONDAY)).status_code == 200
    fake = FakeCasework()
    await fake.start()
    client_a = CaseworkClient(fake.url, "unused-token")
    client_b = CaseworkClient(fake.url, "unused-token")
    relays = [OutboxRelay(register.factory, client_a, batch_size=5),
              OutboxRelay(register.factory, client_b, batch_size=5)]
    try:
        for _ in range(20):
            await asyncio.gather(*(r.run_once() for r in relays), return_exceptions=True)
            if all(r.delivered_at is not None for r in await outbox(register)):
                break
    finally:
        await client_a.aclose()
        await client_b.aclose()
        await fake.stop()
    rows = await outbox(register)
    assert all(r.delivered_at is not None for r in rows)
    assert sorted(a["event_id"] for a in fake.accepted) == sorted(str(r.id) for r in rows)
    assert len(fake.accepted) == len(rows) == 12


def test_backoff_grows_and_is_capped() -> None:
    assert [backoff_seconds(n, 30) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 4.0]
    assert backoff_seconds(20, 30) == 30


def test_a_change_of_more_pupils_than_one_change_holds_is_written_in_parts() -> None:
    written: list[OutboxEvent] = []

    class Db:
        info: dict[str, object] = {}

        def add(self, row: OutboxEvent) -> None:
            written.append(row)

    pupils = [uuid.uuid4() for _ in range(MAX_CHANGED_PUPILS + 1)]
    events_module.emit_change(Db(), RegisterChangeKind.MARKS, SCHOOL_URN, pupils)  # type: ignore[arg-type]
    changes = [RegisterChange.model_validate(row.payload) for row in written]
    assert [len(c.pupil_ids) for c in changes] == [MAX_CHANGED_PUPILS, 1]
    assert [p for c in changes for p in c.pupil_ids] == pupils
    events_module.emit_change(Db(), RegisterChangeKind.SCHOOL, SCHOOL_URN)  # type: ignore[arg-type]
    assert RegisterChange.model_validate(written[-1].payload).pupil_ids == []
