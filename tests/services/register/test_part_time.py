"""Temporary part-time timetables: agreed times and dates, a review date and the parent's agreement; C2 only inside
an agreement; the agreements due for review."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from tests.services.register.conftest import SCHOOL_URN, TODAY, RegisterHarness

pytestmark = pytest.mark.services

AFTERNOONS = [{"weekday": d, "session": "PM"} for d in ("monday", "tuesday", "wednesday", "thursday", "friday")]


def agreement(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "start_date": "2026-11-16", "end_date": "2027-01-29", "review_date": "2026-12-11",
        "agreed_times": "Mornings only, 8:45 to 12:15", "absent_sessions": AFTERNOONS,
        "reasons": "Phased return after a long illness", "parent_name": "Jo Stone",
        "parent_agreed_on": "2026-11-13"}
    body.update(overrides)
    return body


async def agree(register: RegisterHarness, pupil_id: str, **overrides: Any) -> httpx.Response:
    return await register.client.post(f"/api/v1/pupils/{pupil_id}/part-time-timetables",
                                      json=agreement(**overrides), headers=register.officer())


async def due(register: RegisterHarness) -> list[dict[str, Any]]:
    response = await register.client.get(f"/api/v1/schools/{SCHOOL_URN}/part-time-timetables/due-for-review",
                                         headers=register.officer())
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


async def test_c2_is_refused_outside_an_agreement_and_taken_inside_it(register: RegisterHarness) -> None:
    pupil = await register.admit()
    before = await register.mark(pupil["id"], "C2", date(2026, 11, 16), "PM")
    assert before.status_code == 422
    assert before.json()["errors"][0]["field"] == "marks[0].code"
    assert "part-time timetable" in before.json()["errors"][0]["message"]

    made = await agree(register, pupil["id"])
    assert made.status_code == 201, made.text
    assert made.json()["parent_name"] == "Jo Stone"
    assert [s["weekday"] for s in made.json()["absent_sessions"]] == [
        "monday", "tuesday", "wednesday", "thursday", "friday"]
    assert made.json()["recorded_by_name"] == "Priya Officer"
    assert (await register.mark(pupil["id"], "C2", date(2026, 11, 16), "PM")).status_code == 200
    # The morning is agreed as in school; the Friday before the agreement began is outside it.
    for day, session in ((date(2026, 11, 17), "AM"), (date(2026, 11, 13), "PM")):
        outside = await register.mark(pupil["id"], "C2", day, session)
        assert outside.status_code == 422, (day, session)
        assert outside.json()["errors"][0]["field"] == "marks[0].code"


async def test_an_amendment_to_c2_must_fall_inside_an_agreement(register: RegisterHarness) -> None:
    pupil = await register.admit()
    await agree(register, pupil["id"])
    for session in ("AM", "PM"):
        assert (await register.mark(pupil["id"], "N", date(2026, 11, 17), session)).status_code == 200
    base = f"/api/v1/pupils/{pupil['id']}/marks/2026-11-17"
    morning = await register.client.post(f"{base}/AM/amendments", headers=register.officer(),
                                         json={"new_code": "C2", "reason": "On the part-time timetable"})
    assert morning.status_code == 422
    assert morning.json()["errors"][0]["field"] == "new_code"
    afternoon = await register.client.post(f"{base}/PM/amendments", headers=register.officer(),
                                           json={"new_code": "C2", "reason": "On the part-time timetable"})
    assert afternoon.status_code == 201, afternoon.text


@pytest.mark.parametrize(("overrides", "field"), [
    ({"parent_name": "Sam Stone"}, "parent_name"),  # the emergency contact, not a parent the pupil lives with
    ({"review_date": "2027-02-01"}, "review_date"),
    ({"end_date": "2026-11-01"}, "end_date"),
    ({"parent_agreed_on": "2026-11-21"}, "parent_agreed_on"),
    ({"absent_sessions": []}, "absent_sessions"),
    ({"absent_sessions": [{"weekday": "saturday", "session": "AM"}]}, "absent_sessions.0.weekday"),
])
async def test_bad_agreements_name_the_field(register: RegisterHarness, overrides: dict[str, Any],
                                             field: str) -> None:
    pupil = await register.admit()
    response = await agree(register, pupil["id"], **overrides)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_only_for_pupils_of_compulsory_school_age(register: RegisterHarness) -> None:
    reception = await register.admit(date_of_birth="2022-01-10", year_group="R")
    response = await agree(register, reception["id"])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "start_date"


async def test_agreements_due_for_review_are_listed_until_reviewed(register: RegisterHarness) -> None:
    soon, later, overdue = await register.admit(), await register.admit(), await register.admit()
    soon_made = await agree(register, soon["id"], review_date=(TODAY + timedelta(days=3)).isoformat())
    await agree(register, later["id"], review_date=(TODAY + timedelta(days=21)).isoformat())
    overdue_made = await agree(register, overdue["id"], start_date="2026-10-05",
                               review_date=(TODAY - timedelta(days=1)).isoformat())
    found = await due(register)
    assert [(d["agreement"]["id"], d["overdue"]) for d in found] == [
        (overdue_made.json()["id"], True), (soon_made.json()["id"], False)]
    assert found[0]["agreement"]["pupil_id"] == overdue["id"]

    reviewed = await register.client.post(
        f"/api/v1/pupils/{overdue['id']}/part-time-timetables/{overdue_made.json()['id']}/reviews",
        headers=register.officer(), json={"reviewed_on": TODAY.isoformat(), "notes": "Adding Monday afternoons",
                                          "next_review_date": (TODAY + timedelta(days=28)).isoformat()})
    assert reviewed.status_code == 200, reviewed.text
    assert reviewed.json()["last_reviewed_on"] == TODAY.isoformat()
    assert [d["agreement"]["id"] for d in await due(register)] == [soon_made.json()["id"]]


async def test_an_agreement_ended_at_review_no_longer_covers_c2(register: RegisterHarness) -> None:
    pupil = await register.admit()
    made = (await agree(register, pupil["id"])).json()
    ended = await register.client.post(
        f"/api/v1/pupils/{pupil['id']}/part-time-timetables/{made['id']}/reviews", headers=register.officer(),
        json={"reviewed_on": "2026-11-17", "notes": "Back full time from Wednesday", "end_date": "2026-11-17",
              "next_review_date": "2026-11-18"})
    assert ended.status_code == 200, ended.text
    assert (await register.mark(pupil["id"], "C2", date(2026, 11, 17), "PM")).status_code == 200
    assert (await register.mark(pupil["id"], "C2", date(2026, 11, 18), "PM")).status_code == 422
    assert await due(register) == []


async def test_another_school_cannot_read_the_due_list(register: RegisterHarness) -> None:
    response = await register.client.get(f"/api/v1/schools/{SCHOOL_URN}/part-time-timetables/due-for-review",
                                         headers=register.officer("100002"))
    assert response.status_code == 403
