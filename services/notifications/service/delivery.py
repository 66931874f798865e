"""Rules of the notifications service: one intent, each recipient told at most once, failures visible.

Delivery is deliberately split into short transactions. The record is committed as "queued" before the
channel is asked to send, and as "sent" after the channel accepted the message. A crash between the two
leaves a visible "queued" record; the caller (a Temporal activity) retries with the same idempotency key and
that retry sends it again once the dead process's claim has expired. So delivery is at-least-once in that
window only: the repeat carries the same Message-ID, so a duplicate is recognisable.

There is no retry loop with back-off in here on purpose: the caller is a Temporal activity whose retry
policy already backs off. A temporary channel failure is recorded in the history, the record stays queued
and the caller gets 503 so it retries; a permanent failure is recorded as failed with its reason and, for
missing or invalid contact details, escalated to the attendance lead.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import replace
from datetime import timedelta
from typing import Any

from services.notifications import repository
from services.notifications.exceptions import (
    ChannelUnavailable,
    DeliveryFailure,
    DeliveryInProgress,
    IdempotencyKeyReused,
    RegisterUnavailable,
    UnknownTemplate,
)
from services.notifications.models import Notification
from services.notifications.providers import OutgoingMessage
from services.notifications.service import Notifier, needs
from services.notifications.service.catalogue import ROLE_LABELS, TEMPLATES, TemplateSpec, spec_for
from services.notifications.service.recipients import Recipient, address_for, resolve_recipients
from services.notifications.service.rendering import RESERVED_NAMES, RenderedMessage
from shared import clock
from shared.clients.register import RegisterClient
from shared.contracts.notifications import (
    Channel,
    DeliveryStatus,
    NotificationOutcome,
    NotificationRecord,
    NotificationRequest,
    RecipientRole,
    TemplateName,
)
from shared.contracts.register import PupilContacts
from shared.db import new_id, utcnow
from shared.errors import Conflict, InvalidInput
from shared.http import ServiceCallFailed
from shared.unit_of_work import Db

logger = logging.getLogger(__name__)
ESCALATION_TEMPLATE = TemplateName.CONTACT_DETAILS_MISSING_ATTENDANCE_LEAD
QUEUED, SENT, FAILED = DeliveryStatus.QUEUED.value, DeliveryStatus.SENT.value, DeliveryStatus.FAILED.value
DELIVERED = DeliveryStatus.DELIVERED.value


def check_request(notifier: Notifier, template: str, role: RecipientRole | None, channel: Channel | None,
                  context: dict[str, Any], language: str | None = None) -> tuple[TemplateSpec, Channel]:
    """Reject a request that cannot be right before anything is written: 422 naming the field."""
    spec = spec_for(template)
    if spec is None or not notifier.renderer.known(template):
        raise UnknownTemplate(template)
    if role is not None and role is not spec.recipient_role:
        raise InvalidInput(f"Template {template} is for the {ROLE_LABELS[spec.recipient_role]}, "
                           f"not the {ROLE_LABELS[role]}.", field="recipient_role")
    chosen = channel or spec.channels[0]
    if chosen not in spec.channels:
        raise InvalidInput(f"Template {template} cannot be sent by {chosen.value}.", field="channel")
    if chosen is Channel.SMS and not notifier.renderer.has_sms(template, language):
        raise InvalidInput(f"Template {template} has no SMS version.", field="channel")
    if chosen not in notifier.senders and chosen is not Channel.LETTER:
        raise InvalidInput(f"No {chosen.value} channel is configured (SMS needs GOV.UK Notify).", field="channel")
    reserved = sorted(RESERVED_NAMES & context.keys())
    if reserved:
        raise InvalidInput("These context names are filled in by the service: " + ", ".join(reserved),
                           errors=[{"field": f"context.{n}", "message": "reserved"} for n in reserved])
    # A dry run with placeholder people catches missing values and malformed dates before any write.
    notifier.renderer.render(template, {**context, **_placeholders()}, language=language)
    return spec, chosen


def _placeholders() -> dict[str, Any]:
    return {"pupil": {"name": "A Pupil", "legal_name": "A Pupil", "year_group": "7"},
            "school": {"name": "A School", "urn": "000000"}, "la": {"code": "000"},
            "recipient": {"name": "A Person", "relationship": "", "address": "", "role_label": ""},
            "today": clock.today()}


def template_variables(contacts: PupilContacts, recipient: Recipient | None,
                       context: dict[str, Any]) -> dict[str, Any]:
    """What a template may use: the request's context plus the pupil, school and recipient."""
    return {
        **context,
        "pupil": {"name": contacts.display_name, "legal_name": contacts.legal_name,
                  "year_group": contacts.year_group},
        "school": {"name": contacts.school_name, "urn": contacts.school_urn},
        "la": {"code": contacts.la_code},
        "recipient": {"name": recipient.name if recipient else None,
                      "relationship": recipient.relationship if recipient else None,
                      "address": recipient.postal_address if recipient else None,
                      "role_label": ROLE_LABELS[recipient.role] if recipient else None},
        "today": clock.today(),
    }


async def pupil_contacts(register: RegisterClient, pupil_id: uuid.UUID) -> PupilContacts:
    try:
        return await register.pupil_contacts(pupil_id)
    except ServiceCallFailed as exc:
        if exc.status == 404:
            raise InvalidInput("The register has no pupil with this id.", field="pupil_id") from exc
        raise RegisterUnavailable("The register could not be asked for the pupil's contacts; "
                                  "retry with the same idempotency key.") from exc


async def request_notification(notifier: Notifier, request: NotificationRequest) -> NotificationOutcome:
    """Record and send one intent; a repeat of the key returns the first outcome and sends nothing new."""
    spec, channel = check_request(notifier, request.template, request.recipient_role, request.channel,
                                  request.context, request.language)
    async with notifier.uow.reading() as db:
        existing = await repository.by_idempotency_key(db, request.idempotency_key)
    repeated = bool(existing)
    if not existing:
        contacts = await pupil_contacts(notifier.register, request.pupil_id)
        try:
            async with notifier.uow.transaction() as db:
                for row in _plan(notifier, request, spec, channel, contacts):
                    _add_queued(db, row)
        except Conflict:
            # A concurrent request with the same key committed first; its records are the outcome.
            logger.info("a concurrent request recorded this intent first; answering with its records")
            repeated = True
            async with notifier.uow.reading() as db:
                existing = await repository.by_idempotency_key(db, request.idempotency_key)
    if existing:
        _check_same_intent(existing, request)
    rows = await deliver_queued(notifier, request.idempotency_key)
    return NotificationOutcome(idempotency_key=request.idempotency_key, repeated=repeated,
                               notifications=[to_record(row) for row in rows])


def _check_same_intent(rows: list[Notification], request: NotificationRequest) -> None:
    original = next((r for r in rows if r.escalates_id is None), rows[0])
    if (original.template, original.recipient_role, original.pupil_id) != (
            request.template, request.recipient_role.value, request.pupil_id):
        raise IdempotencyKeyReused("This idempotency key was already used for a different notification.")


def _add_queued(db: Db, row: Notification) -> None:
    now = utcnow()
    repository.add(db, row)
    repository.add_event(db, row.id, QUEUED, None, now)
    if row.status == FAILED:
        repository.add_event(db, row.id, FAILED, row.failure_reason, now)


def _new_row(request_key: str, pupil_id: uuid.UUID, template: str, version: str, recipient: Recipient,
             channel: Channel, context: dict[str, Any], escalates: uuid.UUID | None = None) -> Notification:
    return Notification(id=new_id(), idempotency_key=request_key, recipient_key=recipient.key,
                        pupil_id=pupil_id, template=template, template_version=version,
                        recipient_role=recipient.role.value, recipient_name=recipient.name,
                        recipient_address=None, channel=channel.value, status=QUEUED, context=context,
                        escalates_id=escalates, attempts=0, created_at=utcnow())


def _fill(row: Notification, rendered: RenderedMessage, channel: Channel, address: str) -> None:
    row.recipient_address = address
    row.subject = rendered.subject
    row.body_text = rendered.sms if channel is Channel.SMS else rendered.text
    row.body_html = None if channel is Channel.SMS else rendered.html


def _channel_for(recipient: Recipient, channel: Channel, spec: TemplateSpec, *, explicit: bool) -> Channel:
    """The template's usual channel; a parent without an email address gets a letter where one suits."""
    if (not explicit and channel is Channel.EMAIL and not recipient.email and recipient.postal_address
            and Channel.LETTER in spec.channels):
        return Channel.LETTER
    return channel


def _plan(notifier: Notifier, request: NotificationRequest, spec: TemplateSpec, channel: Channel,
          contacts: PupilContacts) -> list[Notification]:
    """One queued record per reachable recipient; a failed record plus an escalation per unreachable one."""
    rows: list[Notification] = []
    version = notifier.renderer.version(request.template, request.language)
    recipients = resolve_recipients(request.recipient_role, contacts, request.context,
                                    notifier.settings.ewo_team_addresses)
    for recipient in recipients:
        chosen = _channel_for(recipient, channel, spec, explicit=request.channel is not None)
        row = _new_row(request.idempotency_key, request.pupil_id, request.template, version, recipient,
                       chosen, request.context)
        rows.append(row)
        address, reason = (None, recipient.failure_reason) if recipient.failure_reason else address_for(
            recipient, chosen)
        if address is None:
            row.status, row.failure_reason = FAILED, reason
            needs.record_needs(row, recipient, None, chosen)
            rows.extend(_escalation(notifier, row, reason or "contact details missing", contacts))
            continue
        # Each parent in their own language and format: the version sent is the one recorded.
        rendered = needs.render_for(notifier.renderer, request.template,
                                    template_variables(contacts, recipient, request.context), recipient, chosen,
                                    request.language)
        _fill(row, rendered, chosen, address)
        row.template_version = rendered.version
        needs.record_needs(row, recipient, rendered, chosen)
        if needs.needs_officer(row):
            rows.extend(_escalation(notifier, row, "", contacts, template=needs.FORMAT_TASK_TEMPLATE))
    return rows


def _escalation(notifier: Notifier, failed: Notification, reason: str, contacts: PupilContacts,
                template: TemplateName = ESCALATION_TEMPLATE) -> list[Notification]:
    """Tell the attendance lead that someone could not be reached, so nothing is dropped silently; or (the
    format task) that a parent's letter must be produced by hand in a format this service cannot make."""
    if failed.escalates_id is not None or failed.template in (ESCALATION_TEMPLATE, needs.FORMAT_TASK_TEMPLATE):
        logger.warning("notification %s failed and is itself an escalation: %s", failed.id, reason)
        return []
    lead = resolve_recipients(RecipientRole.ATTENDANCE_LEAD, contacts, {}, {})[0]
    if lead.failure_reason or failed.recipient_role == RecipientRole.ATTENDANCE_LEAD.value:
        # Without a reachable attendance lead the LA's education welfare team is the last resort.
        team = resolve_recipients(RecipientRole.EWO, contacts, {}, notifier.settings.ewo_team_addresses)[0]
        lead = team if not team.failure_reason else replace(
            lead, failure_reason=lead.failure_reason or "no attendance lead or LA team address recorded")
    if template is ESCALATION_TEMPLATE:
        lead = replace(lead, key=f"escalation:{failed.recipient_key}")
        spec = TEMPLATES[TemplateName(failed.template)]
        context = {"failed_template_label": spec.label,
                   "missing_role": ROLE_LABELS[RecipientRole(failed.recipient_role)], "failure_reason": reason}
    else:
        lead = replace(lead, key=f"format:{failed.recipient_key}")
        context = needs.format_task_context(failed)
    row = _new_row(failed.idempotency_key, failed.pupil_id, template.value, notifier.renderer.version(template.value),
                   lead, Channel.EMAIL, context, escalates=failed.id)
    address, why = (None, lead.failure_reason) if lead.failure_reason else address_for(lead, Channel.EMAIL)
    if address is None:
        logger.warning("notification %s failed and its escalation cannot be sent: %s", failed.id, why)
        row.status, row.failure_reason = FAILED, why
        return [row]
    rendered = notifier.renderer.render(template.value, template_variables(contacts, lead, context))
    _fill(row, rendered, Channel.EMAIL, address)
    needs.record_needs(row, lead, rendered, Channel.EMAIL)
    return [row]


async def deliver_queued(notifier: Notifier, key: str) -> list[Notification]:
    """Deliver every queued record of one intent that this request can claim; wait for ones in flight."""
    deadline = time.monotonic() + notifier.settings.in_flight_wait_seconds
    attempted: dict[uuid.UUID, str] = {}
    while True:
        async with notifier.uow.reading() as db:
            rows = await repository.by_idempotency_key(db, key)
        waiting = False
        progressed = False
        for row in (r for r in rows if r.status == QUEUED and r.id not in attempted):
            now = utcnow()
            lease = now + timedelta(seconds=notifier.settings.delivery_lease_seconds)
            async with notifier.uow.transaction() as db:
                claimed = await repository.claim(db, row.id, now, lease)
            if claimed:
                progressed = True
                failure = await _deliver(notifier, row)
                if failure:
                    attempted[row.id] = failure
            else:
                waiting = True
        if not waiting and not progressed:
            break
        if waiting and not progressed:
            if time.monotonic() > deadline:
                raise DeliveryInProgress("Another request is delivering this notification now; "
                                         "retry with the same idempotency key.")
            await asyncio.sleep(0.05)
    if attempted:
        reason = next(iter(attempted.values()))
        raise ChannelUnavailable(f"The notification is queued but could not be sent yet: {reason}. "
                                 "Retry with the same idempotency key.")
    return rows


async def _deliver(notifier: Notifier, row: Notification) -> str | None:
    """Send one claimed record; returns the reason of a temporary failure, None otherwise."""
    channel = Channel(row.channel)
    sender = notifier.senders.get(channel)
    if sender is None and channel is Channel.LETTER:
        # Without a print provider the school prints and posts the PDF itself.
        await finish(notifier, row, SENT, "letter ready to print and post (PDF)", None)
        return None
    if sender is None:
        await finish(notifier, row, FAILED, f"no {channel.value} channel is configured", None)
        return None
    message = OutgoingMessage(notification_id=row.id, channel=channel, recipient_name=row.recipient_name or "",
                              recipient_address=row.recipient_address or "", subject=row.subject or "",
                              body_text=row.body_text or "", body_html=row.body_html)
    try:
        reference = await sender.send(message)
    except DeliveryFailure as failure:
        if failure.temporary:
            async with notifier.uow.transaction() as db:
                await repository.release(db, row.id)
                repository.add_event(db, row.id, QUEUED, f"attempt failed: {failure.reason}", utcnow())
            logger.warning("notification %s stays queued: %s", row.id, failure.reason)
            return failure.reason
        await finish(notifier, row, FAILED, failure.reason, None)
        if failure.invalid_recipient:
            await escalate_failure(notifier, row, failure.reason)
        return None
    await finish(notifier, row, SENT, f"accepted by the {channel.value} provider", reference)
    logger.info("notification %s sent (%s)", row.id, row.template)
    return None


async def finish(notifier: Notifier, row: Notification, status: str, detail: str, reference: str | None,
                 only_from: str | None = None) -> bool:
    """Record a notification's new status and its history step, in one transaction."""
    async with notifier.uow.transaction() as db:
        changed = await repository.finish(db, row.id, status=status, provider_reference=reference,
                                          failure_reason=detail if status == FAILED else None,
                                          only_from=only_from)
        if changed:
            repository.add_event(db, row.id, status, detail, utcnow())
    if changed:
        row.status = status
        if status == FAILED:
            row.failure_reason = detail
    return changed


async def escalate_failure(notifier: Notifier, row: Notification, reason: str) -> None:
    """Record an escalation to the attendance lead (delivered by deliver_queued) for a message that failed."""
    contacts = await pupil_contacts(notifier.register, row.pupil_id)
    try:
        async with notifier.uow.transaction() as db:
            for escalation in _escalation(notifier, row, reason, contacts):
                _add_queued(db, escalation)
    except Conflict:
        pass  # another request escalated this failure already


def to_record_kwargs(row: Notification) -> dict[str, Any]:
    created = row.created_at
    return {"notification_id": row.id, "idempotency_key": row.idempotency_key, "template": row.template,
            "template_version": row.template_version, "recipient_role": row.recipient_role,
            "recipient_name": row.recipient_name, "channel": row.channel, "status": row.status,
            "failure_reason": row.failure_reason, "subject": row.subject, "created_at": created,
            "escalates_notification_id": row.escalates_id, "language": row.language,
            "preferred_language": row.preferred_language, "accessible_format": row.accessible_format,
            "format_for_officer": row.format_for_officer, "translation_reviewed": row.translation_reviewed}


def to_record(row: Notification) -> NotificationRecord:
    return NotificationRecord(**to_record_kwargs(row))
