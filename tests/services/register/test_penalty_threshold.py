"""The penalty-notice threshold follows the register both ways (an amendment that takes the rolling count back
under it is reported once), and its window spans the pupil's earlier schools in the LA, each week on the calendar
of the school the pupil was at (rules.md s11)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from services.register.models import OutboxEvent, Pupil
from shared.contracts.register import RegisterEvent
from tests.services.register.conftest import OTHER_URN, SCHOOL_URN, RegisterHarness, add_school
from tests.services.register.outbox_rows import EVENTS_ONLY
from tests.services.register.test_n_marks import statements_run
from tests.services.register.test_school_rules import set_calendar

pytestmark = pytest.mark.services

MET, NO_LONGER_MET = "penalty_threshold_met", "penalty_threshold_no_longer_met"
WEEK = [date(2026, 11, 2), date(2026, 11, 3), date(2026, 11, 4), date(2026, 11, 5), date(2026, 11, 6)]


async def penalty_events(register: RegisterHarness, pupil_id: str) -> list[RegisterEvent]:
    async with register.factory() as session:
        rows = (await session.scalars(select(OutboxEvent).where(EVENTS_ONLY).order_by(OutboxEvent.sequence))).all()
    return [RegisterEvent.model_validate(r.payload) for r in rows
            if str(r.pupil_id) == pupil_id and r.event_type in (MET, NO_LONGER_MET)]


async def mark(register: RegisterHarness, pupil_id: str, code: str, day: date, session: str,
               urn: str = SCHOOL_URN) -> None:
    response = await register.mark(pupil_id, code, day, session, urn=urn)
    assert response.status_code == 200, response.text


async def amend(register: RegisterHarness, pupil_id: str, day: date, session: str, code: str) -> None:
    response = await register.client.post(f"/api/v1/pupils/{pupil_id}/marks/{day.isoformat()}/{session}/amendments",
                                          json={"new_code": code, "reason": "Letter from the dentist"},
                                          headers=register.officer())
    assert response.status_code == 201, response.text


async def ten_unauthorised(register: RegisterHarness, pupil_id: str, days: list[date], code: str = "N") -> None:
    for day in days:
        for session in ("AM", "PM"):
            await mark(register, pupil_id, code, day, session)


async def test_an_amendment_under_the_threshold_is_reported_once_and_meeting_it_again_too(
        register: RegisterHarness) -> None:
    await set_calendar(register)
    pupil = (await register.admit())["id"]
    await ten_unauthorised(register, pupil, WEEK)
    assert [e.event_type for e in await penalty_events(register, pupil)] == [MET]

    await amend(register, pupil, WEEK[4], "PM", "M")
    events = await penalty_events(register, pupil)
    assert [e.event_type for e in events] == [MET, NO_LONGER_MET]
    under = events[1]
    assert under.details["unauthorised_sessions"] == 9
    assert under.details["threshold"] == 10
    assert under.details["window_weeks"][-1] == "2026-11-02"
    assert under.session_date == WEEK[4]

    await amend(register, pupil, WEEK[4], "AM", "M")  # still under: nothing new to report
    await amend(register, pupil, WEEK[3], "PM", "I")
    assert [e.event_type for e in await penalty_events(register, pupil)] == [MET, NO_LONGER_MET]

    for session in ("AM", "PM"):
        await mark(register, pupil, "O", date(2026, 11, 9), session)
    await mark(register, pupil, "G", date(2026, 11, 10), "AM")
    events = await penalty_events(register, pupil)
    assert [e.event_type for e in events] == [MET, NO_LONGER_MET, MET]
    assert events[2].details["unauthorised_sessions"] == 10


async def test_an_amendment_outside_the_windows_that_met_it_changes_nothing(register: RegisterHarness) -> None:
    await set_calendar(register)
    pupil = (await register.admit())["id"]
    await ten_unauthorised(register, pupil, [date(2026, 9, 3), date(2026, 9, 4), date(2026, 9, 7),
                                             date(2026, 9, 8), date(2026, 9, 9)], code="O")
    await mark(register, pupil, "/", date(2026, 11, 19), "AM")
    # Illness on a day whose windows hold none of September's absences: the threshold met then still stands.
    await amend(register, pupil, date(2026, 11, 19), "AM", "I")
    assert [e.event_type for e in await penalty_events(register, pupil)] == [MET]
    # An amendment inside the window that met it does take it back under.
    await amend(register, pupil, date(2026, 9, 3), "AM", "M")
    events = await penalty_events(register, pupil)
    assert [e.event_type for e in events] == [MET, NO_LONGER_MET]
    assert events[1].details["unauthorised_sessions"] == 9
    assert events[1].details["window_weeks"][-1] == "2026-09-07"


# The earlier school's half term is a week before the new school's.
OTHER_CALENDAR: dict[str, Any] = {"terms": [{"name": "Autumn", "start_date": "2026-09-03", "end_date": "2026-12-18",
                                             "half_term_start": "2026-10-19", "half_term_end": "2026-10-23"}]}


async def test_the_window_counts_the_earlier_school_on_its_own_calendar(register: RegisterHarness) -> None:
    await set_calendar(register)
    response = await register.client.put(f"/api/v1/schools/{OTHER_URN}/calendar/2026", json=OTHER_CALENDAR,
                                         headers=register.officer(OTHER_URN))
    assert response.status_code == 200, response.text
    upn = register.next_upn()
    before = (await register.admit(urn=OTHER_URN, upn=upn))["id"]
    for day, session in ((date(2026, 9, 14), "AM"), (date(2026, 9, 14), "PM"), (date(2026, 10, 26), "AM"),
                         (date(2026, 10, 26), "PM"), (date(2026, 10, 27), "AM"), (date(2026, 10, 27), "PM")):
        await mark(register, before, "G" if day.month == 10 else "N", day, session, urn=OTHER_URN)
    # Marks the earlier school kept after the move (the deletion came late) are not the pupil's sessions.
    await mark(register, before, "O", date(2026, 11, 16), "AM", urn=OTHER_URN)
    now = (await register.admit(upn=upn, admission_date="2026-11-09"))["id"]
    for day, session in ((date(2026, 11, 16), "AM"), (date(2026, 11, 16), "PM"), (date(2026, 11, 17), "AM")):
        await mark(register, now, "U", day, session)
    assert await penalty_events(register, now) == []
    await mark(register, now, "U", date(2026, 11, 17), "PM")

    events = await penalty_events(register, now)
    assert [e.event_type for e in events] == [MET]
    weeks = events[0].details["window_weeks"]
    # 2 + 4 at the earlier school and 4 here; its half term is not a school week, the new school's half term is.
    assert events[0].details["unauthorised_sessions"] == 10
    assert "2026-10-26" in weeks
    assert "2026-10-19" not in weeks
    assert weeks[0] == "2026-09-07"
    assert weeks[-1] == "2026-11-16"
    assert events[0].pupil.school_urn == SCHOOL_URN
    figures = (await register.client.get(f"/internal/pupils/{now}/figures",
                                         headers=register.service("casework"))).json()
    assert figures["penalty_threshold_met"]
    assert figures["penalty_threshold_sessions"] == 10


async def test_an_admission_in_another_la_is_not_counted(register: RegisterHarness) -> None:
    await add_school(register.factory, "200001", la_code="997")
    upn = register.next_upn()
    elsewhere = (await register.admit(urn="200001", upn=upn))["id"]
    for day in WEEK[:3]:
        for session in ("AM", "PM"):
            await mark(register, elsewhere, "N", day, session, urn="200001")
    now = (await register.admit(upn=upn, admission_date="2026-11-09"))["id"]
    for day in (date(2026, 11, 9), date(2026, 11, 10)):
        for session in ("AM", "PM"):
            await mark(register, now, "U", day, session)
    assert await penalty_events(register, now) == []


async def moved_pupils(register: RegisterHarness, count: int) -> list[str]:
    """Pupils who came from the other school of the LA, straight into both admission registers."""
    ids = []
    async with register.factory() as session, session.begin():
        for i in range(count):
            upn = register.next_upn()
            for urn, admitted in ((OTHER_URN, date(2026, 9, 3)), (SCHOOL_URN, date(2026, 11, 9))):
                pupil = Pupil(id=uuid.uuid4(), school_urn=urn, upn=upn, legal_forename="Pupil", legal_surname=str(i),
                              date_of_birth=date(2016, 5, 4), sex="F", year_group="5", address="1 Mill Lane",
                              admission_date=admitted)
                session.add(pupil)
            ids.append(str(pupil.id))
    return ids


async def test_the_window_across_schools_costs_the_same_statements_for_any_class_size(
        register: RegisterHarness) -> None:
    few, many = await moved_pupils(register, 3), await moved_pupils(register, 60)
    url = f"/api/v1/schools/{SCHOOL_URN}/sessions/2026-11-16/AM/marks"
    counts = []
    for pupils in (few, many):
        with statements_run(register) as seen:
            response = await register.client.post(url, json={"marks": [{"pupil_id": p, "code": "N"} for p in pupils]},
                                                  headers=register.officer())
        assert response.status_code == 200, response.text
        counts.append(len(seen))
    assert counts[0] == counts[1]
