"""Response models of the notifications API not already in shared.contracts.notifications."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from shared.contracts.notifications import Channel, RecipientRole


class TemplateSummary(BaseModel):
    """One entry of the template catalogue, for casework's preview picker."""

    template: str
    label: str
    template_version: str
    recipient_role: RecipientRole
    channels: list[Channel]
    required_context: list[str]


class NotifyReceipt(BaseModel):
    """GOV.UK Notify's delivery-status callback; `reference` is our notification id."""

    model_config = ConfigDict(extra="ignore")

    id: str
    reference: str | None = None
    status: str
