"""GOV.UK Notify's callbacks: its delivery receipts, checked against the configured callback token."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response

from services.notifications.dependencies import NotifierDep, notify_callback_caller
from services.notifications.schemas import NotifyReceipt
from services.notifications.service import receipts

router = APIRouter(prefix="/callbacks", tags=["callbacks"])


@router.post("/notify/delivery-status", status_code=204, summary="GOV.UK Notify's delivery receipts",
             dependencies=[Depends(notify_callback_caller)])
async def notify_delivery_status(body: NotifyReceipt, notifier: NotifierDep) -> Response:
    await receipts.record_receipt(notifier, body)
    return Response(status_code=204)
