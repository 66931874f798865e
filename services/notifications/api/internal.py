"""The notifications service's internal API (other services only): tell someone something, and read what was
told (for casework's case page and returns' compliance view)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import AwareDatetime

from services.notifications.dependencies import NotifierDep
from services.notifications.schemas import TemplateSummary
from services.notifications.service import delivery, reading
from shared.auth import Identity, service_caller
from shared.contracts import notifications as contract

router = APIRouter(prefix="/internal", tags=["internal"])

# Which service each endpoint answers (their tokens name them); a person's token is refused everywhere here.
JourneyWorkerCaller = Annotated[Identity, Depends(service_caller("journey-worker"))]
ReturnsCaller = Annotated[Identity, Depends(service_caller("returns"))]
CaseworkCaller = Annotated[Identity, Depends(service_caller("casework"))]


@router.post("/notifications", summary="Tell someone something, once per idempotency key")
async def send_notification(body: contract.NotificationRequest, _caller: JourneyWorkerCaller,
                            notifier: NotifierDep) -> contract.NotificationOutcome:
    return await delivery.request_notification(notifier, body)


@router.post("/notifications/timings", summary="When alerts about these pupils' sessions were queued and sent")
async def alert_timings(body: contract.AlertTimingsRequest, _caller: ReturnsCaller,
                        notifier: NotifierDep) -> list[contract.AlertTiming]:
    return await reading.alert_timings(notifier, body)


@router.get("/notifications/{notification_id}", summary="One notification as sent, with its status history")
async def get_notification(notification_id: uuid.UUID, _caller: CaseworkCaller,
                           notifier: NotifierDep) -> contract.NotificationDetail:
    return await reading.notification_detail(notifier, notification_id)


@router.get("/notifications/{notification_id}/letter.pdf", summary="A letter as an A4 PDF",
            response_class=Response, responses={200: {"content": {"application/pdf": {}}}})
async def get_letter(notification_id: uuid.UUID, _caller: CaseworkCaller, notifier: NotifierDep) -> Response:
    pdf = await reading.letter_pdf(notifier, notification_id)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="letter-{notification_id}.pdf"'})


@router.get("/pupils/{pupil_id}/notifications", summary="Everything sent about one pupil, newest first")
async def list_pupil_notifications(pupil_id: uuid.UUID, _caller: CaseworkCaller,
                                   notifier: NotifierDep) -> list[contract.NotificationRecord]:
    return await reading.pupil_notifications(notifier, pupil_id)


@router.get("/status-changes", summary="The pupils whose messages' status moved after a position (oldest first)")
async def status_changes(_caller: CaseworkCaller, notifier: NotifierDep,
                         after_time: AwareDatetime = Query(description="The time of the last event read"),
                         after_event: int = Query(default=0, ge=0, le=2**62,
                                                  description="The id of the last event read at that time")
                         ) -> contract.StatusChanges:
    return await reading.status_changes(notifier, contract.StatusPosition(occurred_at=after_time,
                                                                          event_id=after_event))


@router.get("/templates", summary="The template catalogue")
async def list_templates(_caller: CaseworkCaller, notifier: NotifierDep) -> list[TemplateSummary]:
    return reading.catalogue(notifier)


@router.post("/previews", summary="Render a template with a pupil's real data, sending nothing")
async def preview_template(body: contract.PreviewRequest, _caller: CaseworkCaller,
                           notifier: NotifierDep) -> contract.TemplatePreview:
    return await reading.preview(notifier, body)
