"""The Common Transfer File through the running system: a pupil admitted at one demo school and marked there is
deleted with their new school recorded; the leaving school's CTF is addressed to it; the new school imports the
file, which admits the pupil with their UPN and shows their attendance at the old school; the same file again
admits nobody, and a malformed file is refused naming the XML path. Dates come from shared.clock and the school's
own register, so the test passes on any day."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import httpx
import pytest

from scripts.embedded import EmbeddedSystem
from services.register.domain.ctf.parse import parse_ctf
from services.register.domain.school_age import academic_year_of
from services.register.domain.upn import make_upn
from shared import clock
from shared.auth import Role
from shared.demo import DEMO_LA_CODE
from tests.e2e.test_walking_skeleton import SETTINGS, Register
from tests.support.identities import bearer, token_for

pytestmark = pytest.mark.e2e

LEAVING_URN, LEAVING_ESTAB = "900002", "4001"  # Harbour View Academy
NEW_URN, NEW_ESTAB = "900003", "7001"  # Oakfield Special School


def officer(urn: str) -> dict[str, str]:
    return bearer(token_for(SETTINGS, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[urn], name="Cal Transfer"))


def admit(register: str) -> dict[str, Any]:
    for _ in range(20):
        upn = make_upn(DEMO_LA_CODE, LEAVING_ESTAB, "26", f"{random.randint(10, 99)}{random.choice('ABCDEFGH')}")
        response = httpx.post(f"{register}/api/v1/schools/{LEAVING_URN}/pupils", headers=officer(LEAVING_URN), json={
            "upn": upn, "legal_forename": "Tamsin", "legal_surname": "O'Transfer", "date_of_birth": "2013-03-14",
            "sex": "F", "year_group": "8", "address": "7 Quay Street, Northshire", "postcode": "NS2 7QS",
            "admission_date": (clock.today() - timedelta(days=70)).isoformat(),
            "parents": [{"name": "Rhian O'Transfer", "relationship": "Mother", "email": "rhian@example.org",
                         "phone": "07700 900777", "parental_responsibility": True, "lives_with_pupil": True}]},
            timeout=30)
        if response.status_code == 201:
            pupil: dict[str, Any] = response.json()
            return pupil
    raise AssertionError(f"could not admit a pupil: {response.text}")


def test_a_leavers_ctf_admits_them_at_the_new_school_with_their_attendance(system: EmbeddedSystem) -> None:
    register = system.config.url("register")
    pupil = admit(register)
    ref = {"pupil_id": pupil["id"], "school_urn": LEAVING_URN}
    day = Register(system).mark_latest_school_day(ref, "AM", "/")
    assert Register(system).mark(ref, day, "PM", "I").status_code == 200

    deleted = httpx.post(f"{register}/api/v1/pupils/{pupil['id']}/deletions", headers=officer(LEAVING_URN), json={
        "ground": "9(1)(a)", "deletion_date": clock.today().isoformat(), "new_school_urn": NEW_URN,
        "details": "Registered at Oakfield Special School"}, timeout=30)
    assert deleted.status_code == 201, deleted.text

    exported = httpx.get(f"{register}/api/v1/pupils/{pupil['id']}/ctf", headers=officer(LEAVING_URN), timeout=60)
    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"].startswith("application/xml")
    ctf = parse_ctf(exported.content, clock.today())
    assert (ctf.header.destination.la, ctf.header.destination.estab) == (DEMO_LA_CODE, NEW_ESTAB)
    assert abs((ctf.header.date_time.date() - clock.today()).days) <= 1  # stamped from shared.clock
    [sent] = ctf.pupils
    assert (sent.upn, sent.surname) == (pupil["upn"], "O'Transfer")
    year = next(y for y in sent.attendance if y.year == academic_year_of(day))
    assert (year.possible, year.attended, year.authorised, year.unauthorised) == (2, 1, 1, 0)

    imported = httpx.post(f"{register}/api/v1/schools/{NEW_URN}/ctf", headers=officer(NEW_URN), timeout=60,
                          files={"file": ("transfer.xml", exported.content, "application/xml")})
    assert imported.status_code == 201, imported.text
    [admitted] = imported.json()["pupils"]
    record = httpx.get(f"{register}/api/v1/pupils/{admitted['pupil_id']}", headers=officer(NEW_URN), timeout=30)
    assert record.status_code == 200, record.text
    body = record.json()
    assert (body["upn"], body["school_urn"], body["on_roll"]) == (pupil["upn"], NEW_URN, True)
    prior = next(p for p in body["prior_attendance"] if p["academic_year"] == academic_year_of(day))
    assert (prior["la_code"], prior["estab"], prior["sessions_possible"], prior["sessions_attended"],
            prior["sessions_authorised"]) == (DEMO_LA_CODE, LEAVING_ESTAB, 2, 1, 1)

    again = httpx.post(f"{register}/api/v1/schools/{NEW_URN}/ctf", headers=officer(NEW_URN), timeout=60,
                       files={"file": ("transfer.xml", exported.content, "application/xml")})
    assert again.status_code == 422
    assert again.json()["errors"] == [{"field": "CTfile/CTFpupilData/Pupil[1]/UPN", "message": "already on roll"}]


def test_a_malformed_ctf_is_refused_naming_the_xml_path(system: EmbeddedSystem) -> None:
    register = system.config.url("register")
    bad = (b"<?xml version='1.0'?><CTfile><Header><DocumentName>Common Transfer File</DocumentName>"
           b"<CTFversion>26.0</CTFversion><DateTime>2026-12-07T09:00:00</DateTime>"
           b"<DocumentQualifier>full</DocumentQualifier><SourceSchool><LEA>999</LEA><Estab>4001</Estab>"
           b"<SchoolName>Harbour View Academy</SchoolName><AcademicYear>2026</AcademicYear></SourceSchool>"
           b"<DestSchool><LEA>999</LEA><Estab>7001</Estab></DestSchool></Header><CTFpupilData><Pupil>"
           b"<UPN>A999400126001</UPN><Surname>Doe</Surname><Forename>Jo</Forename><DOB>2013-02-30</DOB>"
           b"<Sex>F</Sex></Pupil></CTFpupilData></CTfile>")
    response = httpx.post(f"{register}/api/v1/schools/{NEW_URN}/ctf", content=bad, timeout=60,
                          headers={**officer(NEW_URN), "Content-Type": "application/xml"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"CTfile/CTFpupilData/Pupil[1]/UPN", "CTfile/CTFpupilData/Pupil[1]/DOB",
            "CTfile/CTFpupilData/Pupil[1]/BasicDetails", "CTfile/CTFpupilData/Pupil[1]/Contacts"} <= fields
