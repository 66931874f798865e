"""GOV.UK Notify (email, SMS and letters) through notifications-python-client.

The wording stays in this repository's templates: each Notify template is a generic one per channel with
((subject)) and ((body)) placeholders (letters also take the address lines), and Notify's own reference is
our notification id, so a duplicate is recognisable in Notify's dashboard too. A "test" API key makes Notify
answer as usual without delivering anything.
"""

from __future__ import annotations

import asyncio
from typing import Any

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient

from services.notifications.exceptions import DeliveryFailure
from services.notifications.providers import OutgoingMessage
from services.notifications.settings import NotificationsSettings
from shared.contracts.notifications import Channel

MAX_ADDRESS_LINES = 7


def letter_address(name: str, address: str) -> dict[str, str]:
    """Notify wants address_line_1..7, the name first and the postcode last."""
    lines = [name, *(line.strip() for line in address.replace(",", "\n").splitlines() if line.strip())]
    if len(lines) > MAX_ADDRESS_LINES:
        lines = [*lines[: MAX_ADDRESS_LINES - 1], lines[-1]]
    return {f"address_line_{i}": line for i, line in enumerate(lines, start=1)}


class NotifySender:
    """Sends through the Notify API in a worker thread (the client is synchronous)."""

    channels = frozenset({Channel.EMAIL, Channel.SMS, Channel.LETTER})

    def __init__(self, settings: NotificationsSettings) -> None:
        assert settings.notify_api_key
        self._settings = settings
        self._client = NotificationsAPIClient(settings.notify_api_key, base_url=settings.notify_base_url,
                                              timeout=settings.smtp_timeout_seconds)

    async def send(self, message: OutgoingMessage) -> str:
        response = await asyncio.to_thread(self._send_blocking, message)
        return str(response.get("id", ""))

    def _send_blocking(self, message: OutgoingMessage) -> dict[str, Any]:
        s = self._settings
        reference = str(message.notification_id)
        personalisation = {"subject": message.subject, "body": message.body_text}
        try:
            if message.channel is Channel.EMAIL:
                result = self._client.send_email_notification(
                    message.recipient_address, s.notify_email_template_id, personalisation, reference)
            elif message.channel is Channel.SMS:
                result = self._client.send_sms_notification(
                    message.recipient_address, s.notify_sms_template_id, {"body": message.body_text}, reference)
            else:
                result = self._client.send_letter_notification(
                    s.notify_letter_template_id,
                    {**personalisation, **letter_address(message.recipient_name, message.recipient_address)},
                    reference)
        except APIError as exc:
            raise _failure(exc) from exc
        return dict(result)


def _failure(exc: APIError) -> DeliveryFailure:
    status = exc.status_code
    if status == 429 or status >= 500:
        return DeliveryFailure(f"GOV.UK Notify is unavailable ({status})", temporary=True)
    detail = str(exc.message)
    recipient_fields = ("email_address", "phone_number", "address")
    invalid_recipient = status == 400 and any(field in detail for field in recipient_fields)
    # Notify's message may quote the address it rejected; keep it out of the record and the logs.
    reason = "GOV.UK Notify rejected the recipient's contact details" if invalid_recipient else (
        f"GOV.UK Notify refused the message ({status})")
    return DeliveryFailure(reason, temporary=False, invalid_recipient=invalid_recipient)
