"""GET /internal/schools/{urn}/n-marks: every session that carried N, whether it was replaced within 5 school
days (the school's calendar: half-term and a training day are not school days), and the same-day alert."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import event

from services.register.dependencies import today
from services.register.service import events as register_events
from services.register.service import marks as register_marks
from shared.auth import Role
from shared.clients.register_extract import RegisterExtractClient
from shared.contracts.register import NMarkRecord, NResolutionOutcome
from tests.services.register.conftest import LA_CODE, OTHER_URN, SCHOOL_URN, RegisterHarness
from tests.services.register.test_outbox import SOCIAL_WORKER
from tests.services.register.test_school_rules import set_calendar
from tests.support.identities import bearer, token_for

pytestmark = pytest.mark.services

URL = f"/internal/schools/{SCHOOL_URN}/n-marks"
FROM, TO = date(2026, 10, 12), date(2026, 11, 19)
OUTCOME = NResolutionOutcome


class Clock:
    """The register's wall clock, set by each test before it records or amends a mark."""

    def __init__(self) -> None:
        self.current = datetime(2026, 9, 3, 8, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def at(self, iso: str) -> None:
        self.current = at(iso)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    # Marks, amendments and outbox events are stamped with the utcnow each module imported.
    monkeypatch.setattr(register_marks, "utcnow", clock.now)
    monkeypatch.setattr(register_events, "utcnow", clock.now)
    return clock


def at(iso: str) -> datetime:
    return datetime.fromisoformat(iso).astimezone(UTC)


async def mark(register: RegisterHarness, clock: Clock, pupil: dict[str, Any], code: str, day: str, when: str,
               session: str = "AM", urn: str = SCHOOL_URN) -> None:
    clock.at(when)
    response = await register.mark(pupil["id"], code, date.fromisoformat(day), session, urn=urn)
    assert response.status_code == 200, response.text


async def amend(register: RegisterHarness, clock: Clock, pupil: dict[str, Any], day: str, code: str, when: str,
                session: str = "AM") -> None:
    clock.at(when)
    response = await register.client.post(f"/api/v1/pupils/{pupil['id']}/marks/{day}/{session}/amendments",
                                          json={"new_code": code, "reason": "Reason established by the office"},
                                          headers=register.officer())
    assert response.status_code == 201, response.text


async def n_marks(register: RegisterHarness, urn: str = SCHOOL_URN, from_date: date = FROM,
                  to_date: date = TO) -> list[NMarkRecord]:
    """Through returns' own client, so the contract is checked at both ends."""
    token = register.service("returns")["Authorization"].removeprefix("Bearer ")
    client = RegisterExtractClient("http://test", token, transport=httpx.ASGITransport(app=register.app))
    try:
        return await client.n_marks(urn, from_date, to_date)
    finally:
        await client.aclose()


def by_pupil(records: list[NMarkRecord]) -> dict[str, NMarkRecord]:
    found = {str(r.pupil_id): r for r in records}
    assert len(found) == len(records), "one record per session, and these pupils have one N session each"
    return found


async def test_outcomes_against_five_school_days(register: RegisterHarness, clock: Clock) -> None:
    await set_calendar(register)  # half-term 26-30 Oct, training day Fri 13 Nov; today is Fri 20 Nov
    over_half_term, late_after_half_term = await register.admit(), await register.admit()
    london_late, london_in_time = await register.admit(), await register.admit()
    open_in_time, overdue = await register.admit(), await register.admit()
    # Wed 21 Oct + 5 school days = Wed 4 Nov (22, 23 Oct, 2, 3, 4 Nov). Counting calendar days (26 Oct) or
    # weekdays (28 Oct) would make the 3 Nov replacement late.
    await mark(register, clock, over_half_term, "N", "2026-10-21", "2026-10-21T09:05+01:00")
    await amend(register, clock, over_half_term, "2026-10-21", "I", "2026-11-03T10:00Z")
    # Thu 22 Oct: 23 Oct, 2, 3, 4, 5 Nov; replaced on the Friday after.
    await mark(register, clock, late_after_half_term, "N", "2026-10-22", "2026-10-22T09:05+01:00")
    await amend(register, clock, late_after_half_term, "2026-10-22", "O", "2026-11-06T09:00Z")
    # Mon 12 Oct: due Mon 19 Oct. Both are replaced on 19 Oct by UTC, but one after midnight in England (BST).
    await mark(register, clock, london_late, "N", "2026-10-12", "2026-10-12T09:05+01:00")
    await mark(register, clock, london_in_time, "N", "2026-10-12", "2026-10-12T09:05+01:00")
    await amend(register, clock, london_late, "2026-10-12", "M", "2026-10-19T23:30Z")
    await amend(register, clock, london_in_time, "2026-10-12", "M", "2026-10-19T22:30Z")
    # Thu 19 Nov: due Thu 26 Nov; Wed 11 Nov: due Thu 19 Nov (13 Nov is a training day), so overdue today.
    await mark(register, clock, open_in_time, "N", "2026-11-19", "2026-11-19T09:05Z")
    await mark(register, clock, overdue, "N", "2026-11-11", "2026-11-11T09:05Z")

    records = by_pupil(await n_marks(register))

    expected = {  # pupil: (session, resolve by, outcome, resolved code, resolved at)
        over_half_term["id"]: ("2026-10-21", "2026-11-04", OUTCOME.RESOLVED_IN_TIME, "I", "2026-11-03T10:00Z"),
        late_after_half_term["id"]: ("2026-10-22", "2026-11-05", OUTCOME.RESOLVED_LATE, "O", "2026-11-06T09:00Z"),
        london_late["id"]: ("2026-10-12", "2026-10-19", OUTCOME.RESOLVED_LATE, "M", "2026-10-19T23:30Z"),
        london_in_time["id"]: ("2026-10-12", "2026-10-19", OUTCOME.RESOLVED_IN_TIME, "M", "2026-10-19T22:30Z"),
        open_in_time["id"]: ("2026-11-19", "2026-11-26", OUTCOME.OPEN_IN_TIME, None, None),
        overdue["id"]: ("2026-11-11", "2026-11-19", OUTCOME.OPEN_OVERDUE, None, None),
    }
    assert {p: (r.session_date.isoformat(), r.resolve_by.isoformat(), r.outcome, r.resolved_code,
                r.resolved_at) for p, r in records.items()} == {
        p: (day, due, outcome, code, at(when) if when else None) for p, (day, due, outcome, code, when)
        in expected.items()}
    assert records[over_half_term["id"]].recorded_at == at("2026-10-21T08:05Z")
    assert records[over_half_term["id"]].current_code == "I"
    assert records[overdue["id"]].current_code == "N"
    assert all(r.same_day_alert_raised_at is None and r.same_day_recipients == [] for r in records.values())

    # The deadline is the one the school's own follow-up list uses.
    unresolved = (await register.client.get(f"/api/v1/schools/{SCHOOL_URN}/unresolved-n",
                                            headers=register.officer())).json()
    assert [(r["pupil_id"], r["resolve_by"]) for r in unresolved] == [(overdue["id"], "2026-11-19")]


async def test_amended_to_n_and_same_day_alerts(register: RegisterHarness, clock: Clock) -> None:
    await set_calendar(register)
    amended_to_n = await register.admit()
    allocated = await register.admit(social_worker=SOCIAL_WORKER, characteristics={"looked_after": True})
    allocated_amended = await register.admit(social_worker=SOCIAL_WORKER)
    nobody_to_tell = await register.admit()
    # Marked absent for other reasons, then found to be unexplained: N from the amendment.
    await mark(register, clock, amended_to_n, "O", "2026-11-17", "2026-11-17T08:55Z")
    await amend(register, clock, amended_to_n, "2026-11-17", "N", "2026-11-17T14:00Z")
    # A pupil with a social worker who is looked after: the N raises the unexplained-absence event at once.
    await mark(register, clock, allocated, "N", "2026-11-16", "2026-11-16T08:50Z")
    await amend(register, clock, allocated, "2026-11-16", "I", "2026-11-17T10:00Z")
    # Marked present in error, amended to N later that morning: the amendment raises the event too.
    await mark(register, clock, allocated_amended, "/", "2026-11-18", "2026-11-18T08:45Z")
    await amend(register, clock, allocated_amended, "2026-11-18", "N", "2026-11-18T10:30Z")
    await mark(register, clock, nobody_to_tell, "N", "2026-11-16", "2026-11-16T08:50Z")

    records = by_pupil(await n_marks(register))

    assert set(records) == {amended_to_n["id"], allocated["id"], allocated_amended["id"], nobody_to_tell["id"]}
    became_n = records[amended_to_n["id"]]
    assert (became_n.recorded_at, became_n.current_code, became_n.resolve_by, became_n.outcome) == (
        at("2026-11-17T14:00Z"), "N", date(2026, 11, 24), OUTCOME.OPEN_IN_TIME)
    assert became_n.same_day_alert_raised_at is None
    told = records[allocated["id"]]
    assert told.same_day_alert_raised_at == at("2026-11-16T08:50Z")
    assert told.same_day_recipients == ["social_worker", "virtual_school_head"]
    assert (told.outcome, told.resolved_code) == (OUTCOME.RESOLVED_IN_TIME, "I")
    told_late = records[allocated_amended["id"]]
    assert (told_late.recorded_at, told_late.same_day_alert_raised_at) == (at("2026-11-18T10:30Z"),
                                                                           at("2026-11-18T10:30Z"))
    assert told_late.same_day_recipients == ["social_worker"]
    untold = records[nobody_to_tell["id"]]
    assert (untold.same_day_alert_raised_at, untold.same_day_recipients) == (None, [])
    assert untold.outcome is OUTCOME.OPEN_IN_TIME


async def test_latest_spell_as_n_counts(register: RegisterHarness, clock: Clock) -> None:
    await set_calendar(register)
    pupil = await register.admit(social_worker=SOCIAL_WORKER)
    await mark(register, clock, pupil, "N", "2026-11-02", "2026-11-02T08:50Z")
    await amend(register, clock, pupil, "2026-11-02", "O", "2026-11-03T09:00Z")
    await amend(register, clock, pupil, "2026-11-02", "N", "2026-11-10T09:00Z")

    [record] = await n_marks(register)

    # Put back to N after the deadline (Mon 9 Nov) and still N: the reason is not established.
    assert (record.recorded_at, record.resolved_at, record.resolved_code, record.resolve_by, record.outcome) == (
        at("2026-11-10T09:00Z"), None, None, date(2026, 11, 9), OUTCOME.OPEN_OVERDUE)
    # Both spells raised the event; the record carries the one for its own spell.
    assert record.same_day_alert_raised_at == at("2026-11-10T09:00Z")


async def test_only_this_schools_sessions_in_the_range(register: RegisterHarness, clock: Clock) -> None:
    await set_calendar(register)
    pupil, present = await register.admit(), await register.admit()
    elsewhere = await register.admit(urn=OTHER_URN)
    for day in ("2026-10-09", "2026-10-12", "2026-11-19", "2026-11-20"):
        await mark(register, clock, pupil, "N", day, f"{day}T09:00Z")
    await mark(register, clock, pupil, "N", "2026-11-19", "2026-11-19T13:30Z", session="PM")
    await mark(register, clock, present, "/", "2026-11-19", "2026-11-19T09:00Z")
    await mark(register, clock, present, "O", "2026-11-18", "2026-11-18T09:00Z")
    await mark(register, clock, elsewhere, "N", "2026-11-12", "2026-11-12T09:00Z", urn=OTHER_URN)

    records = await n_marks(register)

    assert [(str(r.pupil_id), r.session_date.isoformat(), r.session.value) for r in records] == [
        (pupil["id"], "2026-10-12", "AM"), (pupil["id"], "2026-11-19", "AM"), (pupil["id"], "2026-11-19", "PM")]
    # The other school has no calendar: every weekday counts (Thu 12 Nov: 13, 16, 17, 18, 19 Nov).
    [other] = await n_marks(register, urn=OTHER_URN)
    assert (str(other.pupil_id), other.resolve_by, other.outcome) == (
        elsewhere["id"], date(2026, 11, 19), OUTCOME.OPEN_OVERDUE)


async def test_calendar_that_stops_short_counts_on_in_weekdays(register: RegisterHarness, clock: Clock) -> None:
    await set_calendar(register)  # the autumn term only, ending Fri 18 Dec; the spring term not entered yet
    register.app.dependency_overrides[today] = lambda: date(2026, 12, 16)
    pupil = await register.admit()
    await mark(register, clock, pupil, "N", "2026-12-16", "2026-12-16T09:00Z")

    # 17, 18 Dec from the calendar, then Mon 21 to Wed 23 Dec as weekdays, however far the range reaches
    # (the school year after, which has no calendar either, must not lend its August weekdays).
    for to_date in (date(2026, 12, 18), date(2027, 7, 31)):
        [record] = await n_marks(register, from_date=date(2026, 12, 1), to_date=to_date)
        assert (record.resolve_by, record.outcome) == (date(2026, 12, 23), OUTCOME.OPEN_IN_TIME), to_date


async def test_queries_do_not_grow_with_the_marks(register: RegisterHarness, clock: Clock) -> None:
    await set_calendar(register)
    pupils = [await register.admit(social_worker=SOCIAL_WORKER) for _ in range(6)]
    await mark(register, clock, pupils[0], "N", "2026-11-16", "2026-11-16T09:00Z")
    with statements_run(register) as few:
        assert len(await n_marks(register)) == 1
    for pupil in pupils:
        for day in ("2026-11-17", "2026-11-18"):
            await mark(register, clock, pupil, "N", day, f"{day}T09:00Z")
        await amend(register, clock, pupil, "2026-11-17", "I", "2026-11-18T12:00Z")
    with statements_run(register) as many:
        assert len(await n_marks(register)) == 13
    assert len(many) == len(few)


@contextmanager
def statements_run(register: RegisterHarness) -> Iterator[list[str]]:
    """The SQL statements the register's engine runs inside the block."""
    engine = register.app.state.engine.sync_engine
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def test_unknown_school_and_bad_ranges(register: RegisterHarness) -> None:
    headers = register.service("returns")
    missing = await register.client.get("/internal/schools/999999/n-marks",
                                        params={"from": "2026-10-01", "to": "2026-11-20"}, headers=headers)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    for params, field in (({"from": "2026-11-20", "to": "2026-11-19"}, "to"),
                          ({"from": "2025-11-20", "to": "2026-11-21"}, "to"),  # 367 days
                          ({"to": "2026-11-20"}, "from"),
                          ({"from": "2026-11-31", "to": "2026-12-01"}, "from")):
        response = await register.client.get(URL, params=params, headers=headers)
        assert response.status_code == 422, params
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in response.json()["errors"]] == [field], params
    a_year = await register.client.get(URL, params={"from": "2025-11-20", "to": "2026-11-20"}, headers=headers)
    assert (a_year.status_code, a_year.json()) == (200, [])


async def test_services_only(register: RegisterHarness) -> None:
    params = {"from": "2026-10-01", "to": "2026-11-20"}
    ewo = bearer(token_for(register.platform, Role.LA_EWO, la_code=LA_CODE))
    assert (await register.client.get(URL, params=params)).status_code == 401
    assert (await register.client.get(URL, params=params, headers=register.officer())).status_code == 403
    assert (await register.client.get(URL, params=params, headers=ewo)).status_code == 403
