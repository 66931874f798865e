"""What the shared clients do not carry: notifications' template catalogue (GET /internal/templates), read as far
as casework's preview picker needs it, and from register's admission entry a pupil's UPN, for the notice ledger,
and the parents' language and format needs, for the case page."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, TypeAdapter

from services.casework.schemas import ParentNeeds
from shared.clients.notifications import NotificationsClient
from shared.clients.register import RegisterClient
from shared.contracts.notifications import Channel, RecipientRole
from shared.languages import FORMAT_LABELS, PRODUCED_FORMATS, AccessibleFormat, language_name


class TemplateChoice(BaseModel):
    """One entry of notifications' template catalogue (GET /internal/templates)."""

    model_config = ConfigDict(extra="ignore")

    template: str
    label: str
    recipient_role: RecipientRole
    channels: list[Channel]
    required_context: list[str]


_TEMPLATES = TypeAdapter(list[TemplateChoice])


async def templates(notifications: NotificationsClient) -> list[TemplateChoice]:
    response = await notifications.request("GET", "/internal/templates")
    return _TEMPLATES.validate_python(response.json())


class AdmissionIdentity(BaseModel):
    """The part of register's admission entry (GET /api/v1/pupils/{id}) that says who the child is; register's
    internal pupil summary carries no UPN, and nothing else of the entry is read."""

    model_config = ConfigDict(extra="ignore")

    upn: str | None = None


class AdmissionContact(BaseModel):
    """One contact of register's admission entry, as far as the case page shows a parent's needs."""

    model_config = ConfigDict(extra="ignore")

    kind: str
    name: str
    relationship: str
    preferred_language: str = "en"
    accessible_format: AccessibleFormat = AccessibleFormat.STANDARD


class AdmissionContacts(BaseModel):
    model_config = ConfigDict(extra="ignore")

    contacts: list[AdmissionContact] = []


async def pupil_upn(register: RegisterClient, pupil_id: UUID) -> str | None:
    response = await register.request("GET", "/api/v1/pupils/{pupil_id}", path_params={"pupil_id": pupil_id})
    upn = AdmissionIdentity.model_validate(response.json()).upn or ""
    # 13 characters (rules.md s.13); register validates it, casework only keeps it within its column.
    return upn.upper() if len(upn) == 13 and upn.isalnum() else None


async def parent_needs(register: RegisterClient, pupil_id: UUID) -> list[ParentNeeds]:
    """Each parent's preferred language and accessible format, in the register's order."""
    response = await register.request("GET", "/api/v1/pupils/{pupil_id}", path_params={"pupil_id": pupil_id})
    entry = AdmissionContacts.model_validate(response.json())
    return [ParentNeeds(name=c.name, relationship=c.relationship, preferred_language=c.preferred_language,
                        language=language_name(c.preferred_language), accessible_format=c.accessible_format.value,
                        format=FORMAT_LABELS[c.accessible_format],
                        format_produced=c.accessible_format in PRODUCED_FORMATS)
            for c in entry.contacts if c.kind == "parent"]
