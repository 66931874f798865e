"""Whole-school sessions through the bulk-marks API: the set-based tallies equal a recount of the marks, the
flags equal the status of that recount, crossings come and go one event at a time, and statutory thresholds
crossed in the same request each raise one event carrying the pupil's professionals."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from services.register.domain.figures import TALLY_FIELDS, PupilTally
from services.register.models import AttendanceMark, OutboxEvent, Pupil
from services.register.models import PupilTally as PupilTallyRow
from services.register.repository import tallies as repository_tallies
from services.register.service.tallies import status_of
from shared.contracts.register import RegisterEvent
from tests.services.register.conftest import SCHOOL_URN, RegisterHarness
from tests.services.register.outbox_rows import EVENTS_ONLY

pytestmark = pytest.mark.services

# More pupils than one chunk of the set-based statements, so a request spans two chunks.
PUPILS = repository_tallies.CHUNK + 40
FIRST_DAY = date(2026, 10, 5)  # a Monday; no calendar, so every weekday is a school day
SOCIAL_WORKER = {"name": "Helen Carter", "email": "h.carter@childrens.example.gov", "phone": "01632 960000"}
# Present, authorised (illness apart), unauthorised and not-yet-established: each moves different counters.
ABSENCE_CODES = ["I", "M", "C", "E", "O", "G", "U", "N"]
PAIRED = {"became_persistently_absent": "persistent_absence", "left_persistent_absence": "persistent_absence",
          "became_severely_absent": "severe_absence", "left_severe_absence": "severe_absence",
          "entered_at_risk": "at_risk", "left_at_risk": "at_risk"}


def weekdays(first: date, count: int) -> list[date]:
    days: list[date] = []
    day = first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


async def add_pupils(register: RegisterHarness, count: int) -> list[uuid.UUID]:
    """Pupils straight into the admission register (admitting hundreds through the API adds nothing here)."""
    ids = [uuid.uuid4() for _ in range(count)]
    async with register.factory() as session, session.begin():
        session.add_all(Pupil(id=pupil_id, school_urn=SCHOOL_URN, upn=register.next_upn(), legal_forename="Pupil",
                              legal_surname=str(i), date_of_birth=date(2016, 5, 4), sex="F", year_group="5",
                              address="1 Mill Lane", admission_date=date(2026, 9, 3))
                        for i, pupil_id in enumerate(ids))
    return ids


def code_for(rng: random.Random, kind: int, session_number: int) -> str:
    """Steady attenders, early absentees who come back, frequent absentees and the occasional absence."""
    if kind == 0:
        return "/"
    if kind == 1:
        return "O" if session_number < 6 else "/"
    if kind == 2:
        return rng.choice(ABSENCE_CODES) if rng.random() < 0.5 else "/"
    return rng.choice(ABSENCE_CODES) if rng.random() < 0.1 else "/"


async def post_session(register: RegisterHarness, day: date, session: str,
                       marks: list[dict[str, str]]) -> dict[str, Any]:
    response = await register.client.post(f"/api/v1/schools/{SCHOOL_URN}/sessions/{day.isoformat()}/{session}/marks",
                                          json={"marks": marks}, headers=register.officer())
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def stored(register: RegisterHarness) -> tuple[dict[uuid.UUID, PupilTallyRow], dict[uuid.UUID, list[str]],
                                                     list[OutboxEvent]]:
    async with register.factory() as session:
        tallies = {t.pupil_id: t for t in (await session.scalars(select(PupilTallyRow))).all()}
        codes: dict[uuid.UUID, list[str]] = defaultdict(list)
        for pupil_id, code in (await session.execute(select(AttendanceMark.pupil_id, AttendanceMark.code))).all():
            codes[pupil_id].append(code)
        events = list((await session.scalars(select(OutboxEvent).where(EVENTS_ONLY)
                                                      .order_by(OutboxEvent.sequence))).all())
    return tallies, codes, events


@pytest.mark.parametrize("returning", [True, False], ids=["returning", "read-back"])
async def test_whole_school_sessions_keep_tallies_equal_to_a_recount(
        register: RegisterHarness, returning: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    async with register.factory() as session:
        postgres = session.get_bind().dialect.name == "postgresql"
    if not returning:
        if postgres:
            pytest.skip("PostgreSQL always answers RETURNING; the read-back path is for SQLite before 3.35")
        monkeypatch.setattr(repository_tallies, "_SQLITE_RETURNING", False)
    pupils = await add_pupils(register, PUPILS)
    rngs = [random.Random(i) for i in range(PUPILS)]
    sessions = [(day, name) for day in weekdays(FIRST_DAY, 6) for name in ("AM", "PM")]
    last: list[dict[str, str]] = []
    for number, (day, name) in enumerate(sessions):
        last = [{"pupil_id": str(p), "code": code_for(rngs[i], i % 4, number)} for i, p in enumerate(pupils)]
        result = await post_session(register, day, name, last)
        assert (result["created"], result["unchanged"]) == (PUPILS, 0)

    tallies, codes, events = await stored(register)
    assert set(tallies) == set(pupils)
    flagged = 0
    for pupil_id in pupils:
        recount = PupilTally.from_codes(codes[pupil_id])
        tally = tallies[pupil_id]
        assert {f: getattr(tally, f) for f in TALLY_FIELDS} == recount.counts()
        status = status_of(recount.figures(), register.settings)
        assert (tally.persistent_absence, tally.severe_absence, tally.at_risk) == status
        flagged += any(status)
    assert flagged > PUPILS // 4  # the sessions did cross thresholds, both ways

    # Each status is entered and left one event at a time, ending where the flag stands.
    timeline: dict[tuple[uuid.UUID, str], list[str]] = defaultdict(list)
    for event in events:
        if event.event_type in PAIRED and event.pupil_id is not None:
            timeline[(event.pupil_id, PAIRED[event.event_type])].append(event.event_type)
    assert any(len(kinds) > 1 for kinds in timeline.values())
    for (pupil_id, flag), kinds in timeline.items():
        entering = [not k.startswith("left") for k in kinds]
        assert entering == [i % 2 == 0 for i in range(len(kinds))], (pupil_id, kinds)
        assert getattr(tallies[pupil_id], flag) == entering[-1]

    # The same request again creates nothing: no marks, counts, flags or events.
    repeat = await post_session(register, *sessions[-1], last)
    assert (repeat["created"], repeat["unchanged"]) == (0, PUPILS)
    again, _, events_again = await stored(register)
    assert len(events_again) == len(events)
    assert all({f: getattr(again[p], f) for f in (*TALLY_FIELDS, *repository_tallies.FLAGS)}
               == {f: getattr(tallies[p], f) for f in (*TALLY_FIELDS, *repository_tallies.FLAGS)} for p in pupils)

    # An amendment moves one pupil's counters by the difference between the codes, nothing else.
    steady = pupils[0]
    amended = await register.client.post(
        f"/api/v1/pupils/{steady}/marks/{sessions[-1][0].isoformat()}/PM/amendments", headers=register.officer(),
        json={"new_code": "M", "reason": "Medical appointment"})
    assert amended.status_code == 201, amended.text
    after, codes_after, _ = await stored(register)
    recount = PupilTally.from_codes(codes_after[steady])
    assert {f: getattr(after[steady], f) for f in TALLY_FIELDS} == recount.counts()
    assert (after[steady].attended, after[steady].authorised) == (tallies[steady].attended - 1, 1)
    assert all(getattr(after[p], f) == getattr(tallies[p], f) for p in pupils[1:] for f in TALLY_FIELDS)


async def test_thresholds_crossed_in_one_request_raise_one_event_each(register: RegisterHarness) -> None:
    with_worker = (await register.admit(social_worker=SOCIAL_WORKER))["id"]
    without = (await register.admit())["id"]
    steady = (await register.admit())["id"]
    days = weekdays(date(2026, 11, 2), 6)
    # Five days of unauthorised absence: the tenth session meets the penalty-notice threshold for both truants.
    for number, (day, name) in enumerate((d, n) for d in days for n in ("AM", "PM")):
        marks = [{"pupil_id": with_worker, "code": "O"}, {"pupil_id": without, "code": "G"},
                 {"pupil_id": steady, "code": "/"}]
        await post_session(register, day, name, marks)
        _, _, events = await stored(register)
        met = [e for e in events if e.event_type == "penalty_threshold_met"]
        assert len(met) == (0 if number < 9 else 2)

    tallies, _, events = await stored(register)
    first_met = {str(e.pupil_id): RegisterEvent.model_validate(e.payload) for e in events
                 if e.event_type == "penalty_threshold_met"}
    assert first_met[with_worker].pupil.flags.has_social_worker
    assert not first_met[without].pupil.flags.has_social_worker
    assert first_met[without].details["unauthorised_sessions"] == 10  # as counted when first met
    assert first_met[with_worker].session_date == days[4]
    assert [tallies[uuid.UUID(p)].penalty_threshold_met for p in (with_worker, without, steady)] == [True, True, False]
    assert [e.event_type for e in events if str(e.pupil_id) == steady] == ["pupil_admitted"]
