"""Reading a Common Transfer File: a safe XML parse (defusedxml: no DTDs, entities or external references), then
the structure of rules.md section 14 checked element by element. Every problem is reported with its XML path
(`CTfile/CTFpupilData/Pupil[2]/UPN`), all of them at once, so a school can fix the file in one go."""

from __future__ import annotations

import re
from datetime import date, datetime
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from services.register.domain.ctf.schema import (
    DOCUMENT_NAME,
    ESTAB_PATTERN,
    LA_PATTERN,
    NC_YEARS,
    QUALIFIERS,
    ROOT,
    SEXES,
    URN_PATTERN,
    Contact,
    CtfFile,
    CtfProblem,
    CtfPupil,
    Header,
    SchoolRef,
    YearData,
    relationship_word,
)
from services.register.domain.upn import InvalidUpn, normalise_upn, validate_upn

# DestSchool may hold letters instead of numbers (destination unknown, the LA, outside the maintained sector).
DEST_LA_PATTERN = re.compile(r"^(\d{3}|[A-Z]{3})$")
DEST_ESTAB_PATTERN = re.compile(r"^(\d{4}|[A-Z]{4})$")
YEAR_PATTERN = re.compile(r"^\d{4}$")
TRUE = {"true", "1", "y", "yes"}
FALSE = {"false", "0", "n", "no"}
MAX_NAME = 100
MAX_MARKS = 2 * 366


class _Reader:
    """Collects problems while reading; each read names the element it looked for by path."""

    def __init__(self) -> None:
        self.errors: list[dict[str, str]] = []

    def problem(self, path: str, message: str) -> None:
        self.errors.append({"field": path, "message": message})

    def text(self, parent: Element, path: str, tag: str, *, required: bool = True,
             max_length: int = MAX_NAME) -> str | None:
        child = parent.find(tag)
        value = (child.text or "").strip() if child is not None else ""
        if not value:
            if required:
                self.problem(f"{path}/{tag}", "is missing" if child is None else "is empty")
            return None
        if len(value) > max_length:
            self.problem(f"{path}/{tag}", f"is longer than {max_length} characters")
            return None
        return value

    def matching(self, parent: Element, path: str, tag: str, pattern: re.Pattern[str], what: str,
                 required: bool = True) -> str | None:
        value = self.text(parent, path, tag, required=required)
        if value is not None and not pattern.match(value):
            self.problem(f"{path}/{tag}", f"must be {what}, got {value!r}")
            return None
        return value

    def day(self, parent: Element, path: str, tag: str, required: bool = True) -> date | None:
        value = self.text(parent, path, tag, required=required)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.problem(f"{path}/{tag}", f"must be a date as YYYY-MM-DD, got {value!r}")
            return None

    def count(self, parent: Element, path: str, tag: str) -> int | None:
        value = self.text(parent, path, tag)
        if value is None:
            return None
        if not value.isdigit():
            self.problem(f"{path}/{tag}", f"must be a whole number of sessions, got {value!r}")
            return None
        return int(value)

    def flag(self, parent: Element, path: str, tag: str) -> bool:
        value = self.text(parent, path, tag, required=False)
        if value is None:
            return False
        if value.lower() in TRUE:
            return True
        if value.lower() not in FALSE:
            self.problem(f"{path}/{tag}", f"must be true or false, got {value!r}")
        return False

    def element(self, parent: Element, path: str, tag: str) -> Element | None:
        child = parent.find(tag)
        if child is None:
            self.problem(f"{path}/{tag}", "is missing")
        return child


def parse_ctf(data: bytes, today: date) -> CtfFile:
    """The file's header and pupils, or CtfProblem naming every problem found (nothing partial is returned)."""
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        message = f"a CTF never declares a DTD, entities or external references ({type(exc).__name__})"
        raise CtfProblem([{"field": "file", "message": message}]) from None
    except ParseError as exc:
        raise CtfProblem([{"field": "file", "message": f"not well-formed XML: {exc}"}]) from None
    if root.tag != ROOT:
        raise CtfProblem([{"field": root.tag, "message": f"the root element of a CTF is {ROOT}"}])
    reader = _Reader()
    header = _header(reader, root)
    pupils: list[CtfPupil] = []
    data_element = reader.element(root, ROOT, "CTFpupilData")
    if data_element is not None:
        found = data_element.findall("Pupil")
        if not found:
            reader.problem(f"{ROOT}/CTFpupilData/Pupil", "the file holds no pupil")
        seen: dict[str, int] = {}
        for index, element in enumerate(found, start=1):
            path = f"{ROOT}/CTFpupilData/Pupil[{index}]"
            pupil = _pupil(reader, element, path, today)
            if pupil is None:
                continue
            if pupil.upn in seen:
                reader.problem(f"{path}/UPN", f"the same UPN as Pupil[{seen[pupil.upn]}]")
                continue
            seen[pupil.upn] = index
            pupils.append(pupil)
    if reader.errors or header is None:
        raise CtfProblem(reader.errors)
    return CtfFile(header, tuple(pupils))


def _header(reader: _Reader, root: Element) -> Header | None:
    path = f"{ROOT}/Header"
    element = reader.element(root, ROOT, "Header")
    if element is None:
        return None
    before = len(reader.errors)
    name = reader.text(element, path, "DocumentName")
    if name is not None and name != DOCUMENT_NAME:
        reader.problem(f"{path}/DocumentName", f"must be {DOCUMENT_NAME!r}, got {name!r}")
    version = reader.text(element, path, "CTFversion", max_length=20)
    stamp = reader.text(element, path, "DateTime", max_length=40)
    moment = None
    if stamp is not None:
        try:
            moment = datetime.fromisoformat(stamp)
        except ValueError:
            reader.problem(f"{path}/DateTime", f"must be a date and time as YYYY-MM-DDThh:mm:ss, got {stamp!r}")
    qualifier = reader.text(element, path, "DocumentQualifier", max_length=20)
    if qualifier is not None and qualifier not in QUALIFIERS:
        reader.problem(f"{path}/DocumentQualifier", f"must be full or partial, got {qualifier!r}")
    supplier = reader.text(element, path, "SupplierID", required=False, max_length=200)
    source = dest = None
    academic_year = None
    source_element = reader.element(element, path, "SourceSchool")
    if source_element is not None:
        spath = f"{path}/SourceSchool"
        la = reader.matching(source_element, spath, "LEA", LA_PATTERN, "3 digits")
        estab = reader.matching(source_element, spath, "Estab", ESTAB_PATTERN, "4 digits")
        urn = reader.matching(source_element, spath, "URN", URN_PATTERN, "6 digits", required=False)
        school_name = reader.text(source_element, spath, "SchoolName", max_length=200)
        academic_year = reader.matching(source_element, spath, "AcademicYear", YEAR_PATTERN, "a year such as 2026")
        if la and estab:
            source = SchoolRef(la, estab, urn, school_name)
    dest_element = reader.element(element, path, "DestSchool")
    if dest_element is not None:
        dpath = f"{path}/DestSchool"
        la = reader.matching(dest_element, dpath, "LEA", DEST_LA_PATTERN, "3 digits or 3 capital letters")
        estab = reader.matching(dest_element, dpath, "Estab", DEST_ESTAB_PATTERN, "4 digits or 4 capital letters")
        if la and estab:
            dest = SchoolRef(la, estab)
    if len(reader.errors) > before:
        return None
    assert version
    assert moment
    assert qualifier
    assert source
    assert dest
    assert academic_year
    return Header(version, moment, qualifier, source, academic_year, dest, supplier)


def _pupil(reader: _Reader, element: Element, path: str, today: date) -> CtfPupil | None:
    before = len(reader.errors)
    raw_upn = reader.text(element, path, "UPN", max_length=20)
    upn = normalise_upn(raw_upn) if raw_upn else None
    if upn is not None:
        try:
            validate_upn(upn)
        except InvalidUpn as exc:
            reader.problem(f"{path}/UPN", f"not a valid UPN: {exc}")
    surname = reader.text(element, path, "Surname")
    forename = reader.text(element, path, "Forename")
    born = reader.day(element, path, "DOB")
    if born is not None and born >= today:
        reader.problem(f"{path}/DOB", "the date of birth must be in the past")
    # Newer CTF versions say Sex; older ones Gender.
    sex_tag = "Sex" if element.find("Sex") is not None or element.find("Gender") is None else "Gender"
    sex = reader.text(element, path, sex_tag, max_length=1)
    if sex is not None and sex not in SEXES:
        reader.problem(f"{path}/{sex_tag}", f"must be M or F, got {sex!r}")
    details = reader.element(element, path, "BasicDetails")
    nc_year = middle = preferred_surname = preferred_forename = former = ethnicity = None
    if details is not None:
        dpath = f"{path}/BasicDetails"
        nc_year = reader.text(details, dpath, "NCyearActual", max_length=3)
        if nc_year is not None and nc_year not in NC_YEARS:
            reader.problem(f"{dpath}/NCyearActual", f"must be one of {', '.join(NC_YEARS)}, got {nc_year!r}")
        middle = reader.text(details, dpath, "MiddleNames", required=False, max_length=200)
        preferred_surname = reader.text(details, dpath, "PreferredSurname", required=False)
        preferred_forename = reader.text(details, dpath, "PreferredForename", required=False)
        former = reader.text(details, dpath, "FormerUPN", required=False, max_length=20)
        ethnicity = reader.text(details, dpath, "Ethnicity", required=False, max_length=4)
    looked_after = False
    care = element.find("LookedAfter")
    if care is not None:
        looked_after = reader.flag(care, f"{path}/LookedAfter", "InCare")
    lines, postcode = _address(reader, element, path)
    contacts = _contacts(reader, element, path)
    attendance = _attendance(reader, element, path)
    if len(reader.errors) > before:
        return None
    assert upn
    assert surname
    assert forename
    assert born
    assert sex
    assert nc_year
    return CtfPupil(upn=upn, surname=surname, forename=forename, date_of_birth=born, sex=sex, nc_year=nc_year,
                    middle_names=middle, preferred_surname=preferred_surname, preferred_forename=preferred_forename,
                    former_upn=former, ethnicity=ethnicity, looked_after=looked_after, address_lines=lines,
                    postcode=postcode, contacts=contacts, attendance=attendance)


def _address(reader: _Reader, element: Element, path: str) -> tuple[tuple[str, ...], str | None]:
    address = reader.element(element, path, "Address")
    if address is None:
        return (), None
    apath = f"{path}/Address"
    lines: list[str] = []
    free = address.find("AddressLines")
    structured = address.find("BS7666Address")
    if free is not None:
        lines = [(line.text or "").strip() for line in free if line.tag.startswith("AddressLine")]
    elif structured is not None:
        parts = {child.tag: (child.text or "").strip() for child in structured}
        street = " ".join(p for p in (parts.get("SAON"), parts.get("PAON"), parts.get("Street")) if p)
        lines = [street, *(parts.get(t, "") for t in ("Locality", "Town", "AdministrativeArea", "PostTown"))]
    lines = [line for line in lines if line]
    if not lines:
        reader.problem(apath, "needs AddressLines or a BS7666Address with at least one line")
    if sum(len(line) + 2 for line in lines) > 1000:
        reader.problem(apath, "is longer than 1000 characters")
    postcode = reader.text(address, apath, "PostCode", required=False, max_length=10)
    return tuple(lines), postcode


def _contacts(reader: _Reader, element: Element, path: str) -> tuple[Contact, ...]:
    holder = element.find("Contacts")
    found = holder.findall("Contact") if holder is not None else []
    if not found:
        reader.problem(f"{path}/Contacts", "the pupil has no contact: the admission register needs each parent")
        return ()
    contacts = []
    for index, contact in enumerate(found, start=1):
        cpath = f"{path}/Contacts/Contact[{index}]"
        order = reader.text(contact, cpath, "Order", required=False, max_length=3)
        if order is not None and not order.isdigit():
            reader.problem(f"{cpath}/Order", f"must be a number, got {order!r}")
        surname = reader.text(contact, cpath, "Surname")
        forename = reader.text(contact, cpath, "Forename", required=False)
        relationship = reader.text(contact, cpath, "Relationship", required=False, max_length=100) or "OTH"
        responsible = reader.flag(contact, cpath, "Responsibility")
        phone = contact.find("Phones/Phone/PhoneNo")
        email = contact.find("Email/EmailAddress")
        phone_text = (phone.text or "").strip() if phone is not None else ""
        if len(phone_text) > 40:
            reader.problem(f"{cpath}/Phones/Phone/PhoneNo", "is longer than 40 characters")
        email_text = (email.text or "").strip() if email is not None else ""
        if email_text and ("@" not in email_text or len(email_text) > 320):
            reader.problem(f"{cpath}/Email/EmailAddress", f"not an email address: {email_text!r}")
        if surname is None:
            continue
        contacts.append(Contact(order=int(order) if order and order.isdigit() else index, forename=forename,
                                surname=surname, relationship=relationship_word(relationship),
                                parental_responsibility=responsible, phone=phone_text or None,
                                email=email_text or None))
    return tuple(sorted(contacts, key=lambda c: c.order))


def _attendance(reader: _Reader, element: Element, path: str) -> tuple[YearData, ...]:
    holder = element.find("Attendance")
    if holder is None:
        return ()
    years = []
    for index, year_element in enumerate(holder.findall("YearData"), start=1):
        ypath = f"{path}/Attendance/YearData[{index}]"
        before = len(reader.errors)
        year = reader.matching(year_element, ypath, "Year", YEAR_PATTERN, "a year such as 2026")
        la = reader.matching(year_element, ypath, "LEA", LA_PATTERN, "3 digits")
        estab = reader.matching(year_element, ypath, "Estab", ESTAB_PATTERN, "4 digits")
        school_name = reader.text(year_element, ypath, "SchoolName", required=False, max_length=200)
        possible = reader.count(year_element, ypath, "SessionsPossible")
        authorised = reader.count(year_element, ypath, "SessionsAuthorised")
        attended = reader.count(year_element, ypath, "SessionsAttended")
        unauthorised = reader.count(year_element, ypath, "SessionsUnauthorised")
        if None not in (possible, attended, authorised, unauthorised):
            assert possible is not None
            assert attended is not None
            assert authorised is not None
            assert unauthorised is not None
            if attended + authorised + unauthorised > possible:
                reader.problem(f"{ypath}/SessionsPossible",
                               "fewer than the sessions attended, authorised and unauthorised together")
        start = marks = None
        sessions = year_element.find("AttendSessions")
        if sessions is not None:
            spath = f"{ypath}/AttendSessions"
            start = reader.day(sessions, spath, "AttendanceStartDate")
            marks = reader.text(sessions, spath, "AttendanceMarks", required=False, max_length=MAX_MARKS)
        if len(reader.errors) > before:
            continue
        assert year
        assert la
        assert estab
        assert possible is not None
        assert attended is not None
        assert authorised is not None
        assert unauthorised is not None
        years.append(YearData(year=int(year), la=la, estab=estab, school_name=school_name, possible=possible,
                              attended=attended, authorised=authorised, unauthorised=unauthorised,
                              start_date=start, marks=marks))
    return tuple(years)


def check_destination(ctf: CtfFile, la: str, estab: str, destination_unknown: SchoolRef) -> None:
    """A file for another school is refused; one addressed 'destination unknown' may be taken in by any school that
    finds the child (the lost-pupil route)."""
    dest = ctf.header.destination
    if (dest.la, dest.estab) in ((la, estab), (destination_unknown.la, destination_unknown.estab)):
        return
    raise CtfProblem([{"field": f"{ROOT}/Header/DestSchool",
                       "message": f"the file is addressed to {dest.la}/{dest.estab}, not this school ({la}/{estab})"}])
