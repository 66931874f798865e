"""An academic year's school and LA figures, added up in the database from the tallies, equal the same figures
counted pupil by pupil from the marks over the same days (the date-range path), lists and their order included."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from shared.auth import Role
from tests.services.register.conftest import LA_CODE, OTHER_URN, SCHOOL_URN, RegisterHarness
from tests.support.identities import bearer, token_for

pytestmark = pytest.mark.services

DAYS = [day for day in (date(2026, 11, 2) + timedelta(days=i) for i in range(12)) if day.weekday() < 5]
RANGE = f"from={DAYS[0].isoformat()}&to={DAYS[-1].isoformat()}"

# (school, sessions absent of 20 (O), sessions off site (B, present), characteristics); names all differ.
PUPILS: list[tuple[str, int, int, dict[str, Any]]] = [
    (SCHOOL_URN, 0, 0, {"year_group": "R", "sex": "M"}),
    (SCHOOL_URN, 1, 0, {"year_group": "5", "characteristics": {"free_school_meals": True}}),  # 95%: amber
    (SCHOOL_URN, 2, 1, {"year_group": "5", "characteristics": {"sen_support": True, "ethnicity": "WBRI"}}),  # 10%
    (SCHOOL_URN, 10, 0, {"year_group": "11", "characteristics": {"ehcp": True, "looked_after": True}}),  # 50%: severe
    (SCHOOL_URN, 3, 0, {"year_group": "N2", "characteristics": {"ehcp": True, "pupil_premium": True}}),
    (SCHOOL_URN, 3, 2, {"year_group": "2", "preferred_forename": "Zed", "characteristics": {
        "looked_after": True, "child_in_need": True, "ethnicity": "AIND"}}),  # 15%, the same rate as above
    (OTHER_URN, 1, 3, {"year_group": "5", "sex": "M", "characteristics": {"previously_looked_after": True}}),
    (OTHER_URN, 12, 0, {"year_group": "7", "characteristics": {"child_protection_plan": True}}),
    (OTHER_URN, 0, 0, {"year_group": "7"}),
]


async def admit_and_mark(register: RegisterHarness) -> dict[str, list[str]]:
    """Admit the pupils and mark every session of DAYS, one whole-school request a session."""
    ids: dict[str, list[str]] = {SCHOOL_URN: [], OTHER_URN: []}
    codes: dict[str, list[str]] = {}
    for n, (urn, absent, off_site, details) in enumerate(PUPILS):
        pupil = await register.admit(urn=urn, legal_forename=f"Pupil{n:02d}", **details)
        ids[urn].append(pupil["id"])
        codes[pupil["id"]] = ["O"] * absent + ["B"] * off_site + ["/"] * (20 - absent - off_site)
    for i, (day, session) in enumerate((d, s) for d in DAYS for s in ("AM", "PM")):
        for urn, pupils in ids.items():
            marks = [{"pupil_id": p, "code": codes[p][i] if session == "AM" or codes[p][i] != "/" else "\\"}
                     for p in pupils]
            response = await register.client.post(
                f"/api/v1/schools/{urn}/sessions/{day.isoformat()}/{session}/marks", json={"marks": marks},
                headers=register.officer(urn))
            assert response.status_code == 200, response.text
    return ids


def without_period(figures: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in figures.items() if k not in ("from_date", "to_date")}


async def test_la_year_figures_equal_a_count_of_the_marks(register: RegisterHarness) -> None:
    ids = await admit_and_mark(register)
    first, other = ids[SCHOOL_URN], ids[OTHER_URN]
    ewo = bearer(token_for(register.platform, Role.LA_EWO, la_code=LA_CODE))
    year = (await register.client.get(f"/api/v1/las/{LA_CODE}/figures?academic_year=2026", headers=ewo)).json()
    counted = (await register.client.get(f"/api/v1/las/{LA_CODE}/figures?{RANGE}", headers=ewo)).json()
    assert without_period(year) == without_period(counted)
    assert year["overall"]["pupils"] == len(PUPILS)
    assert year["overall"]["possible_sessions"] == 20 * len(PUPILS)
    assert (year["overall"]["persistent_absence_pupils"], year["overall"]["severe_absence_pupils"]) == (5, 2)
    # Lowest attendance first; the two at 85% by name (Pupil04 before Zed).
    assert [p["pupil_id"] for p in year["persistent_absentees"]] == [other[1], first[3], first[4], first[5], first[2]]
    assert [p["severe_absence"] for p in year["persistent_absentees"]] == [True, True, False, False, False]
    assert [p["attendance_rate"] for p in year["persistent_absentees"]] == ["40", "50", "85", "85", "90"]
    assert [p["display_name"] for p in year["persistent_absentees"]][2:4] == ["Pupil04 Stone", "Zed Stone"]
    assert {p["pupil_id"] for p in year["at_risk"]} == {first[1], other[0]}
    sen = {g["group"]: g["pupils"] for g in year["breakdowns"]["sen"]}
    assert sen == {"EHCP": 2, "SEN support": 1, "No SEN": 6}
    assert [g["group"] for g in year["breakdowns"]["year_group"]] == ["N2", "R", "2", "5", "7", "11"]
    ethnicity = {g["group"]: g["pupils"] for g in year["breakdowns"]["ethnicity"]}
    assert ethnicity == {"AIND": 1, "Not known": 7, "WBRI": 1}
    schools = {g["group"]: g["persistent_absence_pupils"] for g in year["breakdowns"]["school"]}
    assert schools == {SCHOOL_URN: 4, OTHER_URN: 1}

    vsh = bearer(token_for(register.platform, Role.VIRTUAL_SCHOOL_HEAD, la_code=LA_CODE))
    seen = (await register.client.get(f"/api/v1/las/{LA_CODE}/figures?academic_year=2026", headers=vsh)).json()
    assert [p["pupil_id"] for p in seen["persistent_absentees"]] == [first[3], first[5]]
    assert seen["at_risk"] == []
    assert seen["overall"] == year["overall"]
    assert without_period(seen) == without_period(
        (await register.client.get(f"/api/v1/las/{LA_CODE}/figures?{RANGE}", headers=vsh)).json())
    other_la = bearer(token_for(register.platform, Role.LA_EWO, la_code="999"))
    assert (await register.client.get(f"/api/v1/las/{LA_CODE}/figures", headers=other_la)).status_code == 403


async def test_school_year_figures_equal_a_count_of_the_marks(register: RegisterHarness) -> None:
    ids = await admit_and_mark(register)
    year = (await register.client.get(f"/api/v1/schools/{SCHOOL_URN}/figures?academic_year=2026",
                                      headers=register.officer())).json()
    counted = (await register.client.get(f"/api/v1/schools/{SCHOOL_URN}/figures?{RANGE}",
                                         headers=register.officer())).json()
    assert without_period(year) == without_period(counted)
    assert year["overall"]["pupils"] == 6
    assert {p["pupil_id"] for p in year["persistent_absentees"]} == set(ids[SCHOOL_URN][2:])
    governor = bearer(token_for(register.platform, Role.GOVERNOR, school_urns=[SCHOOL_URN]))
    seen = (await register.client.get(f"/api/v1/schools/{SCHOOL_URN}/figures?academic_year=2026",
                                      headers=governor)).json()
    assert (seen["persistent_absentees"], seen["at_risk"]) == ([], [])
    assert seen["breakdowns"] == year["breakdowns"]


async def test_an_la_with_no_marks_has_empty_figures(register: RegisterHarness) -> None:
    ewo = bearer(token_for(register.platform, Role.LA_EWO, la_code=LA_CODE))
    year = (await register.client.get(f"/api/v1/las/{LA_CODE}/figures?academic_year=2026", headers=ewo)).json()
    assert year["overall"] == {"group": "All pupils", "pupils": 0, "possible_sessions": 0, "attended_sessions": 0,
                               "authorised_absence_sessions": 0, "unauthorised_absence_sessions": 0,
                               "attendance_rate": None, "absence_rate": None, "persistent_absence_pupils": 0,
                               "severe_absence_pupils": 0}
    assert year["breakdowns"]["school"] == []
    assert (year["persistent_absentees"], year["at_risk"]) == ([], [])
