"""The Common Transfer File in the register: admitting the pupils of a CTF through the ordinary admission (every
admission rule, the admission event and the links to earlier admissions apply), all or none, keeping the prior
attendance it carries; and writing a leaving pupil's CTF from the admission and attendance registers."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError

from services.register import repository
from services.register.domain.ctf.attendance import year_data
from services.register.domain.ctf.build import build_ctf
from services.register.domain.ctf.parse import check_destination, parse_ctf
from services.register.domain.ctf.schema import (
    ROOT,
    Contact,
    CtfFile,
    CtfProblem,
    CtfPupil,
    Header,
    MarkEncoding,
    SchoolRef,
    YearData,
)
from services.register.domain.school_age import academic_year_of
from services.register.domain.sessions import Mark, Session
from services.register.models import ContactKind, PriorAttendance, Pupil, PupilDeletion, School
from services.register.schemas import (
    AdmissionRequest,
    CtfAdmission,
    CtfImportReport,
)
from services.register.service import access, admissions, calendar
from services.register.service.context import Register
from services.register.settings import RegisterSettings
from shared import clock
from shared.auth import Identity
from shared.errors import Conflict, InvalidInput, ServiceError
from shared.unit_of_work import Db

# Where an admission field's problem lies in the pupil's XML.
FIELD_PATHS = {"upn": "UPN", "legal_forename": "Forename", "legal_surname": "Surname", "date_of_birth": "DOB",
               "sex": "Sex", "year_group": "BasicDetails/NCyearActual",
               "legal_middle_names": "BasicDetails/MiddleNames",
               "preferred_forename": "BasicDetails/PreferredForename",
               "preferred_surname": "BasicDetails/PreferredSurname", "address": "Address",
               "postcode": "Address/PostCode", "parents": "Contacts", "emergency_contacts": "Contacts",
               "characteristics": "BasicDetails"}


class CtfRejected(InvalidInput):
    """The file is malformed or some pupils cannot be admitted; nothing was written."""


def destination_unknown(settings: RegisterSettings) -> SchoolRef:
    return SchoolRef(settings.ctf_destination_unknown_la, settings.ctf_destination_unknown_estab)


def mark_encoding(settings: RegisterSettings) -> MarkEncoding:
    return MarkEncoding(settings.ctf_multi_character_marks)


def _rejected(errors: list[dict[str, str]]) -> CtfRejected:
    return CtfRejected(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in the Common Transfer File; "
                       "nobody was admitted.", errors=errors)


def _admission(pupil: CtfPupil, source: SchoolRef, admission_date: date) -> dict[str, Any]:
    def person(contact: Contact) -> dict[str, Any]:
        name = " ".join(p for p in (contact.forename, contact.surname) if p)
        return {"name": name, "relationship": contact.relationship, "email": contact.email, "phone": contact.phone,
                "parental_responsibility": contact.parental_responsibility,
                # The CTF does not say whom the child lives with; a parent with responsibility is taken to, and
                # the school corrects the register entry where that is wrong.
                "lives_with_pupil": contact.parental_responsibility}

    parents = [c for c in pupil.contacts if c.parental_responsibility] or list(pupil.contacts[:1])
    others = [c for c in pupil.contacts if c not in parents]
    previous = f"{source.name or 'School'} ({source.laestab})"
    return {"upn": pupil.upn, "legal_forename": pupil.forename, "legal_surname": pupil.surname,
            "legal_middle_names": pupil.middle_names, "preferred_forename": pupil.preferred_forename,
            "preferred_surname": pupil.preferred_surname, "date_of_birth": pupil.date_of_birth, "sex": pupil.sex,
            "year_group": pupil.nc_year, "address": ", ".join(pupil.address_lines), "postcode": pupil.postcode,
            "admission_date": admission_date, "previous_school": previous[:200],
            "characteristics": {"looked_after": pupil.looked_after, "ethnicity": pupil.ethnicity},
            "parents": [person(c) for c in parents], "emergency_contacts": [person(c) for c in others]}


def _path_of(pupil_path: str, location: tuple[Any, ...] | list[Any] | str) -> str:
    first = location[0] if isinstance(location, tuple | list) and location else str(location).split(".")[0]
    if first == "admission_date":
        return "admission_date"  # the request's, not the file's
    return f"{pupil_path}/{FIELD_PATHS.get(str(first), str(first))}"


async def import_ctf(reg: Register, identity: Identity, school: School, data: bytes, admission_date: date,
                     today: date, settings: RegisterSettings) -> CtfImportReport:
    """Admit every pupil of the file or none; raises CtfRejected naming each problem by XML path."""
    db = reg.db
    access.require_register_keeper(identity, school)
    if len(data) > settings.ctf_max_bytes:
        raise CtfRejected(f"The file is larger than {settings.ctf_max_bytes} bytes.", field="file")
    try:
        ctf = parse_ctf(data, today)
        check_destination(ctf, school.la_code, school.estab, destination_unknown(settings))
    except CtfProblem as exc:
        raise _rejected(exc.errors) from None
    errors: list[dict[str, str]] = []
    admitted: list[CtfAdmission] = []
    for index, pupil in enumerate(ctf.pupils, start=1):
        path = f"{ROOT}/CTFpupilData/Pupil[{index}]"
        try:
            request = AdmissionRequest.model_validate(_admission(pupil, ctf.header.source, admission_date))
        except ValidationError as exc:
            errors += [{"field": _path_of(path, e["loc"]), "message": e["msg"]} for e in exc.errors()]
            continue
        try:
            # admit() checks everything before it writes, so a refused pupil leaves nothing behind.
            row = await admissions.admit(db, identity, school, request, today)
        except ServiceError as exc:
            errors += [{"field": _path_of(path, str(p.get("field", ""))), "message": str(p.get("message", ""))}
                       for p in exc.errors] or [{"field": path, "message": exc.detail}]
            continue
        for year in pupil.attendance:
            repository.add(db, PriorAttendance(
                pupil_id=row.id, academic_year=year.year, la_code=year.la, estab=year.estab,
                school_name=year.school_name, sessions_possible=year.possible, sessions_attended=year.attended,
                sessions_authorised=year.authorised, sessions_unauthorised=year.unauthorised,
                attendance_start_date=year.start_date, attendance_marks=year.marks,
                source_laestab=ctf.header.source.laestab))
        admitted.append(CtfAdmission(pupil_id=row.id, display_name=row.display_name, year_group=row.year_group,
                                     prior_attendance_years=len(pupil.attendance)))
    if errors:
        raise _rejected(errors)
    await db.flush()
    result = CtfImportReport(admitted=len(admitted), source_laestab=ctf.header.source.laestab, pupils=admitted)
    await reg.commit()
    return result


async def _destination(db: Db, deletion: PupilDeletion | None,
                       settings: RegisterSettings) -> SchoolRef:
    """The new school the deletion recorded, else the destination-unknown addressing (the lost-pupil route)."""
    if deletion is not None and deletion.new_school_laestab:
        code = deletion.new_school_laestab
        return SchoolRef(code[:3], code[3:], deletion.new_school_urn, deletion.new_school_name)
    if deletion is not None and deletion.new_school_urn:
        known = await repository.schools.get_school(db, deletion.new_school_urn)
        if known is not None:
            return SchoolRef(known.la_code, known.estab, known.urn, known.name)
    return destination_unknown(settings)


def _split_name(name: str) -> tuple[str | None, str]:
    words = name.split()
    return (" ".join(words[:-1]) or None, words[-1]) if words else (None, name)


async def export_ctf(reg: Register, identity: Identity, pupil: Pupil, school: School, today: date,
                     settings: RegisterSettings) -> tuple[bytes, SchoolRef]:
    """The leaving pupil's CTF and whom it is addressed to. Only for a pupil who has left or is leaving."""
    db = reg.db
    access.require_register_keeper(identity, school)
    deletion = (await repository.pupils.deletions_of(db, [pupil.id])).get(pupil.id)
    if pupil.on_roll and (deletion is None or deletion.status != "pending"):
        raise Conflict("A Common Transfer File is sent when a pupil leaves: record the deletion first.",
                       errors=[{"field": "pupil_id", "message": "on roll with no pending deletion"}])
    end = min(pupil.leaving_date or (deletion.deletion_date if deletion else today), today)
    source = SchoolRef(school.la_code, school.estab, school.urn, school.name)
    rows = await repository.marks.marks_between(db, pupil.id, pupil.admission_date, end)
    marks = [Mark(m.session_date, Session(m.session), m.code) for m in rows]
    meeting = await calendar.meeting_timetable(db, school.urn, pupil.admission_date, end)
    years = year_data(source, marks, meeting.sessions, pupil.admission_date, end, mark_encoding(settings))
    earlier = [YearData(year=p.academic_year, la=p.la_code, estab=p.estab, school_name=p.school_name,
                        possible=p.sessions_possible, attended=p.sessions_attended,
                        authorised=p.sessions_authorised, unauthorised=p.sessions_unauthorised,
                        start_date=p.attendance_start_date, marks=p.attendance_marks)
               for p in await admissions.prior_attendance(db, pupil.id)]
    contacts: list[Contact] = []
    for contact in await repository.pupils.contacts_of(db, pupil.id):
        if contact.kind not in (ContactKind.PARENT, ContactKind.EMERGENCY):
            continue
        forename, surname = _split_name(contact.name)
        contacts.append(Contact(order=len(contacts) + 1, forename=forename, surname=surname,
                                relationship=contact.relationship,
                                parental_responsibility=contact.parental_responsibility, phone=contact.phone,
                                email=contact.email))
    destination = await _destination(db, deletion, settings)
    header = Header(ctf_version=settings.ctf_version, date_time=clock.now().astimezone(clock.ENGLAND),
                    qualifier="full", source=source, academic_year=str(academic_year_of(end)),
                    destination=destination, supplier_id=settings.ctf_supplier_id)
    lines = tuple(part.strip() for part in pupil.address.replace("\n", ",").split(",") if part.strip())
    ctf_pupil = CtfPupil(
        upn=pupil.upn, surname=pupil.legal_surname, forename=pupil.legal_forename,
        date_of_birth=pupil.date_of_birth, sex=pupil.sex, nc_year=pupil.year_group,
        middle_names=pupil.legal_middle_names, preferred_surname=pupil.preferred_surname,
        preferred_forename=pupil.preferred_forename, ethnicity=pupil.ethnicity, looked_after=pupil.looked_after,
        address_lines=lines[:5], postcode=pupil.postcode, contacts=tuple(contacts),
        attendance=tuple(earlier + years))
    return build_ctf(CtfFile(header, (ctf_pupil,))), destination
