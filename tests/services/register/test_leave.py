"""Leave of absence (reg 11): requests, decisions by an authorised person, granted leave pre-filling the register,
refused leave taken as G reported to casework, and deletion on ground 9(1)(h)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from services.register.dependencies import today
from services.register.models import OutboxEvent
from shared.auth import Role
from tests.services.register.conftest import SCHOOL_URN, TODAY, RegisterHarness
from tests.services.register.test_school_rules import set_calendar
from tests.support.identities import bearer, token_for

pytestmark = pytest.mark.services


def head(register: RegisterHarness) -> dict[str, str]:
    return bearer(token_for(register.platform, Role.HEADTEACHER, school_urns=[SCHOOL_URN], name="Hana Head"))


def leave_body(start: date, end: date, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"ground": "exceptional_circumstances", "start_date": start.isoformat(),
                            "end_date": end.isoformat(), "reasons": "Funeral of a grandparent abroad",
                            "requested_by": "parent", "requester_name": "Jo Stone",
                            "requested_on": (start - timedelta(days=14)).isoformat()}
    body.update(overrides)
    return body


async def request_leave(register: RegisterHarness, pupil_id: str, start: date, end: date,
                        **overrides: Any) -> httpx.Response:
    return await register.client.post(f"/api/v1/pupils/{pupil_id}/leave-requests",
                                      json=leave_body(start, end, **overrides), headers=register.officer())


async def decide(register: RegisterHarness, pupil_id: str, leave_id: str, decision: str,
                 headers: dict[str, str] | None = None) -> httpx.Response:
    return await register.client.post(f"/api/v1/pupils/{pupil_id}/leave-requests/{leave_id}/decision",
                                      json={"decision": decision, "notes": "Decided by the head"},
                                      headers=headers or head(register))


async def granted(register: RegisterHarness, pupil_id: str, start: date, end: date, **overrides: Any) -> dict[str, Any]:
    made = await request_leave(register, pupil_id, start, end, **overrides)
    assert made.status_code == 201, made.text
    decided = await decide(register, pupil_id, made.json()["id"], "granted")
    assert decided.status_code == 200, decided.text
    body: dict[str, Any] = decided.json()
    return body


async def codes(register: RegisterHarness, pupil_id: str, start: date, end: date) -> dict[tuple[str, str], str]:
    marks = (await register.client.get(f"/api/v1/pupils/{pupil_id}/marks", headers=register.officer(),
                                       params={"from": start.isoformat(), "to": end.isoformat()})).json()
    return {(m["session_date"], m["session"]): m["code"] for m in marks}


async def events_of(register: RegisterHarness, pupil_id: str, event_type: str) -> list[dict[str, Any]]:
    async with register.factory() as session:
        rows = (await session.scalars(select(OutboxEvent).order_by(OutboxEvent.sequence))).all()
    return [r.payload for r in rows if str(r.pupil_id) == pupil_id and r.event_type == event_type]


async def test_a_parents_request_waits_for_a_decision_by_the_head(register: RegisterHarness) -> None:
    pupil = await register.admit()
    made = await request_leave(register, pupil["id"], date(2026, 11, 16), date(2026, 11, 17))
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "requested"
    assert made.json()["code"] == "C"
    assert made.json()["requested_on"] == "2026-11-02"
    assert await codes(register, pupil["id"], date(2026, 11, 16), date(2026, 11, 17)) == {}
    listed = await register.client.get(f"/api/v1/pupils/{pupil['id']}/leave-requests", headers=register.officer())
    assert [r["id"] for r in listed.json()] == [made.json()["id"]]


async def test_only_a_person_the_proprietor_authorises_decides(register: RegisterHarness) -> None:
    pupil = await register.admit()
    made = (await request_leave(register, pupil["id"], date(2026, 11, 16), date(2026, 11, 17))).json()
    by_officer = await decide(register, pupil["id"], made["id"], "granted", headers=register.officer())
    assert by_officer.status_code == 403
    assert await codes(register, pupil["id"], date(2026, 11, 16), date(2026, 11, 17)) == {}
    assert (await decide(register, pupil["id"], made["id"], "granted")).status_code == 200
    again = await decide(register, pupil["id"], made["id"], "refused")
    assert again.status_code == 409


@pytest.mark.parametrize(("ground", "code"), [("exceptional_circumstances", "C"),
                                              ("regulated_performance_or_employment_abroad", "C1"),
                                              ("interview", "J1"), ("study_leave", "S")])
async def test_granted_leave_prefills_the_unmarked_sessions_with_its_code(register: RegisterHarness, ground: str,
                                                                         code: str) -> None:
    await set_calendar(register)
    pupil = await register.admit()
    # Already marked before the grant: left as it is.
    assert (await register.mark(pupil["id"], "N", date(2026, 11, 12), "AM")).status_code == 200
    decided = await granted(register, pupil["id"], date(2026, 11, 12), date(2026, 11, 16), ground=ground)
    assert decided["status"] == "granted"
    assert decided["decided_by_name"] == "Hana Head"
    assert decided["decided_by_position"] == "Headteacher"
    found = await codes(register, pupil["id"], date(2026, 11, 9), date(2026, 11, 20))
    # 12 Nov PM, 16 Nov AM and PM; 13 Nov is a planned closure and the weekend is no school day.
    assert found == {("2026-11-12", "AM"): "N", ("2026-11-12", "PM"): code, ("2026-11-16", "AM"): code,
                     ("2026-11-16", "PM"): code}
    assert decided["prefilled_sessions"] == 3


async def test_leave_of_one_session_prefills_only_that_session(register: RegisterHarness) -> None:
    pupil = await register.admit()
    decided = await granted(register, pupil["id"], date(2026, 11, 18), date(2026, 11, 18), ground="interview",
                            start_session="PM", end_session="PM", requested_by="school",
                            requester_name="Careers adviser")
    assert decided["prefilled_sessions"] == 1
    assert await codes(register, pupil["id"], date(2026, 11, 18), date(2026, 11, 18)) == {
        ("2026-11-18", "PM"): "J1"}


async def test_later_sessions_of_granted_leave_are_filled_when_their_register_is_taken(
        register: RegisterHarness) -> None:
    on_leave, classmate = await register.admit(), await register.admit()
    monday, tuesday = TODAY + timedelta(days=3), TODAY + timedelta(days=4)
    decided = await granted(register, on_leave["id"], monday, tuesday)
    assert decided["prefilled_sessions"] == 0
    register.app.dependency_overrides[today] = lambda: monday
    taken = await register.mark(classmate["id"], "/", monday, "AM")
    assert taken.status_code == 200, taken.text
    assert taken.json()["created"] == 1
    assert taken.json()["prefilled_from_leave"] == 1
    assert await codes(register, on_leave["id"], monday, tuesday) == {(monday.isoformat(), "AM"): "C"}
    # The same register again writes nothing more; the pupil on leave is marked once.
    again = await register.mark(classmate["id"], "/", monday, "AM")
    assert (again.json()["created"], again.json()["prefilled_from_leave"]) == (0, 0)
    # A pupil on leave who came in after all is marked present by the teacher, not pre-filled.
    came_in = await register.mark(on_leave["id"], "\\", monday, "PM")
    assert came_in.status_code == 200
    assert came_in.json()["prefilled_from_leave"] == 0
    assert (await codes(register, on_leave["id"], monday, monday))[(monday.isoformat(), "PM")] == "\\"


async def test_a_prefilled_mark_is_amended_with_its_history(register: RegisterHarness) -> None:
    pupil = await register.admit()
    await granted(register, pupil["id"], date(2026, 11, 19), date(2026, 11, 19))
    base = f"/api/v1/pupils/{pupil['id']}/marks/2026-11-19/AM"
    amended = await register.client.post(f"{base}/amendments", headers=register.officer(),
                                         json={"new_code": "/", "reason": "Came in for the morning after all"})
    assert amended.status_code == 201, amended.text
    entries = amended.json()["entries"]
    assert [(e["kind"], e["code"]) for e in entries] == [("original", "C"), ("amendment", "/")]


async def test_refused_leave_taken_as_g_is_reported_once(register: RegisterHarness) -> None:
    pupil = await register.admit()
    made = (await request_leave(register, pupil["id"], date(2026, 11, 16), date(2026, 11, 18),
                                reasons="Family holiday in Spain")).json()
    refused = await decide(register, pupil["id"], made["id"], "refused")
    assert refused.json()["status"] == "refused"
    assert await codes(register, pupil["id"], date(2026, 11, 16), date(2026, 11, 18)) == {}
    assert (await register.mark(pupil["id"], "G", date(2026, 11, 19))).status_code == 200  # after the period
    assert await events_of(register, pupil["id"], "refused_leave_taken") == []
    assert (await register.mark(pupil["id"], "G", date(2026, 11, 16))).status_code == 200
    assert (await register.mark(pupil["id"], "G", date(2026, 11, 17))).status_code == 200
    found = await events_of(register, pupil["id"], "refused_leave_taken")
    assert len(found) == 1
    assert found[0]["code"] == "G"
    assert found[0]["session_date"] == "2026-11-16"
    assert found[0]["details"]["leave_request_id"] == made["id"]
    assert found[0]["details"]["support_appropriate"] is False
    assert found[0]["details"]["route"] == "penalty"


async def test_g_marked_before_the_refusal_is_reported_when_it_is_refused(register: RegisterHarness) -> None:
    pupil = await register.admit()
    made = (await request_leave(register, pupil["id"], date(2026, 11, 16), date(2026, 11, 17))).json()
    assert (await register.mark(pupil["id"], "G", date(2026, 11, 17), "PM")).status_code == 200
    assert await events_of(register, pupil["id"], "refused_leave_taken") == []
    assert (await decide(register, pupil["id"], made["id"], "refused")).status_code == 200
    found = await events_of(register, pupil["id"], "refused_leave_taken")
    assert [(e["session_date"], e["session"]) for e in found] == [("2026-11-17", "PM")]


async def test_an_amendment_to_g_inside_refused_leave_is_reported(register: RegisterHarness) -> None:
    pupil = await register.admit()
    made = (await request_leave(register, pupil["id"], date(2026, 11, 16), date(2026, 11, 16))).json()
    await decide(register, pupil["id"], made["id"], "refused")
    assert (await register.mark(pupil["id"], "N", date(2026, 11, 16))).status_code == 200
    amended = await register.client.post(f"/api/v1/pupils/{pupil['id']}/marks/2026-11-16/AM/amendments",
                                         headers=register.officer(),
                                         json={"new_code": "G", "reason": "Photos of the holiday on social media"})
    assert amended.status_code == 201
    assert len(await events_of(register, pupil["id"], "refused_leave_taken")) == 1


@pytest.mark.parametrize(("overrides", "field"), [
    ({"ground": "part_time_timetable"}, "ground"),
    ({"ground": "holiday"}, "ground"),
    ({"end_date": "2026-11-15"}, "end_date"),
    ({"requester_name": "Someone Else"}, "requester_name"),
    ({"requested_on": "2026-11-21"}, "requested_on"),
    ({"requested_on": "2026-11-17"}, "requested_on"),  # after the leave began: not in advance
    ({"start_date": "2026-09-01"}, "start_date"),
])
async def test_bad_requests_name_the_field(register: RegisterHarness, overrides: dict[str, Any],
                                           field: str) -> None:
    pupil = await register.admit()
    body = leave_body(date(2026, 11, 16), date(2026, 11, 17), **overrides)
    response = await register.client.post(f"/api/v1/pupils/{pupil['id']}/leave-requests", json=body,
                                          headers=register.officer())
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_overlapping_leave_is_refused_but_a_refused_request_may_be_asked_again(
        register: RegisterHarness) -> None:
    pupil = await register.admit()
    first = (await request_leave(register, pupil["id"], date(2026, 11, 16), date(2026, 11, 18))).json()
    overlapping = await request_leave(register, pupil["id"], date(2026, 11, 18), date(2026, 11, 19))
    assert overlapping.status_code == 409
    await decide(register, pupil["id"], first["id"], "refused")
    assert (await request_leave(register, pupil["id"], date(2026, 11, 18), date(2026, 11, 19))).status_code == 201


async def delete_h(register: RegisterHarness, pupil_id: str) -> httpx.Response:
    return await register.client.post(f"/api/v1/pupils/{pupil_id}/deletions", headers=register.officer(), json={
        "ground": "9(1)(h)", "deletion_date": TODAY.isoformat(),
        "details": "Not returned after leave; school and LA enquiries have not found the family"})


async def test_deletion_on_9_1_h_needs_a_leave_period_and_ten_school_days_since_it_ended(
        register: RegisterHarness) -> None:
    await set_calendar(register)
    no_leave = await register.admit()
    refused = await delete_h(register, no_leave["id"])
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "ground"
    assert "leave" in refused.json()["detail"]

    recent = await register.admit()
    await granted(register, recent["id"], date(2026, 11, 9), date(2026, 11, 10))
    # 11, 12, 16, 17, 18, 19 November: six school days (13 November is a planned closure).
    too_soon = await delete_h(register, recent["id"])
    assert too_soon.status_code == 422
    assert "6 school days" in too_soon.json()["detail"]

    gone = await register.admit()
    await granted(register, gone["id"], date(2026, 10, 12), date(2026, 10, 16))
    assert (await register.mark(gone["id"], "N", date(2026, 11, 19))).status_code == 200
    deleted = await delete_h(register, gone["id"])
    assert deleted.status_code == 201, deleted.text
    assert deleted.json()["ground"] == "9(1)(h)"


async def test_deletion_on_9_1_h_is_refused_when_the_pupil_came_back(register: RegisterHarness) -> None:
    await set_calendar(register)
    pupil = await register.admit()
    await granted(register, pupil["id"], date(2026, 10, 12), date(2026, 10, 16))
    assert (await register.mark(pupil["id"], "/", date(2026, 10, 19))).status_code == 200
    refused = await delete_h(register, pupil["id"])
    assert refused.status_code == 422
    assert "2026-10-19" in refused.json()["detail"]
