"""Email through an SMTP server (the local sink in development and tests, a relay in production)."""

from __future__ import annotations

import asyncio
import email.policy
import smtplib
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr, formatdate

from services.notifications.exceptions import DeliveryFailure
from services.notifications.providers import OutgoingMessage
from services.notifications.settings import NotificationsSettings
from shared.contracts.notifications import Channel


def message_id(message: OutgoingMessage, from_address: str) -> str:
    """Derived from the notification id, so a duplicate delivery is recognisable in any mailbox."""
    domain = from_address.rpartition("@")[2] or "localhost"
    return f"<notification-{message.notification_id}@{domain}>"


# RFC 5322 allows 998 characters a line; folding a Message-ID or a subject at 78 only confuses clients.
HEADER_POLICY = email.policy.SMTP.clone(max_line_length=998)


def build_email(message: OutgoingMessage, settings: NotificationsSettings) -> EmailMessage:
    email = EmailMessage(policy=HEADER_POLICY)
    email["From"] = formataddr((settings.from_name, settings.from_address))
    email["To"] = str(Address(display_name=message.recipient_name, addr_spec=message.recipient_address))
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = message_id(message, settings.from_address)
    email["X-Notification-Id"] = str(message.notification_id)
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


class SmtpSender:
    """smtplib in a worker thread: the standard library is enough for one message per request."""

    channels = frozenset({Channel.EMAIL})

    def __init__(self, settings: NotificationsSettings) -> None:
        self._settings = settings

    async def send(self, message: OutgoingMessage) -> str:
        try:
            email = build_email(message, self._settings)
        except (ValueError, IndexError) as exc:
            raise DeliveryFailure(f"the email address is not valid ({exc})", temporary=False,
                                  invalid_recipient=True) from exc
        await asyncio.to_thread(self._send_blocking, email)
        return str(email["Message-ID"])

    def _send_blocking(self, email: EmailMessage) -> None:
        s = self._settings
        try:
            with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds) as smtp:
                if s.smtp_starttls:
                    smtp.starttls()
                if s.smtp_username and s.smtp_password:
                    smtp.login(s.smtp_username, s.smtp_password)
                smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            temporary = all(400 <= code < 500 for code in codes)
            raise DeliveryFailure(f"the email server refused the recipient address ({codes[0]})",
                                  temporary=temporary, invalid_recipient=not temporary) from exc
        except smtplib.SMTPResponseException as exc:
            temporary = 400 <= exc.smtp_code < 500
            raise DeliveryFailure(f"the email server answered {exc.smtp_code}", temporary=temporary) from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            # Connection refused, timeouts, dropped connections: the server may be back in a moment.
            raise DeliveryFailure(f"the email server could not be reached ({type(exc).__name__})",
                                  temporary=True) from exc
