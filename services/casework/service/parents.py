"""The parents' language and format needs, from register's admission entry, for the case page (an interpreter,
large print, a braille copy to make by hand)."""

from __future__ import annotations

from uuid import UUID

from services.casework.schemas import ParentNeeds
from shared.clients.register import RegisterClient
from shared.languages import FORMAT_LABELS, PRODUCED_FORMATS, language_name


async def parent_needs(register: RegisterClient, pupil_id: UUID) -> list[ParentNeeds]:
    """Each parent's preferred language and accessible format, in the register's order."""
    entry = await register.admission_entry(pupil_id)
    return [ParentNeeds(name=c.name, relationship=c.relationship, preferred_language=c.preferred_language,
                        language=language_name(c.preferred_language), accessible_format=c.accessible_format.value,
                        format=FORMAT_LABELS[c.accessible_format],
                        format_produced=c.accessible_format in PRODUCED_FORMATS)
            for c in entry.contacts if c.kind == "parent"]
