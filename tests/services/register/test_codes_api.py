"""Every national code through the API, with its statistical meaning; dual registration and readmission."""

from __future__ import annotations

from datetime import date

import pytest

from services.register.domain.codes import CODES, CodeCategory
from tests.services.register.conftest import OTHER_URN, SCHOOL_URN, RegisterHarness

pytestmark = pytest.mark.services

MONDAY = date(2026, 11, 16)
EXPECTED = {  # (possible, attended, authorised, unauthorised) for one session
    CodeCategory.PRESENT: (1, 1, 0, 0), CodeCategory.APPROVED_ACTIVITY: (1, 1, 0, 0),
    CodeCategory.AUTHORISED_ABSENCE: (1, 0, 1, 0), CodeCategory.UNAUTHORISED_ABSENCE: (1, 0, 0, 1),
    CodeCategory.NOT_POSSIBLE: (0, 0, 0, 0), CodeCategory.ADMINISTRATIVE: (0, 0, 0, 0),
}


async def test_every_code_counts_by_its_category(register: RegisterHarness) -> None:
    codes = [c for c in CODES if c not in ("\\", "#")]  # \ is the PM present code; # needs a planned closure
    pupils = {}
    for code in codes:
        # X is for pupils below compulsory school age: a reception child who is five in January.
        dob = "2022-01-10" if code == "X" else "2016-05-04"
        pupils[code] = await register.admit(date_of_birth=dob, year_group="R" if code == "X" else "5")
    # C2 only inside an agreed part-time timetable.
    agreed = await register.client.post(
        f"/api/v1/pupils/{pupils['C2']['id']}/part-time-timetables", headers=register.officer(),
        json={"start_date": MONDAY.isoformat(), "end_date": "2026-12-18", "review_date": "2026-12-04",
              "agreed_times": "Afternoons only", "absent_sessions": [{"weekday": "monday", "session": "AM"}],
              "reasons": "Phased return", "parent_name": "Jo Stone", "parent_agreed_on": MONDAY.isoformat()})
    assert agreed.status_code == 201, agreed.text
    body = {"marks": [{"pupil_id": pupils[c]["id"], "code": c} for c in codes]}
    response = await register.client.post(f"/api/v1/schools/{SCHOOL_URN}/sessions/{MONDAY}/AM/marks", json=body,
                                          headers=register.officer())
    assert response.status_code == 200, response.text
    assert response.json()["created"] == len(codes)
    for code in codes:
        figures = (await register.client.get(f"/api/v1/pupils/{pupils[code]['id']}/figures?from={MONDAY}&to={MONDAY}",
                                             headers=register.officer())).json()
        got = (figures["possible_sessions"], figures["attended_sessions"], figures["authorised_absence_sessions"],
               figures["unauthorised_absence_sessions"])
        assert got == EXPECTED[CODES[code].category], code


async def test_dual_registration_and_readmission(register: RegisterHarness) -> None:
    main = await register.admit()
    upn = main["upn"]
    other = await register.admit(urn=OTHER_URN, upn=upn)  # dual registered: on both rolls
    assert (await register.mark(main["id"], "D", MONDAY)).status_code == 200
    assert (await register.mark(other["id"], "/", MONDAY, urn=OTHER_URN)).status_code == 200
    deleted = await register.client.post(
        f"/api/v1/pupils/{main['id']}/deletions", headers=register.officer(),
        json={"ground": "9(1)(a)", "deletion_date": "2026-11-20", "details": "Now registered only at the other school"})
    assert deleted.status_code == 201
    again = await register.admit(upn=upn, admission_date="2026-11-20")
    assert again["id"] != main["id"]
    assert again["on_roll"] is True
