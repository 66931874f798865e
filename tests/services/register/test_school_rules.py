"""Calendar and register times, threshold-crossing events, unresolved N follow-up and regulation 9 deletions."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from services.register.models import OutboxEvent
from shared.auth import Role
from tests.services.register.conftest import SCHOOL_URN, RegisterHarness
from tests.services.register.outbox_rows import EVENTS_ONLY
from tests.support.identities import bearer, token_for

pytestmark = pytest.mark.services

CALENDAR = {"terms": [{"name": "Autumn", "start_date": "2026-09-03", "end_date": "2026-12-18",
                       "half_term_start": "2026-10-26", "half_term_end": "2026-10-30"}],
            "closures": [{"closure_date": "2026-11-13", "reason": "Staff training day"}]}


def school_days(start: date, end: date) -> list[date]:
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    return [d for d in days if d.weekday() < 5 and not date(2026, 10, 26) <= d <= date(2026, 10, 30)
            and d != date(2026, 11, 13)]


async def mark_days(register: RegisterHarness, pupil_id: str, code: str, days: list[date]) -> None:
    for day in days:
        for session in ("AM", "PM"):
            response = await register.mark(pupil_id, code, day, session)
            assert response.status_code == 200, response.text


async def event_types(register: RegisterHarness, pupil_id: str) -> Counter[str]:
    async with register.factory() as session:
        rows = (await session.scalars(select(OutboxEvent).where(EVENTS_ONLY).order_by(OutboxEvent.sequence))).all()
    return Counter(r.event_type for r in rows if str(r.pupil_id) == pupil_id)


async def set_calendar(register: RegisterHarness) -> None:
    response = await register.client.put(f"/api/v1/schools/{SCHOOL_URN}/calendar/2026", json=CALENDAR,
                                         headers=register.officer())
    assert response.status_code == 200, response.text


async def test_calendar_decides_school_days_and_planned_closures(register: RegisterHarness) -> None:
    await set_calendar(register)
    stored = (await register.client.get(f"/api/v1/schools/{SCHOOL_URN}/calendar/2026",
                                        headers=register.officer())).json()
    assert stored["school_days"] == 72 - 1  # 72 days of term, less one planned closure
    pupil = await register.admit()
    half_term = await register.mark(pupil["id"], "/", date(2026, 10, 27))
    assert half_term.status_code == 422
    assert half_term.json()["errors"][0]["field"] == "session_date"
    closed = await register.mark(pupil["id"], "/", date(2026, 11, 13))
    assert closed.status_code == 422
    assert closed.json()["errors"][0]["field"] == "marks[0].code"
    assert (await register.mark(pupil["id"], "#", date(2026, 11, 13))).status_code == 200
    assert (await register.mark(pupil["id"], "Y4", date(2026, 11, 12))).status_code == 200  # unexpected closure
    not_planned = await register.mark(pupil["id"], "#", date(2026, 11, 11))
    assert not_planned.status_code == 422
    assert not_planned.json()["errors"][0]["field"] == "marks[0].code"
    neither = await register.client.post(f"/api/v1/schools/{SCHOOL_URN}/sessions/2026-11-11/AM/marks",
                                         json={"marks": [{"pupil_id": pupil["id"]}]}, headers=register.officer())
    assert neither.json()["errors"][0]["field"] == "marks[0].code"
    bad = await register.client.put(f"/api/v1/schools/{SCHOOL_URN}/calendar/2026", headers=register.officer(),
                                    json={"terms": [{"name": "Autumn", "start_date": "2026-12-18",
                                                     "end_date": "2026-09-03"}]})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "terms"


async def test_register_may_be_open_no_more_than_30_minutes(register: RegisterHarness) -> None:
    url = f"/api/v1/schools/{SCHOOL_URN}/register-times"
    ok = {"am_register_opens": "08:30", "am_register_closes": "09:00", "pm_register_opens": "13:00",
          "pm_register_closes": "13:15"}
    assert (await register.client.put(url, json=ok, headers=register.officer())).status_code == 200
    too_long = {**ok, "pm_register_closes": "13:31"}
    response = await register.client.put(url, json=too_long, headers=register.officer())
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "pm_register_closes"
    pupil = await register.admit()
    body = {"marks": [{"pupil_id": pupil["id"], "arrived_at": "09:00"}]}
    marked = await register.client.post(f"/api/v1/schools/{SCHOOL_URN}/sessions/2026-11-16/AM/marks", json=body,
                                        headers=register.officer())
    assert marked.status_code == 200
    marks = (await register.client.get(f"/api/v1/pupils/{pupil['id']}/marks", headers=register.officer())).json()
    assert (marks[0]["code"], marks[0]["minutes_late"]) == ("L", 30)


async def test_thresholds_raise_one_event_each_only_when_crossed(register: RegisterHarness) -> None:
    await set_calendar(register)
    truant = await register.admit()
    await mark_days(register, truant["id"], "/", school_days(date(2026, 11, 2), date(2026, 11, 4)))
    await mark_days(register, truant["id"], "O", school_days(date(2026, 11, 5), date(2026, 11, 19)))
    types = await event_types(register, truant["id"])
    assert types["penalty_threshold_met"] == 1
    assert types["continuous_unauthorised_absence"] == 1
    assert types["became_persistently_absent"] == 1
    assert types["became_severely_absent"] == 1
    # Attending again: leaving severe absence is a crossing too; nothing else repeats.
    await mark_days(register, truant["id"], "/", school_days(date(2026, 11, 20), date(2026, 11, 20)))
    assert (await event_types(register, truant["id"]))["continuous_unauthorised_absence"] == 1

    ill = await register.admit()
    await mark_days(register, ill["id"], "I", school_days(date(2026, 10, 8), date(2026, 11, 3)))
    assert (await event_types(register, ill["id"]))["illness_days_reached"] == 0  # 14 days
    await mark_days(register, ill["id"], "I", [date(2026, 11, 4)])
    types = await event_types(register, ill["id"])
    assert types["illness_days_reached"] == 1
    assert types["penalty_threshold_met"] == 0


async def test_unresolved_n_after_five_school_days(register: RegisterHarness) -> None:
    await set_calendar(register)
    old, recent = await register.admit(), await register.admit()
    assert (await register.mark(old["id"], "N", date(2026, 11, 11))).status_code == 200
    assert (await register.mark(recent["id"], "N", date(2026, 11, 16))).status_code == 200
    listed = (await register.client.get(f"/api/v1/schools/{SCHOOL_URN}/unresolved-n",
                                        headers=register.officer())).json()
    # 11 Nov + 5 school days (13 Nov is a closure) = 19 Nov, so on 20 Nov it is overdue; 16 Nov is not yet.
    assert [(r["pupil_id"], r["session_date"], r["resolve_by"]) for r in listed] == [
        (old["id"], "2026-11-11", "2026-11-19")]


async def test_deletion_needs_a_ground_and_is_announced_first(register: RegisterHarness) -> None:
    await set_calendar(register)
    pupil = await register.admit()
    url = f"/api/v1/pupils/{pupil['id']}/deletions"
    details = "Both parents wrote on 18 Nov that the pupil will be home educated"
    no_ground = await register.client.post(url, headers=register.officer(),
                                           json={"ground": "moved away", "deletion_date": "2026-11-20",
                                                 "details": details})
    assert no_ground.status_code == 422
    assert no_ground.json()["errors"][0]["field"] == "ground"
    backdated = await register.client.post(url, headers=register.officer(),
                                           json={"ground": "9(1)(f)", "deletion_date": "2026-11-19",
                                                 "details": details})
    assert backdated.status_code == 422
    assert backdated.json()["errors"][0]["field"] == "deletion_date"
    absent = await register.client.post(url, headers=register.officer(),
                                        json={"ground": "9(1)(i)", "deletion_date": "2026-11-20",
                                              "details": "Not seen since October; LA enquiries failed"})
    assert absent.status_code == 422
    assert "20" in absent.json()["detail"]
    done = await register.client.post(url, headers=register.officer(),
                                      json={"ground": "9(1)(f)", "deletion_date": "2026-11-20", "details": details})
    assert done.status_code == 201, done.text
    assert done.json()["status"] == "completed"
    async with register.factory() as session:
        rows = (await session.scalars(select(OutboxEvent).where(OutboxEvent.pupil_id == uuid.UUID(pupil["id"]))
                                      .order_by(OutboxEvent.sequence))).all()
    assert [r.event_type for r in rows] == ["pupil_admitted", "pending_deletion", "pupil_deleted"]
    assert rows[1].payload["details"]["ground"] == "9(1)(f)"
    after = await register.mark(pupil["id"], "/", date(2026, 11, 20))
    assert after.status_code == 422  # off roll now


async def test_continuous_absence_ground_is_checked_against_the_register(register: RegisterHarness) -> None:
    await set_calendar(register)
    pupil = await register.admit()
    await mark_days(register, pupil["id"], "O", school_days(date(2026, 10, 16), date(2026, 11, 20)))
    response = await register.client.post(
        f"/api/v1/pupils/{pupil['id']}/deletions", headers=register.officer(),
        json={"ground": "9(1)(i)", "deletion_date": "2026-11-27",
              "details": "Not seen since 16 October; joint enquiries with the LA failed to locate the pupil"})
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "pending"
    early = await register.client.post(
        f"/api/v1/pupils/{pupil['id']}/deletions/{response.json()['id']}/complete", headers=register.officer())
    assert early.status_code == 422
    types = await event_types(register, pupil["id"])
    assert types["pending_deletion"] == 1
    assert types["pupil_deleted"] == 0


async def test_at_risk_crossings_and_school_figures(register: RegisterHarness) -> None:
    steady = await register.admit()
    wobbly = await register.admit(characteristics={"free_school_meals": True})
    days = school_days(date(2026, 11, 2), date(2026, 11, 12))  # 9 school days, 18 sessions each
    await mark_days(register, steady["id"], "/", days)
    await mark_days(register, wobbly["id"], "/", days)
    base = f"/api/v1/pupils/{wobbly['id']}/marks/2026-11-12/PM"
    ill = await register.client.post(f"{base}/amendments", headers=register.officer(),
                                     json={"new_code": "I", "reason": "Sent home ill"})
    assert ill.status_code == 201  # 17 of 18 sessions: 94.4%, amber
    assert (await event_types(register, wobbly["id"]))["entered_at_risk"] == 1
    well = await register.client.post(f"{base}/amendments", headers=register.officer(),
                                      json={"new_code": "\\", "reason": "Came back after lunch"})
    assert well.status_code == 201
    assert (await event_types(register, wobbly["id"]))["left_at_risk"] == 1
    await register.client.post(f"{base}/amendments", headers=register.officer(),
                               json={"new_code": "O", "reason": "Left without permission"})
    figures = (await register.client.get(f"/api/v1/schools/{SCHOOL_URN}/figures?academic_year=2026",
                                         headers=register.officer())).json()
    assert figures["overall"]["possible_sessions"] == 36
    assert figures["overall"]["attended_sessions"] == 35
    free_school_meals = {g["group"]: g for g in figures["breakdowns"]["free_school_meals"]}
    assert free_school_meals["Yes"]["unauthorised_absence_sessions"] == 1
    assert free_school_meals["No"]["attendance_rate"] == "100"
    assert [p["pupil_id"] for p in figures["at_risk"]] == [wobbly["id"]]
    assert figures["persistent_absentees"] == []
    governor = bearer(token_for(register.platform, Role.GOVERNOR, school_urns=[SCHOOL_URN]))
    seen = (await register.client.get(f"/api/v1/schools/{SCHOOL_URN}/figures?academic_year=2026",
                                      headers=governor)).json()
    assert seen["overall"]["pupils"] == 2
    assert seen["at_risk"] == []  # governors see figures, never names
    other = await register.client.get(f"/api/v1/schools/{SCHOOL_URN}/figures", headers=register.officer("100002"))
    assert other.status_code == 403

    # Any date range, counted from its marks: the whole range agrees with the tallies, a part of it differs.
    whole = (await register.client.get(f"/api/v1/schools/{SCHOOL_URN}/figures?from=2026-11-02&to=2026-11-12",
                                       headers=register.officer())).json()
    assert (whole["from_date"], whole["overall"]) == ("2026-11-02", figures["overall"])
    assert whole["breakdowns"] == figures["breakdowns"]
    part = (await register.client.get(f"/api/v1/schools/{SCHOOL_URN}/figures?from=2026-11-02&to=2026-11-11",
                                      headers=register.officer())).json()
    assert (part["overall"]["possible_sessions"], part["overall"]["attended_sessions"]) == (32, 32)
    half = await register.client.get(f"/api/v1/schools/{SCHOOL_URN}/figures?from=2026-11-02",
                                     headers=register.officer())
    assert half.status_code == 422
    assert half.json()["errors"][0]["field"] == "to"
    backwards = await register.client.get(f"/api/v1/schools/{SCHOOL_URN}/figures?from=2026-11-12&to=2026-11-02",
                                          headers=register.officer())
    assert backwards.json()["errors"][0]["field"] == "to"


async def test_patterns_show_weekdays_breaks_lateness_and_projection(register: RegisterHarness) -> None:
    await set_calendar(register)
    pupil = await register.admit()
    days = school_days(date(2026, 10, 19), date(2026, 11, 6))
    await mark_days(register, pupil["id"], "O", [d for d in days if d.weekday() in (0, 4)])
    await mark_days(register, pupil["id"], "/", [d for d in days if d.weekday() not in (0, 4)])
    late = await register.client.post(f"/api/v1/pupils/{pupil['id']}/marks/2026-11-04/AM/amendments",
                                      headers=register.officer(),
                                      json={"new_code": "L", "minutes_late": 39, "reason": "Register corrected"})
    assert late.status_code == 201, late.text
    patterns = (await register.client.get(f"/api/v1/pupils/{pupil['id']}/patterns?from=2026-10-19&to=2026-11-06",
                                          headers=register.officer())).json()
    weekdays = {w["weekday"]: w for w in patterns["by_weekday"]}
    assert weekdays["Friday"]["absence_rate"] == "100"
    assert weekdays["Tuesday"]["absence_rate"] == "0"
    assert weekdays["Monday"]["absence_dates"] == ["2026-10-19", "2026-11-02"]
    assert patterns["around_breaks_dates"] == ["2026-10-23", "2026-11-02"]
    assert (patterns["late_sessions"], patterns["minutes_late"], patterns["learning_lost_days"]) == (1, 39, "0.1")
    assert patterns["remaining_possible_sessions"] == 2 * 30 - 2  # 6 Nov to 18 Dec, less the closure
    assert patterns["projected_year_end_attendance_rate"] is not None


async def test_la_figures_cover_its_schools_and_respect_roles(register: RegisterHarness) -> None:
    cared_for = await register.admit(characteristics={"looked_after": True})
    other = await register.admit(urn="100002")
    for pupil, urn in ((cared_for, SCHOOL_URN), (other, "100002")):
        for day in school_days(date(2026, 11, 2), date(2026, 11, 4)):
            for session in ("AM", "PM"):
                assert (await register.mark(pupil["id"], "O" if day.day == 2 else "/", day, session,
                                            urn=urn)).status_code == 200
    ewo = bearer(token_for(register.platform, Role.LA_EWO, la_code="998"))
    figures = (await register.client.get("/api/v1/las/998/figures?academic_year=2026", headers=ewo)).json()
    assert figures["overall"]["pupils"] == 2
    assert [g["group"] for g in figures["breakdowns"]["school"]] == [SCHOOL_URN, "100002"]
    assert {p["pupil_id"] for p in figures["persistent_absentees"]} == {cared_for["id"], other["id"]}
    vsh = bearer(token_for(register.platform, Role.VIRTUAL_SCHOOL_HEAD, la_code="998"))
    seen = (await register.client.get("/api/v1/las/998/figures?academic_year=2026", headers=vsh)).json()
    assert [p["pupil_id"] for p in seen["persistent_absentees"]] == [cared_for["id"]]
    first_day = (await register.client.get("/api/v1/las/998/figures?from=2026-11-02&to=2026-11-02",
                                           headers=ewo)).json()
    assert (first_day["overall"]["possible_sessions"], first_day["overall"]["attended_sessions"]) == (4, 0)
    assert (await register.client.get("/api/v1/las/999/figures", headers=ewo)).status_code == 403
    assert (await register.client.get("/api/v1/las/998/figures", headers=register.officer())).status_code == 403
