"""Admission and the attendance register through the API: validation, idempotent marking, amendments, scope."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from services.register.models import AttendanceMark, MarkAmendment, OutboxEvent, Pupil
from shared.auth import Role
from tests.services.register.conftest import OTHER_URN, SCHOOL_URN, RegisterHarness
from tests.services.register.outbox_rows import EVENTS_ONLY
from tests.support.identities import bearer, token_for

pytestmark = pytest.mark.services

MONDAY = date(2026, 11, 16)


async def count(register: RegisterHarness, model: type) -> int:
    async with register.factory() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_admission_with_a_bad_check_letter_names_upn(register: RegisterHarness) -> None:
    good = register.next_upn()
    bad = ("B" if good[0] != "B" else "C") + good[1:]
    response = await register.client.post(f"/api/v1/schools/{SCHOOL_URN}/pupils",
                                          json=register.admission(upn=bad), headers=register.officer())
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in response.json()["errors"]] == ["upn"]
    assert await count(register, Pupil) == 0


async def test_admission_accepts_a_temporary_upn_and_reports_it(register: RegisterHarness) -> None:
    pupil = await register.admit(upn=register.next_upn(temporary=True))
    assert pupil["upn"][-1].isalpha()
    assert [c["kind"] for c in pupil["contacts"]] == ["parent", "emergency"]
    async with register.factory() as session:
        events = (await session.scalars(select(OutboxEvent).where(EVENTS_ONLY))).all()
    assert [e.event_type for e in events] == ["pupil_admitted"]
    assert events[0].payload["pupil"]["pupil_id"] == pupil["id"]


async def test_admission_refuses_the_same_upn_twice_and_inconsistent_characteristics(
        register: RegisterHarness) -> None:
    pupil = await register.admit()
    again = await register.client.post(f"/api/v1/schools/{SCHOOL_URN}/pupils",
                                       json=register.admission(upn=pupil["upn"]), headers=register.officer())
    assert again.status_code == 409
    both = await register.client.post(
        f"/api/v1/schools/{SCHOOL_URN}/pupils", headers=register.officer(),
        json=register.admission(characteristics={"sen_support": True, "ehcp": True}))
    assert both.status_code == 422
    assert both.json()["errors"][0]["field"] == "characteristics.ehcp"


async def test_bulk_marking_is_idempotent(register: RegisterHarness) -> None:
    a, b = await register.admit(), await register.admit()
    body = {"marks": [{"pupil_id": a["id"], "code": "/"}, {"pupil_id": b["id"], "code": "L", "minutes_late": 7}]}
    url = f"/api/v1/schools/{SCHOOL_URN}/sessions/{MONDAY}/AM/marks"
    first = await register.client.post(url, json=body, headers=register.officer())
    assert first.status_code == 200, first.text
    assert (first.json()["created"], first.json()["unchanged"]) == (2, 0)
    second = await register.client.post(url, json=body, headers=register.officer())
    assert second.status_code == 200
    assert (second.json()["created"], second.json()["unchanged"]) == (0, 2)
    assert await count(register, AttendanceMark) == 2
    marks = (await register.client.get(f"/api/v1/pupils/{b['id']}/marks", headers=register.officer())).json()
    assert marks == [{"session_date": MONDAY.isoformat(), "session": "AM", "code": "L", "category": "present",
                      "minutes_late": 7, "amended": False}]


async def test_a_changed_code_is_refused_and_nothing_is_written(register: RegisterHarness) -> None:
    a, b = await register.admit(), await register.admit()
    assert (await register.mark(a["id"], "/", MONDAY)).status_code == 200
    url = f"/api/v1/schools/{SCHOOL_URN}/sessions/{MONDAY}/AM/marks"
    response = await register.client.post(url, headers=register.officer(), json={"marks": [
        {"pupil_id": b["id"], "code": "/"}, {"pupil_id": a["id"], "code": "I"}]})
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "marks[1].code"
    assert "amendment" in response.json()["detail"]
    assert await count(register, AttendanceMark) == 1  # b was not written either


async def test_invalid_marks_name_the_field_and_write_nothing(register: RegisterHarness) -> None:
    a, b, c = await register.admit(), await register.admit(), await register.admit()
    other_school = await register.admit(urn=OTHER_URN)
    url = f"/api/v1/schools/{SCHOOL_URN}/sessions/{MONDAY}/AM/marks"
    response = await register.client.post(url, headers=register.officer(), json={"marks": [
        {"pupil_id": a["id"], "code": "/"}, {"pupil_id": b["id"], "code": "H"},
        {"pupil_id": other_school["id"], "code": "/"}, {"pupil_id": c["id"], "code": "/", "minutes_late": 4}]})
    assert response.status_code == 422
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["marks[1].code", "marks[2].pupil_id", "marks[3].minutes_late"]
    assert "withdrawn" in response.json()["errors"][0]["message"]
    assert await count(register, AttendanceMark) == 0
    saturday = await register.client.post(
        f"/api/v1/schools/{SCHOOL_URN}/sessions/2026-11-14/AM/marks", headers=register.officer(),
        json={"marks": [{"pupil_id": a["id"], "code": "/"}]})
    assert saturday.status_code == 422
    assert saturday.json()["errors"][0]["field"] == "session_date"
    bad_session = await register.client.post(
        f"/api/v1/schools/{SCHOOL_URN}/sessions/{MONDAY}/XX/marks", headers=register.officer(),
        json={"marks": [{"pupil_id": a["id"], "code": "/"}]})
    assert bad_session.status_code == 422
    assert bad_session.json()["errors"][0]["field"] == "session"


async def test_arrival_time_decides_late_or_unauthorised(register: RegisterHarness) -> None:
    a, b, c = await register.admit(), await register.admit(), await register.admit()
    url = f"/api/v1/schools/{SCHOOL_URN}/sessions/{MONDAY}/AM/marks"
    response = await register.client.post(url, headers=register.officer(), json={"marks": [
        {"pupil_id": a["id"], "arrived_at": "08:35"}, {"pupil_id": b["id"], "arrived_at": "09:00"},
        {"pupil_id": c["id"], "arrived_at": "09:01"}]})
    assert response.status_code == 200, response.text
    codes = []
    for pupil in (a, b, c):
        marks = (await register.client.get(f"/api/v1/pupils/{pupil['id']}/marks", headers=register.officer())).json()
        codes.append((marks[0]["code"], marks[0]["minutes_late"]))
    assert codes == [("/", None), ("L", 20), ("U", 21)]


async def test_x_and_c2_only_for_the_right_pupils(register: RegisterHarness) -> None:
    csa = await register.admit()
    reception = await register.admit(date_of_birth="2022-01-10", year_group="R")  # five in January 2027
    url = f"/api/v1/schools/{SCHOOL_URN}/sessions/{MONDAY}/AM/marks"
    wrong = await register.client.post(url, headers=register.officer(), json={"marks": [
        {"pupil_id": csa["id"], "code": "X"}, {"pupil_id": reception["id"], "code": "C2"}]})
    assert wrong.status_code == 422
    assert [e["field"] for e in wrong.json()["errors"]] == ["marks[0].code", "marks[1].code"]
    # C2 also needs an agreed part-time timetable covering the session.
    agreed = await register.client.post(f"/api/v1/pupils/{csa['id']}/part-time-timetables", headers=register.officer(),
                                        json={"start_date": MONDAY.isoformat(), "end_date": "2026-12-18",
                                              "review_date": "2026-12-04", "agreed_times": "Afternoons only",
                                              "absent_sessions": [{"weekday": "monday", "session": "AM"}],
                                              "reasons": "Phased return", "parent_name": "Jo Stone",
                                              "parent_agreed_on": MONDAY.isoformat()})
    assert agreed.status_code == 201, agreed.text
    right = await register.client.post(url, headers=register.officer(), json={"marks": [
        {"pupil_id": csa["id"], "code": "C2"}, {"pupil_id": reception["id"], "code": "X"}]})
    assert right.status_code == 200


async def test_amendment_keeps_the_original_and_the_history(register: RegisterHarness) -> None:
    pupil = await register.admit()
    assert (await register.mark(pupil["id"], "N", MONDAY)).status_code == 200
    base = f"/api/v1/pupils/{pupil['id']}/marks/{MONDAY}/AM"
    first = await register.client.post(f"{base}/amendments", headers=register.officer(),
                                       json={"new_code": "I", "reason": "Mother telephoned: ill"})
    assert first.status_code == 201, first.text
    second = await register.client.post(f"{base}/amendments", headers=register.officer(),
                                        json={"new_code": "M", "reason": "It was a dental appointment"})
    assert second.status_code == 201
    same = await register.client.post(f"{base}/amendments", headers=register.officer(),
                                      json={"new_code": "M", "reason": "again"})
    assert same.status_code == 409
    history = (await register.client.get(f"{base}/history", headers=register.officer())).json()
    assert history["current_code"] == "M"
    assert [(e["kind"], e["code"], e["previous_code"]) for e in history["entries"]] == [
        ("original", "N", None), ("amendment", "I", "N"), ("amendment", "M", "I")]
    assert history["entries"][1]["reason"] == "Mother telephoned: ill"
    assert history["entries"][1]["by_name"] == "Priya Officer"
    assert history["entries"][1]["by_position"] == "School attendance officer"
    assert await count(register, MarkAmendment) == 2
    assert await count(register, AttendanceMark) == 1
    missing = await register.client.post(f"/api/v1/pupils/{pupil['id']}/marks/{MONDAY}/PM/amendments",
                                         headers=register.officer(), json={"new_code": "I", "reason": "ill"})
    assert missing.status_code == 404


async def test_officer_of_another_school_is_refused(register: RegisterHarness) -> None:
    pupil = await register.admit()
    other = register.officer(OTHER_URN)
    assert (await register.client.get(f"/api/v1/pupils/{pupil['id']}", headers=other)).status_code == 403
    assert (await register.client.get(f"/api/v1/schools/{SCHOOL_URN}/pupils", headers=other)).status_code == 403
    marked = await register.client.post(f"/api/v1/schools/{SCHOOL_URN}/sessions/{MONDAY}/AM/marks", headers=other,
                                        json={"marks": [{"pupil_id": pupil["id"], "code": "/"}]})
    assert marked.status_code == 403
    assert (await register.client.get(f"/api/v1/pupils/{pupil['id']}")).status_code == 401
    governor = bearer(token_for(register.platform, Role.GOVERNOR, school_urns=[SCHOOL_URN]))
    assert (await register.client.get(f"/api/v1/pupils/{pupil['id']}", headers=governor)).status_code == 403
    social = bearer(token_for(register.platform, Role.SOCIAL_WORKER, pupil_ids=[pupil["id"]]))
    assert (await register.client.get(f"/api/v1/pupils/{pupil['id']}", headers=social)).status_code == 200
    unknown = await register.client.get("/api/v1/pupils/00000000-0000-0000-0000-000000000000",
                                        headers=register.officer())
    assert unknown.status_code == 404
    page = (await register.client.get(f"/api/v1/schools/{SCHOOL_URN}/pupils?page_size=1",
                                      headers=register.officer())).json()
    assert page["total"] == 1
    assert len(page["items"]) == 1


async def test_figures_count_the_pupils_own_sessions(register: RegisterHarness) -> None:
    pupil = await register.admit()
    codes = ["/", "\\", "I", "N", "/", "\\", "#", "#", "/", "\\"]
    days = [date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 18), date(2026, 11, 19), date(2026, 11, 20)]
    for i, code in enumerate(codes):
        assert (await register.mark(pupil["id"], code, days[i // 2], "AM" if i % 2 == 0 else "PM")).status_code == 200
    figures = (await register.client.get(f"/api/v1/pupils/{pupil['id']}/figures?from=2026-11-16&to=2026-11-20",
                                         headers=register.officer())).json()
    assert (figures["possible_sessions"], figures["attended_sessions"]) == (8, 6)
    assert (figures["authorised_absence_sessions"], figures["unauthorised_absence_sessions"]) == (1, 1)
    assert figures["attendance_rate"] == "75"
    assert figures["absence_rate"] == "25"
    assert figures["persistent_absence"] is True
    assert figures["severe_absence"] is False
    assert figures["band"] == "red"
    assert figures["penalty_threshold_sessions"] == 1
    reversed_range = await register.client.get(
        f"/api/v1/pupils/{pupil['id']}/figures?from=2026-11-20&to=2026-11-16", headers=register.officer())
    assert reversed_range.status_code == 422
    assert reversed_range.json()["errors"][0]["field"] == "to"


async def test_a_refusal_says_which_role_or_scope_is_missing(register: RegisterHarness) -> None:
    pupil = await register.admit()
    other = await register.client.get(f"/api/v1/schools/{SCHOOL_URN}/pupils", headers=register.officer(OTHER_URN))
    assert other.status_code == 403
    assert f"your sign-in covers school {OTHER_URN}" in other.json()["detail"]
    assert f"school {SCHOOL_URN} in scope" in other.json()["detail"]
    social = bearer(token_for(register.platform, Role.SOCIAL_WORKER, pupil_ids=[]))
    school = await register.client.get(f"/api/v1/schools/{SCHOOL_URN}/pupils", headers=social)
    assert school.status_code == 403
    assert school.json()["detail"].startswith("The social worker role does not open this school's register")
    record = await register.client.get(f"/api/v1/pupils/{pupil['id']}", headers=social)
    assert record.status_code == 403
    assert "pupils allocated to them" in record.json()["detail"]
    marked = await register.client.post(f"/api/v1/schools/{SCHOOL_URN}/sessions/{MONDAY}/AM/marks",
                                        headers=register.officer(OTHER_URN),
                                        json={"marks": [{"pupil_id": pupil["id"], "code": "/"}]})
    assert "school role with school" in marked.json()["detail"]
