"""A parent's language and format needs: which version of a message they get, what the record says about it, and
the task an officer gets when a format need is one this service cannot produce."""

from __future__ import annotations

from typing import Any

from services.notifications.models import Notification
from services.notifications.service.catalogue import TEMPLATES
from services.notifications.service.recipients import Recipient
from services.notifications.service.rendering import RenderedMessage, TemplateRenderer
from shared.contracts.notifications import Channel, RecipientRole, TemplateName
from shared.languages import FORMAT_LABELS, PRODUCED_FORMATS, AccessibleFormat, language_name

FORMAT_TASK_TEMPLATE = TemplateName.ACCESSIBLE_FORMAT_NEEDED_ATTENDANCE_LEAD


def render_for(renderer: TemplateRenderer, template: str, variables: dict[str, Any], recipient: Recipient,
               channel: Channel, language: str | None) -> RenderedMessage:
    """The message in the recipient's language where a translation exists (a language the request names wins),
    in large print where they need it (an SMS has no print size)."""
    large = recipient.accessible_format is AccessibleFormat.LARGE_PRINT and channel is not Channel.SMS
    return renderer.render(template, variables, layout="letter" if channel is Channel.LETTER else "email",
                           language=language, preferred_language=recipient.language, large_print=large)


def record_needs(row: Notification, recipient: Recipient, rendered: RenderedMessage | None,
                 channel: Channel) -> None:
    """Write on the record what the message went in and what the recipient needs that it could not meet."""
    if recipient.role is RecipientRole.PARENTS:
        row.preferred_language = recipient.language
        if recipient.accessible_format not in PRODUCED_FORMATS:
            row.format_for_officer = recipient.accessible_format.value
    if rendered is None:
        return
    row.language = rendered.language
    row.translation_reviewed = rendered.translation_reviewed
    large = recipient.accessible_format is AccessibleFormat.LARGE_PRINT and channel is not Channel.SMS
    row.accessible_format = (AccessibleFormat.LARGE_PRINT if large else AccessibleFormat.STANDARD).value


def needs_officer(row: Notification) -> bool:
    """A message sent to a parent whose format need an officer must meet by hand (never a task about a task)."""
    return bool(row.format_for_officer) and row.escalates_id is None and row.status != "failed"


def format_task_context(row: Notification) -> dict[str, Any]:
    spec = TEMPLATES[TemplateName(row.template)]
    channel = {"letter": "post", "email": "email", "sms": "text message"}.get(row.channel, row.channel)
    return {"letter_label": spec.label, "parent_name": row.recipient_name or "A parent",
            "format_label": FORMAT_LABELS[AccessibleFormat(row.format_for_officer or "standard")], "channel": channel,
            "language_label": language_name(row.language)}
