"""A school's duties (rules.md s10): the attendance policy with its required items and review date, the senior
attendance champion, the LA's named point of contact; who may set and read each; bad input named by field."""

from __future__ import annotations

from datetime import timedelta

import pytest

from shared.auth import Role
from shared.contracts.register import SchoolDuties, SchoolSummary, SchoolTermDates
from tests.services.register.conftest import LA_CODE, OTHER_URN, SCHOOL_URN, TODAY, RegisterHarness
from tests.support.identities import bearer, token_for

pytestmark = pytest.mark.services

BASE = f"/api/v1/schools/{SCHOOL_URN}"


def as_role(register: RegisterHarness, role: Role, **scope: object) -> dict[str, str]:
    return bearer(token_for(register.platform, role, name="Someone", **scope))  # type: ignore[arg-type]


def policy(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {"url": "https://school.example.org/attendance-policy.pdf",
                               "review_date": (TODAY + timedelta(days=200)).isoformat(),
                               "covers": ["senior_attendance_champion", "expectations_and_times"]}
    body.update(overrides)
    return body


async def test_the_school_records_its_policy_and_the_la_reads_what_it_covers(register: RegisterHarness) -> None:
    response = await register.client.put(f"{BASE}/attendance-policy", json=policy(), headers=register.officer())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["review_overdue"] is False
    covered = {item["key"] for item in body["items"] if item["covered"]}
    assert covered == {"senior_attendance_champion", "expectations_and_times"}
    assert "leave_of_absence" in body["missing"]
    assert "senior_attendance_champion" not in body["missing"]

    la = as_role(register, Role.LA_EWO, la_code=LA_CODE)
    read = await register.client.get(f"{BASE}/duties", headers=la)
    assert read.status_code == 200, read.text
    duties = SchoolDuties.model_validate(read.json())
    assert duties.attendance_policy is not None
    assert duties.attendance_policy.url == "https://school.example.org/attendance-policy.pdf"
    assert duties.attendance_champion is None
    assert duties.la_contact is None


async def test_a_policy_past_its_review_date_is_flagged_overdue(register: RegisterHarness) -> None:
    body = policy(review_date=(TODAY - timedelta(days=1)).isoformat())
    response = await register.client.put(f"{BASE}/attendance-policy", json=body, headers=register.officer())
    assert response.status_code == 200, response.text
    assert response.json()["review_overdue"] is True
    due_today = policy(review_date=TODAY.isoformat())
    response = await register.client.put(f"{BASE}/attendance-policy", json=due_today, headers=register.officer())
    assert response.json()["review_overdue"] is False


@pytest.mark.parametrize(("overrides", "field"), [
    ({"url": "not a web address"}, "url"),
    ({"url": "ftp://school.example.org/policy"}, "url"),
    ({"review_date": "2027-02-30"}, "review_date"),
    ({"review_date": "next year"}, "review_date"),
    ({"covers": ["a_thing_nobody_asked_for"]}, "covers"),
])
async def test_bad_policy_input_is_refused_naming_the_field(register: RegisterHarness, overrides: dict[str, object],
                                                            field: str) -> None:
    response = await register.client.put(f"{BASE}/attendance-policy", json=policy(**overrides),
                                         headers=register.officer())
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_the_champion_is_named_by_the_school_with_a_work_email(register: RegisterHarness) -> None:
    champion = {"name": "Grace Adeyemi", "role": "Deputy headteacher", "email": "g.adeyemi@school.example.org"}
    response = await register.client.put(f"{BASE}/attendance-champion", json=champion, headers=register.officer())
    assert response.status_code == 200, response.text
    bad = await register.client.put(f"{BASE}/attendance-champion", json={**champion, "email": "not-an-email"},
                                    headers=register.officer())
    assert bad.status_code == 422
    assert "email" in [e["field"] for e in bad.json()["errors"]]
    duties = await register.client.get(f"{BASE}/duties", headers=register.officer())
    assert duties.json()["attendance_champion"] == champion


async def test_only_the_schools_own_staff_set_policy_and_champion(register: RegisterHarness) -> None:
    la = as_role(register, Role.LA_EWO, la_code=LA_CODE)
    governor = as_role(register, Role.GOVERNOR, school_urns=[SCHOOL_URN])
    for headers in (la, governor, register.officer(OTHER_URN)):
        response = await register.client.put(f"{BASE}/attendance-policy", json=policy(), headers=headers)
        assert response.status_code == 403, response.text
        response = await register.client.put(f"{BASE}/attendance-champion", json={}, headers=headers)
        assert response.status_code == 403, response.text  # refused before the body is looked at
    other_la = as_role(register, Role.LA_EWO, la_code="997")
    assert (await register.client.get(f"{BASE}/duties", headers=other_la)).status_code == 403
    assert (await register.client.get(f"{BASE}/duties", headers=register.officer(OTHER_URN))).status_code == 403
    assert (await register.client.get(f"{BASE}/duties", headers=governor)).status_code == 200


async def test_the_la_names_its_point_of_contact_for_the_school(register: RegisterHarness) -> None:
    contact = {"name": "Dev Patel", "email": "dev.patel@testshire.example.gov", "phone": "01632 960 123"}
    refused = await register.client.put(f"{BASE}/la-contact", json=contact, headers=register.officer())
    assert refused.status_code == 403
    other_la = as_role(register, Role.LA_EWO, la_code="997")
    assert (await register.client.put(f"{BASE}/la-contact", json=contact, headers=other_la)).status_code == 403
    la = as_role(register, Role.LA_EWO, la_code=LA_CODE)
    bad = await register.client.put(f"{BASE}/la-contact", json={**contact, "email": "dev"}, headers=la)
    assert bad.status_code == 422
    assert "email" in [e["field"] for e in bad.json()["errors"]]
    response = await register.client.put(f"{BASE}/la-contact", json=contact, headers=la)
    assert response.status_code == 200, response.text

    # Casework reads it from the school list and from the duties.
    schools = await register.client.get("/internal/schools", headers=register.service("casework"))
    mine = next(SchoolSummary.model_validate(s) for s in schools.json() if s["urn"] == SCHOOL_URN)
    assert mine.la_contact is not None
    assert mine.la_contact.name == "Dev Patel"
    duties = await register.client.get(f"/internal/schools/{SCHOOL_URN}/duties", headers=register.service("casework"))
    assert duties.status_code == 200
    assert duties.json()["la_contact"]["email"] == contact["email"]

    cleared = await register.client.delete(f"{BASE}/la-contact", headers=la)
    assert cleared.status_code == 204
    assert (await register.client.get(f"{BASE}/duties", headers=la)).json()["la_contact"] is None


async def test_returns_reads_the_schools_terms(register: RegisterHarness) -> None:
    calendar = {"terms": [{"name": "Autumn", "start_date": "2026-09-03", "end_date": "2026-12-18"},
                          {"name": "Spring", "start_date": "2027-01-05", "end_date": "2027-03-26"}],
                "closures": []}
    put = await register.client.put(f"{BASE}/calendar/2026", json=calendar, headers=register.officer())
    assert put.status_code == 200, put.text
    response = await register.client.get(f"/internal/schools/{SCHOOL_URN}/terms", headers=register.service("returns"))
    assert response.status_code == 200, response.text
    terms = [SchoolTermDates.model_validate(t) for t in response.json()]
    assert [(t.academic_year, t.name) for t in terms] == [(2026, "Autumn"), (2026, "Spring")]
    refused = await register.client.get(f"/internal/schools/{SCHOOL_URN}/terms", headers=register.officer())
    assert refused.status_code in (401, 403)


async def test_the_la_records_an_independent_school_and_its_pupils_carry_it(register: RegisterHarness) -> None:
    pupil = await register.admit()
    la = as_role(register, Role.LA_EWO, la_code=LA_CODE)
    refused = await register.client.put(f"{BASE}/independent", json={"independent": True}, headers=register.officer())
    assert refused.status_code == 403
    response = await register.client.put(f"{BASE}/independent", json={"independent": True}, headers=la)
    assert response.status_code == 200, response.text
    summary = await register.client.get(f"/internal/pupils/{pupil['id']}/summary",
                                        headers=register.service("casework"))
    assert summary.json()["flags"]["independent_school"] is True
    duties = await register.client.get(f"{BASE}/duties", headers=la)
    assert duties.json()["independent"] is True
    # Registers still apply: marks are taken as for any school.
    assert (await register.mark(pupil["id"], "O", TODAY)).status_code in (200, 201)
    await register.client.put(f"{BASE}/independent", json={"independent": False}, headers=la)
    summary = await register.client.get(f"/internal/pupils/{pupil['id']}/summary",
                                        headers=register.service("casework"))
    assert summary.json()["flags"]["independent_school"] is False
