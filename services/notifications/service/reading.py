"""What other services read: for the case page a pupil's notifications, one notification's history, previews and
letters; for returns' compliance view when alerts about given sessions went out."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from services.notifications import repository
from services.notifications.exceptions import NotificationNotFound
from services.notifications.schemas import TemplateSummary
from services.notifications.service import Notifier, needs
from services.notifications.service.catalogue import TEMPLATES
from services.notifications.service.delivery import (
    check_request,
    pupil_contacts,
    template_variables,
    to_record,
    to_record_kwargs,
)
from services.notifications.service.letters import render_pdf
from services.notifications.service.recipients import resolve_recipients
from shared.contracts.notifications import (
    AlertTiming,
    AlertTimingsRequest,
    Channel,
    NotificationDetail,
    NotificationRecord,
    NotificationStatusChange,
    PreviewRequest,
    StatusChanges,
    StatusPosition,
    TemplatePreview,
)
from shared.db import utcnow
from shared.errors import NotFound
from shared.unit_of_work import Db

# A status event is stamped inside the transaction that records it, so it can become visible after a read that
# already returned later events. Holding back the last few seconds' events lets such a transaction commit before
# its events are read, so a reader going by position passes none over.
STATUS_SETTLE = timedelta(seconds=5)
STATUS_CHANGES_PAGE = 2000


async def pupil_notifications(notifier: Notifier, pupil_id: uuid.UUID) -> list[NotificationRecord]:
    """Everything sent (or not) about one pupil, newest first."""
    async with notifier.uow.reading() as db:
        return [to_record(row) for row in await repository.for_pupil(db, pupil_id)]


async def status_changes(notifier: Notifier, after: StatusPosition) -> StatusChanges:
    """The pupils whose messages' status moved after the position, a page of events at a time (oldest first), up
    to a few seconds ago (STATUS_SETTLE)."""
    async with notifier.uow.reading() as db:
        events = await repository.status_events_after(db, after.occurred_at, after.event_id,
                                                      utcnow() - STATUS_SETTLE, STATUS_CHANGES_PAGE + 1)
    page = events[:STATUS_CHANGES_PAGE]
    last = page[-1] if page else None
    return StatusChanges(pupil_ids=list(dict.fromkeys(pupil_id for pupil_id, _, _ in page)),
                         through=StatusPosition(occurred_at=last[1], event_id=last[2]) if last else None,
                         more=len(events) > STATUS_CHANGES_PAGE)


async def notification_detail(notifier: Notifier, notification_id: uuid.UUID) -> NotificationDetail:
    async with notifier.uow.reading() as db:
        row = await repository.get(db, notification_id)
        if row is None:
            raise NotificationNotFound()
        events = await repository.history(db, [row.id])
    return NotificationDetail(
        **to_record_kwargs(row), pupil_id=row.pupil_id, recipient_address=row.recipient_address,
        body_text=row.body_text, has_letter=row.channel == Channel.LETTER.value and row.body_html is not None,
        history=[NotificationStatusChange(status=e.status, detail=e.detail, occurred_at=e.occurred_at)
                 for e in events])


async def letter_pdf(notifier: Notifier, notification_id: uuid.UUID) -> bytes:
    async with notifier.uow.reading() as db:
        row = await repository.get(db, notification_id)
    if row is None:
        raise NotificationNotFound()
    if row.channel != Channel.LETTER.value or not row.body_html:
        raise NotFound("This notification is not a letter.")
    return await render_pdf(row.body_html)


def catalogue(notifier: Notifier) -> list[TemplateSummary]:
    return [TemplateSummary(template=name.value, label=spec.label,
                            template_version=notifier.renderer.version(name.value),
                            recipient_role=spec.recipient_role, channels=list(spec.channels),
                            required_context=notifier.renderer.required_context(name.value))
            for name, spec in TEMPLATES.items()]


async def preview(notifier: Notifier, request: PreviewRequest) -> TemplatePreview:
    """Render with the pupil's real data and the first real recipient, sending nothing and storing nothing."""
    spec, channel = check_request(notifier, request.template, request.recipient_role, request.channel,
                                  request.context, request.language)
    contacts = await pupil_contacts(notifier.register, request.pupil_id)
    recipients = [r for r in resolve_recipients(spec.recipient_role, contacts, request.context,
                                                notifier.settings.ewo_team_addresses) if not r.failure_reason]
    recipient = recipients[0] if recipients else None
    variables = template_variables(contacts, recipient, request.context)
    # As the first recipient would get it: in their language and format where they have them.
    rendered = (needs.render_for(notifier.renderer, request.template, variables, recipient, channel, request.language)
                if recipient else notifier.renderer.render(request.template, variables, language=request.language,
                                                           layout="letter" if channel is Channel.LETTER else "email"))
    return TemplatePreview(template=request.template, template_version=rendered.version,
                           recipient_name=recipient.name if recipient else None, subject=rendered.subject,
                           body_text=rendered.text, body_html=rendered.html, sms=rendered.sms)


async def alert_timings(notifier: Notifier, request: AlertTimingsRequest) -> list[AlertTiming]:
    """When each alert about the pupils' sessions in the range was queued and first sent, in session order.

    The session is the one the journey put in the context. An escalation's own context names no session, so it
    takes the session of the notification it escalates.
    """
    async with notifier.uow.reading() as db:
        return await _alert_timings(db, request)


async def _alert_timings(db: Db, request: AlertTimingsRequest) -> list[AlertTiming]:
    rows = await repository.alerts_about(db, request.pupil_ids, [t.value for t in request.templates])
    escalated = await repository.contexts(db, [r.escalates_id for r in rows if r.escalates_id is not None])
    timings: list[tuple[Any, date, str | None]] = []
    for row in rows:
        context = row.context or {}
        if "session_date" not in context and row.escalates_id is not None:
            context = escalated.get(row.escalates_id, {})
        day = _session_date(context.get("session_date"))
        if day is not None and request.session_from <= day <= request.session_to:
            session_name = context.get("session")
            timings.append((row, day, session_name if isinstance(session_name, str) else None))
    sent = await repository.first_sent_at(db, [row.id for row, _, _ in timings])
    answer = [AlertTiming(notification_id=row.id, pupil_id=row.pupil_id, template=row.template,
                          recipient_role=row.recipient_role, session_date=day, session=session_name,
                          queued_at=row.created_at,
                          sent_at=sent[row.id] if row.id in sent else None, status=row.status)
              for row, day, session_name in timings]
    return sorted(answer, key=lambda t: (t.session_date, t.session or "", t.queued_at, str(t.notification_id)))


def _session_date(value: object) -> date | None:
    """The context's ISO session date; anything else (absent, malformed) names no session."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
