"""Writing a Common Transfer File with ElementTree (never by formatting strings, so names with & or < stay text),
in the element order of rules.md section 14; parse.py reads back everything written here."""

from __future__ import annotations

from collections.abc import Sequence
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from services.register.domain.ctf.schema import (
    DOCUMENT_NAME,
    ROOT,
    Contact,
    CtfFile,
    CtfPupil,
    Header,
    YearData,
    relationship_code,
)


def _add(parent: Element, tag: str, value: object | None) -> Element | None:
    """A child with text, left out when there is no value (the CTF omits what it does not know)."""
    if value is None or value == "":
        return None
    child = SubElement(parent, tag)
    child.text = value if isinstance(value, str) else str(value)
    return child


def _bool(value: bool) -> str:
    return "true" if value else "false"


def build_ctf(ctf: CtfFile) -> bytes:
    """The CTF as UTF-8 XML with its declaration."""
    root = Element(ROOT)
    _header(root, ctf.header)
    data = SubElement(root, "CTFpupilData")
    for pupil in ctf.pupils:
        _pupil(data, pupil)
    indent(root)
    return tostring(root, encoding="utf-8", xml_declaration=True)


def _header(root: Element, header: Header) -> None:
    element = SubElement(root, "Header")
    _add(element, "DocumentName", DOCUMENT_NAME)
    _add(element, "CTFversion", header.ctf_version)
    _add(element, "DateTime", header.date_time.replace(microsecond=0, tzinfo=None).isoformat())
    _add(element, "DocumentQualifier", header.qualifier)
    _add(element, "SupplierID", header.supplier_id)
    source = SubElement(element, "SourceSchool")
    _add(source, "LEA", header.source.la)
    _add(source, "Estab", header.source.estab)
    _add(source, "URN", header.source.urn)
    _add(source, "SchoolName", header.source.name)
    _add(source, "AcademicYear", header.academic_year)
    dest = SubElement(element, "DestSchool")
    _add(dest, "LEA", header.destination.la)
    _add(dest, "Estab", header.destination.estab)


def _pupil(parent: Element, pupil: CtfPupil) -> None:
    element = SubElement(parent, "Pupil")
    _add(element, "UPN", pupil.upn)
    _add(element, "Surname", pupil.surname)
    _add(element, "Forename", pupil.forename)
    _add(element, "DOB", pupil.date_of_birth.isoformat())
    _add(element, "Sex", pupil.sex)
    details = SubElement(element, "BasicDetails")
    _add(details, "FormerUPN", pupil.former_upn)
    _add(details, "PreferredSurname", pupil.preferred_surname)
    _add(details, "PreferredForename", pupil.preferred_forename)
    _add(details, "MiddleNames", pupil.middle_names)
    _add(details, "NCyearActual", pupil.nc_year)
    _add(details, "Ethnicity", pupil.ethnicity)
    care = SubElement(element, "LookedAfter")
    _add(care, "InCare", _bool(pupil.looked_after))
    address = SubElement(element, "Address")
    lines = SubElement(address, "AddressLines")
    for number, line in enumerate(pupil.address_lines[:5], start=1):
        _add(lines, f"AddressLine{number}", line)
    _add(address, "PostCode", pupil.postcode)
    _contacts(element, pupil.contacts)
    _attendance(element, pupil.attendance)


def _contacts(parent: Element, contacts: Sequence[Contact]) -> None:
    holder = SubElement(parent, "Contacts")
    for contact in contacts:
        element = SubElement(holder, "Contact")
        _add(element, "Order", contact.order)
        _add(element, "Surname", contact.surname)
        _add(element, "Forename", contact.forename)
        _add(element, "Relationship", relationship_code(contact.relationship))
        _add(element, "Responsibility", _bool(contact.parental_responsibility))
        if contact.phone:
            phone = SubElement(SubElement(element, "Phones"), "Phone")
            _add(phone, "TelephoneType", "H")
            _add(phone, "PhoneNo", contact.phone)
        if contact.email:
            email = SubElement(element, "Email")
            _add(email, "EmailType", "H")
            _add(email, "EmailAddress", contact.email)


def _attendance(parent: Element, years: Sequence[YearData]) -> None:
    if not years:
        return
    holder = SubElement(parent, "Attendance")
    for year in years:
        element = SubElement(holder, "YearData")
        _add(element, "Year", year.year)
        _add(element, "LEA", year.la)
        _add(element, "Estab", year.estab)
        _add(element, "SchoolName", year.school_name)
        _add(element, "SessionsPossible", year.possible)
        _add(element, "SessionsAuthorised", year.authorised)
        _add(element, "SessionsAttended", year.attended)
        _add(element, "SessionsUnauthorised", year.unauthorised)
        if year.start_date is not None:
            sessions = SubElement(element, "AttendSessions")
            _add(sessions, "AttendanceStartDate", year.start_date.isoformat())
            _add(sessions, "AttendanceMarks", year.marks)
