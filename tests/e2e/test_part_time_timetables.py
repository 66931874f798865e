"""Part-time timetables through the running system: the register refuses C2 outside an agreement (422 naming the
field), takes it for an agreed session once the agreement with the parent is recorded, and lists the agreements
due for review. Dates come from the demo calendar, so the test passes on any day."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from scripts.embedded import EmbeddedSystem
from shared import clock
from tests.e2e.test_leave_requests import OFFICER, PARENT, admit, recent_school_days
from tests.e2e.test_walking_skeleton import SCHOOL_URN, Register

pytestmark = pytest.mark.e2e

AFTERNOONS = [{"weekday": d, "session": "PM"} for d in ("monday", "tuesday", "wednesday", "thursday", "friday")]


def agree(system: EmbeddedSystem, pupil: dict[str, object], start: date, review: date) -> dict[str, Any]:
    response = httpx.post(
        f"{system.config.url('register')}/api/v1/pupils/{pupil['pupil_id']}/part-time-timetables", headers=OFFICER,
        json={"start_date": start.isoformat(), "end_date": (clock.today() + timedelta(days=60)).isoformat(),
              "review_date": review.isoformat(), "agreed_times": "Mornings only, 8:30 to 12:00",
              "absent_sessions": AFTERNOONS, "reasons": "Phased return after a long illness",
              "parent_name": PARENT, "parent_agreed_on": start.isoformat()}, timeout=30)
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


def due_for_review(system: EmbeddedSystem) -> list[str]:
    response = httpx.get(
        f"{system.config.url('register')}/api/v1/schools/{SCHOOL_URN}/part-time-timetables/due-for-review",
        headers=OFFICER, timeout=30)
    assert response.status_code == 200, response.text
    return [item["agreement"]["id"] for item in response.json()]


def test_c2_only_inside_an_agreed_part_time_timetable(system: EmbeddedSystem) -> None:
    pupil = admit(system, "Quin")
    day = recent_school_days(system, pupil, 1)[0]
    register = Register(system)

    outside = register.mark(pupil, day, "PM", "C2")
    assert outside.status_code == 422, outside.text
    assert [e["field"] for e in outside.json()["errors"]] == ["marks[0].code"]

    agree(system, pupil, start=day - timedelta(days=14), review=clock.today() + timedelta(days=2))
    assert register.mark(pupil, day, "PM", "C2").status_code == 200
    morning = register.mark(pupil, day, "AM", "C2")  # the mornings are agreed as in school
    assert morning.status_code == 422, morning.text
    assert [e["field"] for e in morning.json()["errors"]] == ["marks[0].code"]


def test_agreements_due_for_review_are_listed(system: EmbeddedSystem) -> None:
    soon, later = admit(system, "Rhys"), admit(system, "Suki")
    start = clock.today() - timedelta(days=20)
    due = agree(system, soon, start=start, review=clock.today() + timedelta(days=1))
    not_yet = agree(system, later, start=start, review=clock.today() + timedelta(days=40))
    listed = due_for_review(system)
    assert due["id"] in listed
    assert not_yet["id"] not in listed
