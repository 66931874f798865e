"""Notifications' template catalogue (GET /internal/templates), which the shared client does not carry: its
shape is notifications' own response model, read here as far as casework's preview picker needs it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, TypeAdapter

from shared.clients.notifications import NotificationsClient
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
