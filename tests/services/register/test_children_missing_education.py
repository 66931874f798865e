"""Register's triggers for children missing education (issue 18 item 3): a new pupil who did not arrive on the agreed
start day (`did_not_arrive`), and a deletion's destination (no known destination: "unknown", 9(1)(h), 9(1)(i))."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from services.register.models import OutboxEvent
from tests.services.register.conftest import RegisterHarness
from tests.services.register.test_school_rules import event_types, mark_days, school_days, set_calendar

pytestmark = pytest.mark.services

MONDAY = date(2026, 11, 16)
TUESDAY = date(2026, 11, 17)
SATURDAY = date(2026, 11, 14)


async def _events(register: RegisterHarness, pupil_id: str, event_type: str) -> list[dict[str, Any]]:
    async with register.factory() as session:
        rows = (await session.scalars(select(OutboxEvent).where(OutboxEvent.pupil_id == uuid.UUID(pupil_id))
                                      .order_by(OutboxEvent.sequence))).all()
    return [r.payload for r in rows if r.event_type == event_type]


async def _mark(register: RegisterHarness, pupil_id: str, code: str, day: date, session: str) -> None:
    response = await register.mark(pupil_id, code, day, session)
    assert response.status_code == 200, response.text


async def test_a_new_pupil_absent_all_of_the_start_day_did_not_arrive(register: RegisterHarness) -> None:
    await set_calendar(register)
    pupil = await register.admit(admission_date=MONDAY.isoformat())
    await _mark(register, pupil["id"], "N", MONDAY, "AM")
    assert await _events(register, pupil["id"], "did_not_arrive") == []  # the day is not over
    await _mark(register, pupil["id"], "O", MONDAY, "PM")
    reported = await _events(register, pupil["id"], "did_not_arrive")
    assert len(reported) == 1
    assert reported[0]["session_date"] == MONDAY.isoformat()
    assert reported[0]["details"] == {"admission_date": MONDAY.isoformat(), "start_date": MONDAY.isoformat(),
                                      "codes": ["N", "O"]}
    # Later days absent are the continuous-absence rule's business, not a second non-arrival.
    await mark_days(register, pupil["id"], "N", [TUESDAY])
    assert (await event_types(register, pupil["id"]))["did_not_arrive"] == 1


async def test_the_start_day_is_the_first_school_day_on_roll(register: RegisterHarness) -> None:
    await set_calendar(register)
    pupil = await register.admit(admission_date=SATURDAY.isoformat())
    await mark_days(register, pupil["id"], "G", [MONDAY])
    assert [e["details"]["start_date"] for e in await _events(register, pupil["id"], "did_not_arrive")] == [
        MONDAY.isoformat()]


async def test_a_pupil_who_came_or_whose_absence_is_explained_arrived(register: RegisterHarness) -> None:
    await set_calendar(register)
    came_late = await register.admit(admission_date=MONDAY.isoformat())
    ill = await register.admit(admission_date=MONDAY.isoformat())
    settled = await register.admit()  # admitted in September: Monday is no start day
    await _mark(register, came_late["id"], "N", MONDAY, "AM")
    await _mark(register, came_late["id"], "/", MONDAY, "PM")
    await mark_days(register, ill["id"], "I", [MONDAY])
    await mark_days(register, settled["id"], "N", [MONDAY])
    for pupil in (came_late, ill, settled):
        assert await _events(register, pupil["id"], "did_not_arrive") == []


async def _delete(register: RegisterHarness, pupil_id: str, **body: Any) -> Any:
    return await register.client.post(f"/api/v1/pupils/{pupil_id}/deletions", headers=register.officer(),
                                      json={"deletion_date": "2026-11-27", **body})


async def test_a_deletion_records_its_destination_and_whether_it_is_known(register: RegisterHarness) -> None:
    await set_calendar(register)
    moved, gone, absent = await register.admit(), await register.admit(), await register.admit()
    details = "The family moved out of the county; the parents gave the new address on 18 Nov"
    blank = await _delete(register, moved["id"], ground="9(1)(g)", details=details, destination="  ")
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["field"] == "destination"
    known = await _delete(register, moved["id"], ground="9(1)(g)", details=details,
                          destination="Southshire Academy (URN 100009)")
    assert known.status_code == 201, known.text
    assert (known.json()["destination"], known.json()["destination_known"]) == ("Southshire Academy (URN 100009)",
                                                                               True)
    unknown = await _delete(register, gone["id"], ground="9(1)(g)", details=details, destination="Unknown")
    assert (unknown.json()["destination"], unknown.json()["destination_known"]) == ("unknown", False)
    await mark_days(register, absent["id"], "O", school_days(date(2026, 10, 16), date(2026, 11, 20)))
    not_located = await _delete(register, absent["id"], ground="9(1)(i)", destination="Southshire Academy",
                                details="Not seen since 16 October; joint enquiries with the LA failed")
    assert not_located.status_code == 201, not_located.text
    assert not_located.json()["destination_known"] is False
    pending = {p: (await _events(register, p, "pending_deletion"))[0]["details"]
               for p in (moved["id"], gone["id"], absent["id"])}
    assert pending[moved["id"]]["destination_known"] is True
    assert (pending[gone["id"]]["destination"], pending[gone["id"]]["destination_known"]) == ("unknown", False)
    assert pending[absent["id"]]["destination_known"] is False
