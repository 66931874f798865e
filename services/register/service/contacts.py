"""Whom notifications writes to about a pupil: parents with parental responsibility, the professionals around
them, the LA's virtual school head for a looked-after child, and the school's attendance lead."""

from __future__ import annotations

import uuid
from datetime import date

from services.register import repository
from services.register.models import ContactKind, PupilContact
from services.register.service import admissions, events
from services.register.service.context import Register
from shared.contracts.register import Contact, PupilContacts


def _contact(row: PupilContact) -> Contact:
    return Contact.model_validate(row, from_attributes=True)


async def pupil_contacts(reg: Register, pupil_id: uuid.UUID, today: date) -> PupilContacts:
    pupil, school = await admissions.pupil_and_school(reg, pupil_id)
    rows = await repository.pupils.contacts_of(reg.db, pupil.id)
    parents = [_contact(c) for c in rows if c.kind == ContactKind.PARENT and c.parental_responsibility]
    social = next((_contact(c) for c in rows if c.kind == ContactKind.SOCIAL_WORKER), None)
    youth = next((_contact(c) for c in rows if c.kind == ContactKind.YOUTH_JUSTICE_WORKER), None)
    vsh = None
    if pupil.looked_after:
        la = await repository.schools.get_local_authority(reg.db, school.la_code)
        if la is not None and la.virtual_school_head_name:
            vsh = Contact(name=la.virtual_school_head_name, relationship="Virtual school head",
                          email=la.virtual_school_head_email, phone=la.virtual_school_head_phone)
    lead = None
    if school.attendance_lead_name:
        lead = Contact(name=school.attendance_lead_name, relationship="Attendance lead",
                       email=school.attendance_lead_email, phone=school.attendance_lead_phone)
    professionals = {c.kind for c in rows if c.kind in (ContactKind.SOCIAL_WORKER, ContactKind.YOUTH_JUSTICE_WORKER)}
    return PupilContacts(
        pupil_id=pupil.id, display_name=pupil.display_name, legal_name=pupil.legal_name, school_urn=school.urn,
        school_name=school.name, la_code=school.la_code, year_group=pupil.year_group,
        flags=events.pupil_flags(pupil, professionals, today, independent_school=school.independent),
        parents=parents, social_worker=social, youth_justice_worker=youth, virtual_school_head=vsh,
        attendance_lead=lead)
