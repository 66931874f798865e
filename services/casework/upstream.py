"""What the shared clients do not carry: notifications' template catalogue (GET /internal/templates), read as far
as casework's preview picker needs it, and a pupil's UPN from register's admission entry, for the notice ledger."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, TypeAdapter

from shared.clients.notifications import NotificationsClient
from shared.clients.register import RegisterClient
from shared.contracts.notifications import Channel, RecipientRole


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


async def pupil_upn(register: RegisterClient, pupil_id: UUID) -> str | None:
    response = await register.request("GET", "/api/v1/pupils/{pupil_id}", path_params={"pupil_id": pupil_id})
    upn = AdmissionIdentity.model_validate(response.json()).upn or ""
    # 13 characters (rules.md s.13); register validates it, casework only keeps it within its column.
    return upn.upper() if len(upn) == 13 and upn.isalnum() else None
