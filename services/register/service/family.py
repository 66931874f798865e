"""A pupil's family across the LA: other children on roll with a parent or carer in common."""

from __future__ import annotations

import uuid
from datetime import date

from services.register import repository
from services.register.models import ContactKind, Pupil, School
from services.register.service import events
from services.register.service.context import Register
from shared.contracts.register import PupilSummary


def _folded(text: str | None) -> str:
    return " ".join((text or "").split()).lower()


async def family(reg: Register, pupil: Pupil, school: School, today: date) -> list[PupilSummary]:
    """Siblings and other children of the same parents in any school of the pupil's LA, the pupil excluded.

    A parent is the same person when a contact with parental responsibility has the same email, the same phone
    number, or the same name at the same address."""
    db = reg.db
    parents = [c for c in await repository.pupils.contacts_of(db, pupil.id)
               if c.kind == ContactKind.PARENT and c.parental_responsibility]
    emails = {_folded(c.email) for c in parents if c.email}
    phones = {p for p in (repository.pupils.normalised_phone(c.phone) for c in parents) if p}
    names = {(_folded(c.name), _folded(c.address or pupil.address)) for c in parents if c.name.strip()}
    ids = [i for i in await repository.pupils.children_of_parents(db, school.la_code, emails, phones, names)
           if i != pupil.id]
    children = await repository.pupils.pupils_by_id(db, ids)
    professionals = await repository.pupils.professionals_of(db, ids)
    schools: dict[str, School] = {s.urn: s for s in await repository.schools.list_schools(db)}
    ordered = sorted(children.values(), key=lambda p: (p.date_of_birth, p.id))
    return [events.pupil_summary(child, schools[child.school_urn], professionals.get(child.id, set()), today)
            for child in ordered]


async def allocated_to(reg: Register, worker_email: str) -> list[uuid.UUID]:
    """Pupils on roll whose social worker has this email."""
    return await repository.pupils.pupils_allocated_to(reg.db, worker_email)
