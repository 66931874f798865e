"""Whole-family view: children of the same parents across the LA's schools, and school figures for services."""

from __future__ import annotations

from typing import Any

import pytest

from shared.auth import Role
from shared.contracts.register import SchoolFigures
from tests.services.register.conftest import LA_CODE, OTHER_URN, SCHOOL_URN, RegisterHarness, add_school
from tests.services.register.test_internal import client_for
from tests.support.identities import bearer, token_for

pytestmark = pytest.mark.services

FAR_URN = "100003"  # a school of another LA


def parent(name: str, *, email: str | None = None, phone: str | None = None, address: str | None = None,
           responsibility: bool = True) -> dict[str, Any]:
    return {"name": name, "relationship": "Parent", "email": email, "phone": phone, "address": address,
            "parental_responsibility": responsibility, "lives_with_pupil": True}


async def test_family_finds_children_of_the_same_parents_across_the_la(register: RegisterHarness) -> None:
    await add_school(register.factory, FAR_URN, la_code="997")
    child = await register.admit(parents=[parent("Jo Stone", email="jo.stone@example.org", phone="07700 900123"),
                                          parent("Rob Stone")])
    by_email = await register.admit(urn=OTHER_URN, legal_forename="Noah", year_group="9",
                                    parents=[parent("Joanne Stone", email="JO.Stone@example.org")])
    by_phone = await register.admit(legal_forename="Ivy", parents=[parent("J Stone", phone="07700-900123")])
    by_name_and_address = await register.admit(urn=OTHER_URN, legal_forename="Leo",
                                               parents=[parent("rob stone", phone="07700 900999")])
    # Same name elsewhere, a contact without parental responsibility, another LA, an emergency contact.
    await register.admit(legal_forename="Zara", address="4 Far Road, Northshire", parents=[parent("Jo Stone")])
    await register.admit(legal_forename="Maya",
                         parents=[parent("Jo Stone", email="jo.stone@example.org", responsibility=False),
                                  parent("Kim Lee", email="kim@example.org")])
    await register.admit(urn=FAR_URN, legal_forename="Kai", parents=[parent("Jo Stone", email="jo.stone@example.org")])
    await register.admit(legal_forename="Evie", parents=[parent("Sam Kay", email="sam@example.org")],
                         emergency_contacts=[parent("Jo Stone", phone="07700 900123", responsibility=False)])

    client = client_for(register, "casework")
    try:
        family = await client.family(child["id"])
        of_email_sibling = await client.family(by_email["id"])
    finally:
        await client.aclose()
    assert {str(p.pupil_id) for p in family} == {by_email["id"], by_phone["id"], by_name_and_address["id"]}
    assert {p.school_urn for p in family} == {SCHOOL_URN, OTHER_URN}
    noah = next(p for p in family if str(p.pupil_id) == by_email["id"])
    assert (noah.display_name, noah.year_group, noah.la_code) == ("Noah Stone", "9", LA_CODE)
    assert [str(p.pupil_id) for p in of_email_sibling] == [child["id"]]

    alone = await register.admit(legal_forename="Ruby", parents=[parent("Pat Nobody", email="pat@example.org")])
    lonely = await register.client.get(f"/internal/pupils/{alone['id']}/family", headers=register.service("casework"))
    assert lonely.status_code == 200
    assert lonely.json() == []


async def test_family_is_for_services_only(register: RegisterHarness) -> None:
    pupil = await register.admit()
    path = f"/internal/pupils/{pupil['id']}/family"
    ewo = bearer(token_for(register.platform, Role.LA_EWO, la_code=LA_CODE))
    assert (await register.client.get(path, headers=ewo)).status_code == 403
    assert (await register.client.get(path, headers=register.officer())).status_code == 403
    assert (await register.client.get(path)).status_code == 401
    missing = await register.client.get("/internal/pupils/00000000-0000-0000-0000-000000000000/family",
                                        headers=register.service("casework"))
    assert missing.status_code == 404
    assert (await register.client.get("/internal/pupils/not-a-uuid/family",
                                      headers=register.service("casework"))).status_code == 422


async def test_school_figures_for_services(register: RegisterHarness) -> None:
    pupil = await register.admit()
    for day in ("2026-11-16", "2026-11-17"):
        for session in ("AM", "PM"):
            code = "O" if day == "2026-11-17" else "/" if session == "AM" else "\\"
            response = await register.client.post(f"/api/v1/schools/{SCHOOL_URN}/sessions/{day}/{session}/marks",
                                                  json={"marks": [{"pupil_id": pupil["id"], "code": code}]},
                                                  headers=register.officer())
            assert response.status_code == 200, response.text
    client = client_for(register, "casework")
    try:
        figures = await client.school_figures(SCHOOL_URN, 2026)
    finally:
        await client.aclose()
    assert isinstance(figures, SchoolFigures)
    assert (figures.urn, figures.academic_year) == (SCHOOL_URN, 2026)
    assert (figures.overall.pupils, figures.overall.possible_sessions) == (1, 4)
    assert figures.overall.unauthorised_absence_sessions == 2
    assert [str(p.pupil_id) for p in figures.persistent_absentees] == [pupil["id"]]
    public = await register.client.get(f"/api/v1/schools/{SCHOOL_URN}/figures", params={"academic_year": 2026},
                                       headers=register.officer())
    assert public.json() == figures.model_dump(mode="json")
    path = f"/internal/schools/{SCHOOL_URN}/figures"
    assert (await register.client.get(path, headers=register.officer())).status_code == 403
    assert (await register.client.get("/internal/schools/999999/figures",
                                      headers=register.service("casework"))).status_code == 404
