"""Reading, checking and writing Common Transfer Files without a database: a good file, each kind of malformed
or invalid file (named by XML path), the destination rule, attendance as YearData, and the round trip."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from services.register.domain.ctf.attendance import year_data
from services.register.domain.ctf.build import build_ctf
from services.register.domain.ctf.parse import check_destination, parse_ctf
from services.register.domain.ctf.schema import (
    Contact,
    CtfFile,
    CtfProblem,
    CtfPupil,
    Header,
    MarkEncoding,
    SchoolRef,
    YearData,
)
from services.register.domain.sessions import Mark, Session
from services.register.domain.upn import make_upn
from shared import clock

TODAY = clock.today()
SOURCE = SchoolRef("999", "2001", "900001", "Millbrook Primary & Nursery <School>")
DEST = SchoolRef("999", "4001")
UNKNOWN = SchoolRef("XXX", "XXXX")
ENCODING = MarkEncoding({"C1": "C", "J1": "J", "Y1": "Y"})


def pupil(serial: int = 1, **overrides: object) -> CtfPupil:
    fields: dict[str, object] = {
        "upn": make_upn("999", "2001", 20, serial), "surname": "Stone", "forename": "Amelia",
        "date_of_birth": TODAY - timedelta(days=365 * 11), "sex": "F", "nc_year": "6", "middle_names": "Rose",
        "preferred_forename": "Millie", "ethnicity": "WBRI", "looked_after": True,
        "address_lines": ("1 Mill Lane", "Northshire"), "postcode": "NS1 1AA",
        "contacts": (Contact(1, "Jo", "Stone", "Mother", True, "07700 900123", "jo@example.org"),
                  Contact(2, "Sam", "Stone", "Carer", False, "07700 900456")),
        "attendance": (YearData(TODAY.year - 1, "999", "2001", "Millbrook", 300, 280, 15, 5, date(TODAY.year - 1, 9, 3),
                             "/\\/\\IN"),)}
    fields.update(overrides)
    return CtfPupil(**fields)  # type: ignore[arg-type]


def ctf(*pupils: CtfPupil, destination: SchoolRef = DEST) -> CtfFile:
    header = Header("26.0", datetime(TODAY.year, TODAY.month, TODAY.day, 9, 30), "full", SOURCE, str(TODAY.year),
                    destination, "Attendance casework")
    return CtfFile(header, pupils or (pupil(),))


def problems(data: bytes) -> dict[str, str]:
    with pytest.raises(CtfProblem) as caught:
        parse_ctf(data, TODAY)
    return {e["field"]: e["message"] for e in caught.value.errors}


def good() -> bytes:
    return build_ctf(ctf(pupil(1), pupil(2, forename="Ben", sex="M")))


def test_a_built_file_reads_back_the_same() -> None:
    original = ctf(pupil(1), pupil(2, forename="Ben", sex="M", attendance=()))
    data = build_ctf(original)
    assert data.startswith(b"<?xml")
    assert b"Millbrook Primary &amp; Nursery &lt;School&gt;" in data  # text escaped by the XML library
    assert parse_ctf(data, TODAY) == original


def test_the_header_and_pupils_are_read() -> None:
    read = parse_ctf(good(), TODAY)
    assert read.header.source.laestab == "9992001"
    assert read.header.qualifier == "full"
    assert [p.forename for p in read.pupils] == ["Amelia", "Ben"]
    assert read.pupils[0].contacts[0].relationship == "Mother"
    assert read.pupils[0].contacts[1].relationship == "Carer"
    uncle = Contact(3, "Al", "Stone", "Uncle", False)
    again = parse_ctf(build_ctf(ctf(pupil(1, contacts=(uncle,)))), TODAY)
    assert again.pupils[0].contacts[0].relationship == "Other"  # the CTF has no code for an uncle
    assert read.pupils[0].attendance[0].possible == 300


def test_not_xml_is_refused() -> None:
    assert "not well-formed XML" in problems(b"<CTfile><Header></CTfile>")["file"]


def test_entities_and_dtds_are_refused() -> None:
    bomb = (b'<?xml version="1.0"?><!DOCTYPE CTfile [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b"<CTfile>&b;</CTfile>")
    assert "DTD" in problems(bomb)["file"]
    external = b'<?xml version="1.0"?><!DOCTYPE CTfile SYSTEM "http://example.org/x.dtd"><CTfile/>'
    assert "file" in problems(external)


def test_another_root_is_refused() -> None:
    assert problems(b"<Pupils/>") == {"Pupils": "the root element of a CTF is CTfile"}


def test_header_fields_are_checked() -> None:
    data = (good().replace(b"<DocumentName>Common Transfer File</DocumentName>", b"<DocumentName>CTF</DocumentName>")
            .replace(b"<DocumentQualifier>full</DocumentQualifier>", b"<DocumentQualifier>most</DocumentQualifier>")
            .replace(b"<CTFversion>26.0</CTFversion>", b"")
            .replace(b"<LEA>999</LEA>\n      <Estab>4001</Estab>", b"<LEA>99</LEA>\n      <Estab>4001</Estab>"))
    found = problems(data)
    assert set(found) == {"CTfile/Header/DocumentName", "CTfile/Header/DocumentQualifier",
                          "CTfile/Header/CTFversion", "CTfile/Header/DestSchool/LEA"}
    assert found["CTfile/Header/CTFversion"] == "is missing"


def test_each_bad_pupil_field_is_named_by_path() -> None:
    second = pupil(2)
    bad_upn = "A" + second.upn[1:] if second.upn[0] != "A" else "B" + second.upn[1:]
    data = build_ctf(ctf(pupil(1), second)).replace(second.upn.encode(), bad_upn.encode())
    data = data.replace(b"<NCyearActual>6</NCyearActual>", b"<NCyearActual>15</NCyearActual>", 1)
    data = data.replace(b"<Sex>F</Sex>", b"<Sex>X</Sex>", 1)
    found = problems(data)
    assert set(found) == {"CTfile/CTFpupilData/Pupil[2]/UPN", "CTfile/CTFpupilData/Pupil[1]/BasicDetails/NCyearActual",
                          "CTfile/CTFpupilData/Pupil[1]/Sex"}
    assert "check letter" in found["CTfile/CTFpupilData/Pupil[2]/UPN"]


def test_dates_are_checked() -> None:
    born = pupil(1).date_of_birth.isoformat().encode()
    assert "YYYY-MM-DD" in problems(good().replace(born, b"04/05/2015", 1))["CTfile/CTFpupilData/Pupil[1]/DOB"]
    future = (TODAY + timedelta(days=1)).isoformat().encode()
    assert "past" in problems(good().replace(born, future, 1))["CTfile/CTFpupilData/Pupil[1]/DOB"]


def test_a_pupil_needs_contacts_and_an_address() -> None:
    data = build_ctf(ctf(pupil(1, contacts=(), address_lines=())))
    found = problems(data)
    assert set(found) == {"CTfile/CTFpupilData/Pupil[1]/Contacts", "CTfile/CTFpupilData/Pupil[1]/Address"}


def test_attendance_figures_must_add_up() -> None:
    year = YearData(TODAY.year - 1, "999", "2001", None, 10, 8, 2, 1)
    found = problems(build_ctf(ctf(pupil(1, attendance=(year,)))))
    assert list(found) == ["CTfile/CTFpupilData/Pupil[1]/Attendance/YearData[1]/SessionsPossible"]


def test_the_same_upn_twice_is_refused() -> None:
    found = problems(build_ctf(ctf(pupil(1), pupil(1, forename="Twin"))))
    assert found == {"CTfile/CTFpupilData/Pupil[2]/UPN": "the same UPN as Pupil[1]"}


def test_a_file_without_pupils_is_refused() -> None:
    data = build_ctf(replace(ctf(), pupils=()))
    assert "CTfile/CTFpupilData/Pupil" in problems(data)


def test_older_files_say_gender() -> None:
    data = good().replace(b"<Sex>", b"<Gender>").replace(b"</Sex>", b"</Gender>")
    assert [p.sex for p in parse_ctf(data, TODAY).pupils] == ["F", "M"]


def test_destination_must_be_this_school_or_unknown() -> None:
    check_destination(ctf(), "999", "4001", UNKNOWN)
    check_destination(ctf(destination=UNKNOWN), "999", "7001", UNKNOWN)
    with pytest.raises(CtfProblem) as caught:
        check_destination(ctf(), "999", "7001", UNKNOWN)
    assert caught.value.errors[0]["field"] == "CTfile/Header/DestSchool"


def test_year_data_counts_each_academic_year_and_writes_the_marks() -> None:
    monday = date(2026, 7, 20)
    meeting = [(monday + timedelta(days=d), s) for d in (0, 1, 2) for s in (Session.AM, Session.PM)]
    meeting += [(date(2026, 9, 3), Session.AM), (date(2026, 9, 3), Session.PM)]
    marks = [Mark(monday, Session.AM, "/"), Mark(monday, Session.PM, "\\"),
             Mark(monday + timedelta(days=1), Session.AM, "C1"), Mark(monday + timedelta(days=1), Session.PM, "N"),
             Mark(monday + timedelta(days=2), Session.AM, "Y1"),
             Mark(date(2026, 9, 3), Session.AM, "G"), Mark(date(2026, 9, 3), Session.PM, "L")]
    years = year_data(SOURCE, marks, meeting, monday, date(2026, 9, 3), ENCODING)
    assert [(y.year, y.possible, y.attended, y.authorised, y.unauthorised) for y in years] == [
        (2025, 4, 2, 1, 1), (2026, 2, 1, 0, 1)]
    assert years[0].marks == "/\\CNY-"  # Y1 written as Y; the unmarked PM session as '-'
    assert years[0].start_date == monday
    assert years[1].marks == "GL"
    assert (years[0].la, years[0].estab) == ("999", "2001")
