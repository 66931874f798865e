"""The admission register: admitting a pupil with every field reg 8 asks for, and reading pupils back."""

from __future__ import annotations

import uuid
from datetime import date

from services.register import repository
from services.register.domain.upn import InvalidUpn, validate_upn
from services.register.exceptions import PupilNotFound, SchoolNotFound, UpnAlreadyOnRoll
from services.register.models import ContactKind, Pupil, PupilContact, School
from services.register.schemas import (
    AdmissionRequest,
    Characteristics,
    ContactView,
    PriorAttendanceView,
    PupilListItem,
    PupilPage,
    PupilView,
)
from services.register.service import access, events
from services.register.service.context import Register
from shared.auth import Identity
from shared.contracts.register import PupilSummary, RegisterEventType
from shared.errors import InvalidInput
from shared.unit_of_work import Db


async def school_or_404(reg: Register, urn: str) -> School:
    db = reg.db
    school = await repository.schools.get_school(db, urn)
    if school is None:
        raise SchoolNotFound()
    return school


async def pupil_and_school(reg: Register, pupil_id: uuid.UUID) -> tuple[Pupil, School]:
    db = reg.db
    pupil = await repository.pupils.get_pupil(db, pupil_id)
    if pupil is None:
        raise PupilNotFound()
    school = await repository.schools.get_school(db, pupil.school_urn)
    assert school is not None  # foreign key
    return pupil, school


async def readable_pupil(reg: Register, identity: Identity, pupil_id: uuid.UUID) -> tuple[Pupil, School]:
    """The pupil and their school, if this identity may read the record (403 otherwise)."""
    pupil, school = await pupil_and_school(reg, pupil_id)
    access.require_pupil_reader(identity, pupil, school)
    return pupil, school


def _check_admission(request: AdmissionRequest, today: date) -> None:
    try:
        validate_upn(request.upn)
    except InvalidUpn as exc:
        raise InvalidInput(f"The UPN is not valid: {exc}.", field="upn") from exc
    if request.date_of_birth >= today:
        raise InvalidInput("The date of birth must be in the past.", field="date_of_birth")
    if request.admission_date <= request.date_of_birth:
        raise InvalidInput("The admission date must be after the date of birth.", field="admission_date")
    c = request.characteristics
    if c.sen_support and c.ehcp:
        raise InvalidInput("A pupil has SEN support or an EHCP, not both.", field="characteristics.ehcp")
    if c.looked_after and c.previously_looked_after:
        raise InvalidInput("A pupil is looked after or previously looked after, not both.",
                           field="characteristics.previously_looked_after")


async def admit(db: Db, identity: Identity, school: School, request: AdmissionRequest,
                today: date) -> Pupil:
    """Enter a pupil in the admission register and report the admission through the outbox."""
    access.require_register_keeper(identity, school)
    _check_admission(request, today)
    if await repository.pupils.on_roll_with_upn(db, school.urn, request.upn):
        raise UpnAlreadyOnRoll("A pupil with this UPN is already on this school's roll.",
                               errors=[{"field": "upn", "message": "already on roll"}])
    c = request.characteristics
    pupil = Pupil(
        id=uuid.uuid4(), school_urn=school.urn, upn=request.upn, legal_forename=request.legal_forename,
        legal_middle_names=request.legal_middle_names, legal_surname=request.legal_surname,
        preferred_forename=request.preferred_forename, preferred_surname=request.preferred_surname,
        date_of_birth=request.date_of_birth, sex=request.sex, year_group=request.year_group,
        address=request.address, postcode=request.postcode, admission_date=request.admission_date,
        previous_school=request.previous_school, boarder=request.boarder, gp_details=request.gp_details,
        on_roll=True, **c.model_dump())
    repository.add(db, pupil)
    contacts: list[PupilContact] = []
    for priority, parent in enumerate(request.parents):
        contacts.append(PupilContact(pupil_id=pupil.id, kind=ContactKind.PARENT, priority=priority,
                                     **parent.model_dump()))
    for priority, contact in enumerate(request.emergency_contacts):
        contacts.append(PupilContact(pupil_id=pupil.id, kind=ContactKind.EMERGENCY, priority=priority,
                                     **contact.model_dump()))
    professionals: set[str] = set()
    for kind, worker in ((ContactKind.SOCIAL_WORKER, request.social_worker),
                         (ContactKind.YOUTH_JUSTICE_WORKER, request.youth_justice_worker)):
        if worker is not None:
            professionals.add(kind)
            contacts.append(PupilContact(pupil_id=pupil.id, kind=kind, name=worker.name,
                                         relationship=worker.organisation or kind.replace("_", " "),
                                         email=worker.email, phone=worker.phone))
    await db.flush()  # the pupil row first: contacts refer to it
    repository.add(db, *contacts)
    summary = events.pupil_summary(pupil, school, professionals, max(today, request.admission_date))
    earlier = await earlier_admissions(db, school, pupil)
    # The child's earlier admissions in this LA let casework carry the same case file on to this school; ids only,
    # never the UPN.
    events.emit(db, RegisterEventType.PUPIL_ADMITTED, summary,
                details={"admission_date": request.admission_date.isoformat(), "year_group": request.year_group,
                         "school_urn": school.urn, "earlier_admissions": earlier})
    await db.flush()
    return pupil


async def earlier_admissions(db: Db, school: School, pupil: Pupil) -> list[dict[str, str | None]]:
    """The same child's other admissions in the LA (same UPN) that began before this one, latest first."""
    found = await repository.history.admissions_with_upns(db, school.la_code, [pupil.upn], date.min)
    before = [a for a in found if a.pupil_id != pupil.id and a.admission_date <= pupil.admission_date]
    before.sort(key=lambda a: a.admission_date, reverse=True)
    return [{"pupil_id": str(a.pupil_id), "school_urn": a.school_urn,
             "leaving_date": a.leaving_date.isoformat() if a.leaving_date else None} for a in before]


def pupil_view(pupil: Pupil, contacts: list[PupilContact]) -> PupilView:
    characteristics = Characteristics.model_validate(
        {name: getattr(pupil, name) for name in Characteristics.model_fields})
    return PupilView(
        id=pupil.id, school_urn=pupil.school_urn, upn=pupil.upn, legal_forename=pupil.legal_forename,
        legal_middle_names=pupil.legal_middle_names, legal_surname=pupil.legal_surname,
        preferred_forename=pupil.preferred_forename, preferred_surname=pupil.preferred_surname,
        display_name=pupil.display_name, date_of_birth=pupil.date_of_birth, sex=pupil.sex,
        year_group=pupil.year_group, address=pupil.address, postcode=pupil.postcode,
        admission_date=pupil.admission_date, previous_school=pupil.previous_school, boarder=pupil.boarder,
        gp_details=pupil.gp_details, on_roll=pupil.on_roll, characteristics=characteristics,
        contacts=[ContactView(kind=c.kind, name=c.name, relationship=c.relationship, email=c.email, phone=c.phone,
                              address=c.address, parental_responsibility=c.parental_responsibility,
                              lives_with_pupil=c.lives_with_pupil, preferred_language=c.preferred_language,
                              accessible_format=c.accessible_format) for c in contacts])


async def prior_attendance(db: Db, pupil_id: uuid.UUID) -> list[PriorAttendanceView]:
    rows = await repository.pupils.prior_attendance_of(db, pupil_id)
    return [PriorAttendanceView(
        academic_year=r.academic_year, la_code=r.la_code, estab=r.estab, school_name=r.school_name,
        sessions_possible=r.sessions_possible, sessions_attended=r.sessions_attended,
        sessions_authorised=r.sessions_authorised, sessions_unauthorised=r.sessions_unauthorised,
        attendance_start_date=r.attendance_start_date, attendance_marks=r.attendance_marks,
        source_laestab=r.source_laestab) for r in rows]


async def admit_pupil(reg: Register, identity: Identity, school: School, request: AdmissionRequest,
                      today: date) -> PupilView:
    """Admit one pupil and commit the admission."""
    pupil = await admit(reg.db, identity, school, request, today)
    contacts = await repository.pupils.contacts_of(reg.db, pupil.id)
    await reg.commit()
    return pupil_view(pupil, contacts)


async def pupil_page(reg: Register, identity: Identity, urn: str, page: int, page_size: int) -> PupilPage:
    """A page of the pupils on a school's roll, for someone who may read the school's figures."""
    school = await school_or_404(reg, urn)
    access.require_school_reader(identity, school)
    rows, total = await repository.pupils.list_pupils(reg.db, urn, offset=(page - 1) * page_size, limit=page_size)
    items = [PupilListItem(id=p.id, display_name=p.display_name, year_group=p.year_group, upn=p.upn,
                           on_roll=p.on_roll) for p in rows]
    return PupilPage(items=items, page=page, page_size=page_size, total=total)


async def pupil_record(reg: Register, identity: Identity, pupil_id: uuid.UUID) -> PupilView:
    """The pupil's admission register entry with their contacts and the attendance their CTFs carried."""
    pupil, _ = await readable_pupil(reg, identity, pupil_id)
    view = pupil_view(pupil, list(await repository.pupils.contacts_of(reg.db, pupil.id)))
    view.prior_attendance = await prior_attendance(reg.db, pupil.id)
    return view


async def pupil_summary_of(reg: Register, pupil_id: uuid.UUID, today: date) -> PupilSummary:
    """What other services need to know about a pupil (for service callers)."""
    pupil, school = await pupil_and_school(reg, pupil_id)
    professionals = await repository.pupils.professionals_of(reg.db, [pupil.id])
    return events.pupil_summary(pupil, school, professionals.get(pupil.id, set()), today)
