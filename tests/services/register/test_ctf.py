"""The Common Transfer File through register's API: a leaving pupil's CTF (addressed to the new school the deletion
recorded, or destination unknown) admits them at the new school with their prior attendance, through the ordinary
admission; a malformed or invalid file is refused with every problem named by XML path, and nothing is written."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from services.register.domain.ctf.build import build_ctf
from services.register.domain.ctf.parse import parse_ctf
from services.register.models import OutboxEvent, Pupil, School
from shared.auth import Role
from tests.services.register.conftest import LA_CODE, OTHER_URN, SCHOOL_URN, TODAY, RegisterHarness, add_school
from tests.support.identities import bearer, token_for

pytestmark = pytest.mark.services

NEW_URN = "100003"


async def leaver(register: RegisterHarness, **deletion: Any) -> dict[str, Any]:
    """A pupil of SCHOOL_URN with a week of marks, deleted today (or on the date given)."""
    pupil = await register.admit(SCHOOL_URN, admission_date="2026-11-09", legal_forename="Zoë & Co")
    codes = {date(2026, 11, 9): ("/", "\\"), date(2026, 11, 10): ("I", "I"), date(2026, 11, 11): ("N", "C1"),
             date(2026, 11, 12): ("L", "G")}
    for day, (am, pm) in codes.items():
        assert (await register.mark(pupil["id"], am, day, "AM")).status_code == 200
        assert (await register.mark(pupil["id"], pm, day, "PM")).status_code == 200
    body = {"ground": "9(1)(a)", "deletion_date": TODAY.isoformat(),
            "details": "Registered at another school from Monday", **deletion}
    response = await register.client.post(f"/api/v1/pupils/{pupil['id']}/deletions", json=body,
                                          headers=register.officer())
    assert response.status_code == 201, response.text
    return pupil


async def export(register: RegisterHarness, pupil_id: str) -> httpx.Response:
    return await register.client.get(f"/api/v1/pupils/{pupil_id}/ctf", headers=register.officer())


async def import_file(register: RegisterHarness, data: bytes, urn: str = NEW_URN, *,
                      upload: bool = True) -> httpx.Response:
    headers = register.officer(urn)
    if upload:
        return await register.client.post(f"/api/v1/schools/{urn}/ctf", headers=headers,
                                          files={"file": ("transfer.xml", data, "application/xml")})
    return await register.client.post(f"/api/v1/schools/{urn}/ctf", content=data,
                                      headers={**headers, "Content-Type": "application/xml"})


async def pupils_at(register: RegisterHarness, urn: str) -> int:
    async with register.factory() as session:
        return int(await session.scalar(select(func.count()).select_from(Pupil).where(Pupil.school_urn == urn)) or 0)


@pytest.fixture
async def new_school(register: RegisterHarness) -> str:
    """A third school of the LA with its own establishment number (the harness's two share one)."""
    await add_school(register.factory, NEW_URN)
    async with register.factory() as session, session.begin():
        school = await session.get(School, NEW_URN)
        assert school is not None
        school.estab = "3001"
    return NEW_URN


async def test_a_leavers_ctf_admits_them_at_the_new_school_with_prior_attendance(register: RegisterHarness,
                                                                                   new_school: str) -> None:
    pupil = await leaver(register, new_school_urn=new_school)
    response = await export(register, pupil["id"])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/xml")
    assert pupil["upn"] not in response.headers["content-disposition"]
    ctf = parse_ctf(response.content, TODAY)
    assert (ctf.header.destination.la, ctf.header.destination.estab) == (LA_CODE, "3001")
    assert (ctf.header.source.urn, ctf.header.qualifier) == (SCHOOL_URN, "full")
    [sent] = ctf.pupils
    assert (sent.upn, sent.forename, sent.nc_year) == (pupil["upn"], "Zoë & Co", "5")
    assert [c.relationship for c in sent.contacts] == ["Mother", "Other"]
    [year] = sent.attendance
    # 8 sessions marked: / \ L attended; I I C1 authorised; N G unauthorised.
    assert (year.year, year.possible, year.attended, year.authorised, year.unauthorised) == (2026, 8, 3, 3, 2)
    assert year.start_date == date(2026, 11, 9)
    assert year.marks is not None
    assert year.marks.startswith("/\\IINCLG")  # C1 written as C (REGISTER_CTF_MULTI_CHARACTER_MARKS)

    imported = await import_file(register, response.content)
    assert imported.status_code == 201, imported.text
    report = imported.json()
    assert report["admitted"] == 1
    assert report["source_laestab"] == f"{LA_CODE}2001"
    new_id = report["pupils"][0]["pupil_id"]
    record = (await register.client.get(f"/api/v1/pupils/{new_id}", headers=register.officer(new_school))).json()
    assert (record["upn"], record["school_urn"], record["admission_date"]) == (pupil["upn"], new_school,
                                                                               TODAY.isoformat())
    assert record["legal_forename"] == "Zoë & Co"
    assert record["contacts"][0]["name"] == "Jo Stone"
    [prior] = record["prior_attendance"]
    assert (prior["academic_year"], prior["sessions_possible"], prior["sessions_attended"],
            prior["sessions_authorised"], prior["sessions_unauthorised"]) == (2026, 8, 3, 3, 2)
    assert prior["source_laestab"] == f"{LA_CODE}2001"
    # The ordinary admission: its event links the child's earlier admission in the LA.
    async with register.factory() as session:
        events = (await session.scalars(select(OutboxEvent).where(OutboxEvent.event_type == "pupil_admitted",
                                                                  OutboxEvent.pupil_id == uuid.UUID(new_id)))).all()
    [event] = events
    assert event.payload["details"]["earlier_admissions"][0]["pupil_id"] == pupil["id"]


async def test_a_reimport_admits_nobody_twice(register: RegisterHarness, new_school: str) -> None:
    pupil = await leaver(register, new_school_urn=new_school)
    data = (await export(register, pupil["id"])).content
    assert (await import_file(register, data)).status_code == 201
    again = await import_file(register, data, upload=False)
    assert again.status_code == 422
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.json()["errors"] == [{"field": "CTfile/CTFpupilData/Pupil[1]/UPN", "message": "already on roll"}]
    assert await pupils_at(register, new_school) == 1
    # A new pupil in front of the one already on roll is not admitted either: all or none.
    ctf = parse_ctf(data, TODAY)
    newcomer = replace(ctf.pupils[0], upn=register.next_upn(), forename="Newcomer")
    mixed = await import_file(register, build_ctf(replace(ctf, pupils=(newcomer, ctf.pupils[0]))))
    assert mixed.status_code == 422
    assert [e["field"] for e in mixed.json()["errors"]] == ["CTfile/CTFpupilData/Pupil[2]/UPN"]
    assert await pupils_at(register, new_school) == 1


async def test_without_a_new_school_the_file_goes_to_destination_unknown(register: RegisterHarness) -> None:
    pupil = await leaver(register)
    response = await export(register, pupil["id"])
    ctf = parse_ctf(response.content, TODAY)
    assert (ctf.header.destination.la, ctf.header.destination.estab) == ("XXX", "XXXX")
    assert "_CTF_XXXXXXX_" in response.headers["content-disposition"]
    # Whichever school finds the child may take the lost-pupil file in.
    assert (await import_file(register, response.content, OTHER_URN)).status_code == 201


async def test_a_pending_deletion_may_be_exported_but_a_pupil_on_roll_may_not(register: RegisterHarness) -> None:
    pupil = await leaver(register, deletion_date=(TODAY + timedelta(days=3)).isoformat())
    assert (await export(register, pupil["id"])).status_code == 200
    staying = await register.admit(SCHOOL_URN)
    refused = await export(register, staying["id"])
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["field"] == "pupil_id"


async def test_a_file_for_another_school_is_refused(register: RegisterHarness, new_school: str) -> None:
    pupil = await leaver(register, new_school_laestab=f"{LA_CODE}9999")
    response = await import_file(register, (await export(register, pupil["id"])).content)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["CTfile/Header/DestSchool"]


async def test_an_invalid_pupil_stops_the_whole_file(register: RegisterHarness, new_school: str) -> None:
    first = await leaver(register, new_school_urn=new_school)
    ctf = parse_ctf((await export(register, first["id"])).content, TODAY)
    bad = replace(ctf.pupils[0], upn=register.next_upn(), contacts=())
    data = build_ctf(replace(ctf, pupils=(ctf.pupils[0], bad)))
    response = await import_file(register, data)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "CTfile/CTFpupilData/Pupil[2]/Contacts", "message":
                                          "the pupil has no contact: the admission register needs each parent"}]
    assert await pupils_at(register, new_school) == 0


async def test_malformed_files_are_refused_and_nothing_is_written(register: RegisterHarness, new_school: str) -> None:
    for data, field in ((b"<CTfile><Header>", "file"), (b"not xml at all", "file"),
                        (b'<!DOCTYPE CTfile [<!ENTITY x "y">]><CTfile>&x;</CTfile>', "file"),
                        (b"<Transfer/>", "Transfer"), (b"", "file")):
        response = await import_file(register, data, upload=False)
        assert response.status_code == 422, data
        assert response.json()["errors"][0]["field"] == field
    assert await pupils_at(register, new_school) == 0


async def test_the_size_limit_and_the_schools_staff(register: RegisterHarness, new_school: str) -> None:
    register.settings.ctf_max_bytes = 1000
    big = b"<CTfile>" + b" " * 2000 + b"</CTfile>"
    response = await import_file(register, big)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "file"
    other_staff = bearer(token_for(register.platform, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[SCHOOL_URN]))
    refused = await register.client.post(f"/api/v1/schools/{new_school}/ctf", headers=other_staff,
                                         content=b"<CTfile/>")
    assert refused.status_code == 403
