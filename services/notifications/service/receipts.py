"""Delivery receipts from GOV.UK Notify: the "delivered" step of a notification's history, or its failure.

SMTP gives no such receipt, so an email sent by SMTP ends at "sent" (the relay accepted it).
"""

from __future__ import annotations

import uuid

from services.notifications import repository
from services.notifications.exceptions import NotificationNotFound
from services.notifications.schemas import NotifyReceipt
from services.notifications.service import Notifier
from services.notifications.service.delivery import (
    DELIVERED,
    FAILED,
    SENT,
    deliver_queued,
    escalate_failure,
    finish,
)

# Notify's final statuses; anything else ("created", "sending", "pending") is still in progress there.
RECEIPT_OUTCOMES = {
    "delivered": (DELIVERED, "delivered (GOV.UK Notify receipt)"),
    "permanent-failure": (FAILED, "the address does not exist or is blocked (GOV.UK Notify receipt)"),
    "temporary-failure": (FAILED, "the inbox was full or the phone was off, and GOV.UK Notify gave up"),
    "technical-failure": (FAILED, "GOV.UK Notify had a technical failure and did not send it"),
    "validation-failed": (FAILED, "the letter failed GOV.UK Notify's checks"),
}


async def record_receipt(notifier: Notifier, receipt: NotifyReceipt) -> None:
    """Move a sent notification to delivered or failed; repeated or late receipts change nothing."""
    outcome = RECEIPT_OUTCOMES.get(receipt.status)
    if outcome is None:
        return
    try:
        notification_id = uuid.UUID(receipt.reference or "")
    except ValueError as exc:
        raise NotificationNotFound() from exc
    async with notifier.uow.reading() as db:
        row = await repository.get(db, notification_id)
    if row is None:
        raise NotificationNotFound()
    status, detail = outcome
    await finish(notifier, row, status, detail, None, only_from=SENT)
    if row.status == FAILED:
        # Nobody received it: the attendance lead hears, as for missing contact details. Both steps are
        # idempotent, so Notify repeating the callback (it does after an error) finishes the job.
        await escalate_failure(notifier, row, row.failure_reason or detail)
        await deliver_queued(notifier, row.idempotency_key)
