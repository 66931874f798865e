"""The notifications service's internal API (other services only)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from services.notifications import reading, receipts, service
from services.notifications.dependencies import NotifierDep, SessionDep, notify_callback_caller
from services.notifications.schemas import NotifyReceipt, TemplateSummary
from shared.auth import Identity, service_caller
from shared.contracts.notifications import (
    AlertTiming,
    AlertTimingsRequest,
    NotificationDetail,
    NotificationOutcome,
    NotificationRecord,
    NotificationRequest,
    PreviewRequest,
    TemplatePreview,
)

router = APIRouter(prefix="/internal", tags=["internal"])
callbacks = APIRouter(prefix="/callbacks", tags=["callbacks"])

# Which service each endpoint answers (their tokens name them); a person's token is refused everywhere here.
JourneyWorkerCaller = Annotated[Identity, Depends(service_caller("journey-worker"))]
ReturnsCaller = Annotated[Identity, Depends(service_caller("returns"))]
CaseworkCaller = Annotated[Identity, Depends(service_caller("casework"))]


@router.post("/notifications", summary="Tell someone something, once per idempotency key")
async def send_notification(body: NotificationRequest, _caller: JourneyWorkerCaller,
                            notifier: NotifierDep) -> NotificationOutcome:
    return await service.request_notification(notifier, body)


@router.post("/notifications/timings", summary="When alerts about these pupils' sessions were queued and sent")
async def alert_timings(body: AlertTimingsRequest, _caller: ReturnsCaller,
                        session: SessionDep) -> list[AlertTiming]:
    return await reading.alert_timings(session, body)


@router.get("/notifications/{notification_id}", summary="One notification as sent, with its status history")
async def get_notification(notification_id: uuid.UUID, _caller: CaseworkCaller,
                           session: SessionDep) -> NotificationDetail:
    return await reading.notification_detail(session, notification_id)


@router.get("/notifications/{notification_id}/letter.pdf", summary="A letter as an A4 PDF",
            response_class=Response, responses={200: {"content": {"application/pdf": {}}}})
async def get_letter(notification_id: uuid.UUID, _caller: CaseworkCaller, session: SessionDep) -> Response:
    pdf = await reading.letter_pdf(session, notification_id)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="letter-{notification_id}.pdf"'})


@router.get("/pupils/{pupil_id}/notifications", summary="Everything sent about one pupil, newest first")
async def list_pupil_notifications(pupil_id: uuid.UUID, _caller: CaseworkCaller,
                                   session: SessionDep) -> list[NotificationRecord]:
    return await reading.pupil_notifications(session, pupil_id)


@router.get("/templates", summary="The template catalogue")
async def list_templates(_caller: CaseworkCaller, notifier: NotifierDep) -> list[TemplateSummary]:
    return reading.catalogue(notifier)


@router.post("/previews", summary="Render a template with a pupil's real data, sending nothing")
async def preview_template(body: PreviewRequest, _caller: CaseworkCaller, notifier: NotifierDep) -> TemplatePreview:
    return await reading.preview(notifier, body)


@callbacks.post("/notify/delivery-status", status_code=204, summary="GOV.UK Notify's delivery receipts",
                dependencies=[Depends(notify_callback_caller)])
async def notify_delivery_status(body: NotifyReceipt, notifier: NotifierDep) -> Response:
    await receipts.record_receipt(notifier, body)
    return Response(status_code=204)
