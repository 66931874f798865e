"""The register extract returns are built from: its shape, school days, best marks, deletions and scope."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from services.register.service.extract import best_marks, school_year_of
from shared import clock
from shared.auth import Role
from shared.contracts.returns import RegisterExtract
from tests.services.register.conftest import LA_CODE, OTHER_URN, SCHOOL_URN, RegisterHarness
from tests.services.register.test_school_rules import school_days, set_calendar
from tests.support.identities import bearer, token_for

pytestmark = pytest.mark.services

URL = f"/internal/schools/{SCHOOL_URN}/extract"
RANGE = {"from": "2026-08-01", "to": "2026-11-20"}


async def get_extract(register: RegisterHarness, params: dict[str, str] = RANGE) -> RegisterExtract:
    response = await register.client.get(URL, params=params, headers=register.service("returns"))
    assert response.status_code == 200, response.text
    return RegisterExtract.model_validate(response.json())


async def delete(register: RegisterHarness, pupil: dict[str, Any], ground: str, on: str) -> None:
    response = await register.client.post(
        f"/api/v1/pupils/{pupil['id']}/deletions", headers=register.officer(),
        json={"ground": ground, "deletion_date": on, "details": "Both parents wrote that they will home educate"})
    assert response.status_code == 201, response.text


async def test_extract_has_the_school_year_pupils_days_and_marks(register: RegisterHarness) -> None:
    await set_calendar(register)
    stays = await register.admit(year_group="5", characteristics={"free_school_meals": True, "sen_support": True},
                                 parents=[{"name": "Jo Stone", "relationship": "Mother", "phone": "07700 900123",
                                           "parental_responsibility": True, "lives_with_pupil": True},
                                          {"name": "Rob Stone", "relationship": "Father",
                                           "address": "9 Quay Street, Northshire", "phone": "07700 900124",
                                           "parental_responsibility": True, "lives_with_pupil": False}])
    joined = await register.admit(year_group="3", legal_forename="Noah", admission_date="2026-10-05",
                                  date_of_birth="2018-03-01")
    deleted = await register.admit(legal_forename="Ivy")
    pending = await register.admit(legal_forename="Leo")
    elsewhere = await register.admit(urn=OTHER_URN, legal_forename="Zara")
    await delete(register, deleted, "9(1)(f)", "2026-11-20")
    await delete(register, pending, "9(1)(f)", "2026-12-04")
    for day, session, code in ((date(2026, 11, 16), "AM", "I"), (date(2026, 11, 16), "PM", "I"),
                               (date(2026, 11, 17), "AM", "N"), (date(2026, 10, 23), "AM", "/")):
        assert (await register.mark(stays["id"], code, day, session)).status_code == 200
    assert (await register.mark(elsewhere["id"], "O", date(2026, 11, 17), urn=OTHER_URN)).status_code == 200
    # The current entry after an amendment is the one returns see (the original stays in the history).
    amended = await register.client.post(f"/api/v1/pupils/{stays['id']}/marks/2026-11-17/AM/amendments",
                                         headers=register.officer(),
                                         json={"new_code": "O", "reason": "No reason given by Friday"})
    assert amended.status_code == 201, amended.text

    extract = await get_extract(register)

    assert extract.school.urn == SCHOOL_URN
    assert extract.school.la_code == LA_CODE
    assert (extract.school.most_junior_year_group, extract.school.most_senior_year_group) == ("3", "5")
    assert extract.school.first_day_of_school_year == date(2026, 9, 3)
    assert extract.school.last_day_of_school_year == date(2026, 12, 18)
    assert (extract.from_date, extract.to_date) == (date(2026, 8, 1), date(2026, 11, 20))
    # No August, weekends, half term (26-30 Oct) or the whole-day training day (13 Nov).
    assert extract.school_days == school_days(date(2026, 9, 3), date(2026, 11, 20))
    assert date(2026, 10, 28) not in extract.school_days
    assert date(2026, 11, 13) not in extract.school_days
    assert len(extract.school_days) == 51

    pupils = {str(p.pupil_id): p for p in extract.pupils}
    assert set(pupils) == {stays["id"], joined["id"], deleted["id"], pending["id"]}  # not the other school's
    first = pupils[stays["id"]]
    assert (first.legal_forename, first.legal_surname, first.year_group, first.sex) == ("Amelia", "Stone", "5", "F")
    assert first.upn == stays["upn"]
    assert first.admission_date == date(2026, 9, 3)
    assert first.compulsory_school_age
    assert first.characteristics.free_school_meals
    assert first.characteristics.sen_support
    assert not first.characteristics.looked_after
    assert first.deletion_date is None
    assert [(p.full_name, p.address, p.emergency_phone, p.lives_with_pupil) for p in first.parents] == [
        ("Jo Stone", "1 Mill Lane, Northshire", "07700 900123", True),
        ("Rob Stone", "9 Quay Street, Northshire", "07700 900124", False)]
    assert pupils[joined["id"]].admission_date == date(2026, 10, 5)
    recorded_on = clock.today()
    gone = pupils[deleted["id"]]
    assert (gone.deletion_date, gone.deletion_ground, gone.deletion_recorded_on) == (
        date(2026, 11, 20), "9(1)(f)", recorded_on)
    # A pending deletion dated after the range is in the extract: the return is due before the deletion.
    later = pupils[pending["id"]]
    assert (later.deletion_date, later.deletion_ground) == (date(2026, 12, 4), "9(1)(f)")

    marks = {(str(m.pupil_id), m.session_date, m.session.value): m.code for m in extract.marks}
    assert marks == {(stays["id"], date(2026, 11, 16), "AM"): "I", (stays["id"], date(2026, 11, 16), "PM"): "I",
                     (stays["id"], date(2026, 11, 17), "AM"): "O", (stays["id"], date(2026, 10, 23), "AM"): "/"}

    # A pupil deleted before the range is not in it; one admitted after the range's end neither.
    narrow = await get_extract(register, {"from": "2026-11-23", "to": "2026-11-27"})
    assert {str(p.pupil_id) for p in narrow.pupils} == {stays["id"], joined["id"], pending["id"]}
    early = await get_extract(register, {"from": "2026-09-01", "to": "2026-09-30"})
    assert joined["id"] not in {str(p.pupil_id) for p in early.pupils}
    assert early.school_days[0] == date(2026, 9, 3)
    assert early.marks == []


async def test_extract_without_a_calendar_counts_weekdays(register: RegisterHarness) -> None:
    await register.admit()
    extract = await get_extract(register, {"from": "2026-11-16", "to": "2026-11-29"})
    assert extract.school_days == [date(2026, 11, d) for d in (16, 17, 18, 19, 20, 23, 24, 25, 26, 27)]
    assert extract.school.first_day_of_school_year == date(2026, 9, 1)
    assert extract.school.last_day_of_school_year == date(2027, 7, 30)


def test_best_mark_stands_for_a_session_with_several_marks() -> None:
    pupil = uuid.uuid4()
    day = date(2026, 11, 16)
    rows = [(pupil, day, "AM", "O"), (pupil, day, "AM", "/"), (pupil, day, "PM", "I"), (pupil, day, "PM", "N")]
    assert {(m.session.value, m.code) for m in best_marks(rows, {pupil})} == {("AM", "/"), ("PM", "I")}
    assert best_marks(rows, set()) == []


def test_august_belongs_to_the_coming_school_year() -> None:
    assert school_year_of(date(2026, 8, 1)) == 2026
    assert school_year_of(date(2026, 7, 31)) == 2025


async def test_extract_is_for_services_only_and_checks_its_range(register: RegisterHarness) -> None:
    officer = await register.client.get(URL, params=RANGE, headers=register.officer())
    assert officer.status_code == 403
    la = bearer(token_for(register.platform, Role.LA_EWO, la_code=LA_CODE))
    assert (await register.client.get(URL, params=RANGE, headers=la)).status_code == 403
    assert (await register.client.get(URL, params=RANGE)).status_code == 401
    backwards = await register.client.get(URL, params={"from": "2026-11-20", "to": "2026-11-01"},
                                          headers=register.service("returns"))
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["field"] == "to"
    missing = await register.client.get(URL, params={"from": "2026-11-20"}, headers=register.service("returns"))
    assert missing.status_code == 422
    bad = await register.client.get(URL, params={"from": "yesterday", "to": "2026-11-01"},
                                    headers=register.service("returns"))
    assert bad.status_code == 422
    unknown = await register.client.get("/internal/schools/999999/extract", params=RANGE,
                                        headers=register.service("returns"))
    assert unknown.status_code == 404
