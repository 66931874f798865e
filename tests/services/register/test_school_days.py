"""The school days journeys count by: a school's own calendar across half terms, holidays and school years, how
far its calendars are set up, bad ranges and who may ask."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from shared.auth import Role
from shared.contracts.register import SchoolDays
from tests.services.register.conftest import LA_CODE, SCHOOL_URN, RegisterHarness
from tests.support.identities import bearer, token_for

pytestmark = pytest.mark.services

URL = f"/internal/schools/{SCHOOL_URN}/school-days"
YEAR_2026 = {
    "terms": [
        {"name": "Autumn", "start_date": "2026-09-03", "end_date": "2026-12-18",
         "half_term_start": "2026-10-26", "half_term_end": "2026-10-30"},
        {"name": "Spring", "start_date": "2027-01-05", "end_date": "2027-03-26",
         "half_term_start": "2027-02-15", "half_term_end": "2027-02-19"},
        {"name": "Summer", "start_date": "2027-04-12", "end_date": "2027-07-21",
         "half_term_start": "2027-05-31", "half_term_end": "2027-06-04"},
    ],
    "closures": [{"closure_date": "2026-11-13", "reason": "Staff training day"},
                 {"closure_date": "2027-01-05", "reason": "INSET"}],
}


def weekdays(start: date, end: date) -> list[date]:
    days = (start + timedelta(days=n) for n in range((end - start).days + 1))
    return [d for d in days if d.weekday() < 5]


async def set_calendar(register: RegisterHarness, year: int, body: dict[str, Any]) -> None:
    response = await register.client.put(f"/api/v1/schools/{SCHOOL_URN}/calendar/{year}", json=body,
                                         headers=register.officer())
    assert response.status_code == 200, response.text


async def get_days(register: RegisterHarness, start: str, end: str) -> SchoolDays:
    response = await register.client.get(URL, params={"from": start, "to": end},
                                         headers=register.service("journey-worker"))
    assert response.status_code == 200, response.text
    return SchoolDays.model_validate(response.json())


async def test_days_across_a_half_term_a_closure_and_the_christmas_holiday(register: RegisterHarness) -> None:
    await set_calendar(register, 2026, YEAR_2026)
    days = await get_days(register, "2026-10-19", "2027-01-08")
    expected = [d for d in weekdays(date(2026, 10, 19), date(2026, 12, 18))
                if not date(2026, 10, 26) <= d <= date(2026, 10, 30) and d != date(2026, 11, 13)]
    expected += [date(2027, 1, 6), date(2027, 1, 7), date(2027, 1, 8)]  # the 5th is an INSET day
    assert days.school_days == expected
    assert (days.school_urn, days.from_date, days.to_date) == (SCHOOL_URN, date(2026, 10, 19), date(2027, 1, 8))
    assert days.known_until == date(2027, 1, 8)  # the whole range has a calendar


async def test_a_school_year_without_a_calendar_ends_what_is_known(register: RegisterHarness) -> None:
    await set_calendar(register, 2026, YEAR_2026)
    days = await get_days(register, "2027-07-12", "2027-09-10")
    # The summer holiday of the set-up year has no school days; the next year, not set up, has every weekday.
    assert days.school_days == weekdays(date(2027, 7, 12), date(2027, 7, 21)) + weekdays(date(2027, 9, 1),
                                                                                          date(2027, 9, 10))
    assert days.known_until == date(2027, 8, 31)


async def test_the_next_years_calendar_is_read_across_the_year_boundary(register: RegisterHarness) -> None:
    await set_calendar(register, 2026, YEAR_2026)
    await set_calendar(register, 2027, {"terms": [{"name": "Autumn", "start_date": "2027-09-02",
                                                   "end_date": "2027-12-17"}],
                                        "closures": [{"closure_date": "2027-09-02", "reason": "INSET"}]})
    days = await get_days(register, "2027-07-19", "2027-09-07")
    assert days.school_days == [date(2027, 7, 19), date(2027, 7, 20), date(2027, 7, 21), date(2027, 9, 3),
                                date(2027, 9, 6), date(2027, 9, 7)]
    assert days.known_until == date(2027, 9, 7)


async def test_without_a_calendar_for_the_first_year_nothing_is_known(register: RegisterHarness) -> None:
    days = await get_days(register, "2026-11-16", "2026-11-22")
    assert days.school_days == weekdays(date(2026, 11, 16), date(2026, 11, 20))
    assert days.known_until is None


async def test_a_range_of_three_school_years_is_answered(register: RegisterHarness) -> None:
    await set_calendar(register, 2026, YEAR_2026)
    days = await get_days(register, "2026-09-01", "2029-08-31")
    assert days.school_days[0] == date(2026, 9, 3)
    assert days.known_until == date(2027, 8, 31)


@pytest.mark.parametrize(("params", "field"), [
    ({"from": "2026-11-20", "to": "2026-11-19"}, "to"),
    ({"from": "2026-09-01", "to": "2030-09-01"}, "to"),
    ({"from": "20th November", "to": "2026-11-19"}, "from"),
    ({"to": "2026-11-19"}, "from"),
    ({"from": "2026-11-20", "to": "2026-02-30"}, "to"),
])
async def test_bad_ranges_name_the_field(register: RegisterHarness, params: dict[str, str], field: str) -> None:
    response = await register.client.get(URL, params=params, headers=register.service("journey-worker"))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_unknown_school_and_people_are_refused(register: RegisterHarness) -> None:
    params = {"from": "2026-11-16", "to": "2026-11-20"}
    missing = await register.client.get("/internal/schools/999999/school-days", params=params,
                                        headers=register.service("journey-worker"))
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    ewo = bearer(token_for(register.platform, Role.LA_EWO, la_code=LA_CODE))
    assert (await register.client.get(URL, params=params, headers=ewo)).status_code == 403
    assert (await register.client.get(URL, params=params, headers=register.officer())).status_code == 403
    assert (await register.client.get(URL, params=params)).status_code == 401
