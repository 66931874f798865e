"""Channels that carry a rendered message to a person: SMTP email (default) and GOV.UK Notify."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

from shared.contracts.notifications import Channel


@dataclass(frozen=True)
class OutgoingMessage:
    """A rendered message as stored on its notification record: a retry sends exactly the same text."""

    notification_id: uuid.UUID
    channel: Channel
    recipient_name: str
    recipient_address: str
    subject: str
    body_text: str
    body_html: str | None


class Sender(Protocol):
    """Hands one message to a provider; returns the provider's reference, raises DeliveryFailure."""

    channels: frozenset[Channel]

    async def send(self, message: OutgoingMessage) -> str: ...
