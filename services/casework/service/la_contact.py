"""The LA's named point of contact for a school (rules.md s10: the LA is expected to name one per school): the one
the LA named for the school in register, else the LA-wide named contact in casework's settings (CASEWORK_LAS)."""

from __future__ import annotations

from services.casework.schemas import LaPointOfContact
from services.casework.service.context import Casework
from shared.contracts.journey import LaContact
from shared.contracts.register import SchoolDuties, SchoolLaContact


def resolve(cw: Casework, la_code: str, school_contact: SchoolLaContact | None) -> LaPointOfContact | None:
    """The school's own contact wins; without one, the LA's."""
    if school_contact is not None:
        return LaPointOfContact(name=school_contact.name, email=str(school_contact.email),
                                phone=school_contact.phone, named_for="school")
    la_wide = cw.settings.la_contact(la_code)
    if la_wide is None:
        return None
    return LaPointOfContact(name=la_wide.name, email=la_wide.email, named_for="la")


async def point_of_contact(cw: Casework, school_urn: str, la_code: str) -> LaPointOfContact | None:
    """Read now from register (a page shows a change at once); fails as register's call does."""
    duties: SchoolDuties = await cw.register.school_duties(school_urn)
    return resolve(cw, la_code, duties.la_contact)


async def journey_contact(cw: Casework, school_urn: str, la_code: str) -> LaContact | None:
    """The contact a new journey starts with (who joins a severely absent pupil's case). From the school list
    casework keeps for a few minutes, so a register event costs no extra call; a school the list does not
    have yet (register did not answer) gets the LA-wide contact."""
    school = next((s for s in await cw.schools.schools() if s.urn == school_urn), None)
    school_contact = school.la_contact if school else None
    contact = resolve(cw, la_code, school_contact)
    return LaContact(name=contact.name, email=contact.email) if contact else None
