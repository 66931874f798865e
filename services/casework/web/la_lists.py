"""The LA's persistently absent, severely absent and at-risk pupils as a casework page: register's paged list,
read as the signed-in officer, lowest attendance first, with a link to each pupil's record. An LA has tens of
thousands of such pupils, so the page shows 50 at a time and moves on by register's cursor."""

from __future__ import annotations

import logging

from fastapi import Request
from fastapi.responses import Response
from pydantic import ValidationError

from services.casework.dependencies import CaseworkDep
from services.casework.service.la_lists import LIST_LABELS, flagged_pupils
from services.casework.web.officer import ERROR_TITLES, Officer, page_router, render
from services.casework.web.sickness_card import officer_token
from shared.clients.register_lists import RegisterListsClient
from shared.http import ServiceCallFailed

router = page_router()
log = logging.getLogger(__name__)


def lists_client(request: Request) -> RegisterListsClient:
    client: RegisterListsClient = request.app.state.register_lists
    return client


@router.get("/las/{la_code}/persistent-absentees")
async def la_flagged_pupils_page(request: Request, identity: Officer, la_code: str, cw: CaseworkDep,
                                 severity: str = "persistent", after: str | None = None) -> Response:
    la_code, after = la_code[:10], (after or "")[:100] or None
    if severity not in LIST_LABELS:
        severity = "persistent"
    base = f"/las/{la_code}/persistent-absentees"
    try:
        page = await flagged_pupils(cw, lists_client(request), identity, officer_token(request), la_code, severity,
                                    after)
    except (ServiceCallFailed, ValidationError) as exc:
        status = exc.status if isinstance(exc, ServiceCallFailed) else None
        if isinstance(exc, ServiceCallFailed) and status in (401, 403, 404, 422):
            title = "Start again from the first page" if status == 422 else ERROR_TITLES[status]
            message = "This page of the list is no longer valid." if status == 422 else exc.detail
            return render(request, "error.html", status_code=status, title=title, message=message)
        log.warning("register did not give the LA's list", extra={"status": status})
        return render(request, "error.html", status_code=503, title=ERROR_TITLES[503],
                      message="The register could not give the list just now. Try again shortly.")
    pagination = {}
    if after:
        pagination["previous"] = {"href": f"{base}?severity={severity}", "text": "First page"}
    if page.next:
        pagination["next"] = {"href": f"{base}?severity={severity}&after={page.next}", "text": "Next page"}
    return render(request, "la_flagged_pupils.html", title=f"{LIST_LABELS[severity]} pupils across the LA",
                  active="la_lists", la_code=la_code, page=page, severity=severity, labels=LIST_LABELS, base=base,
                  pagination=pagination or None,
                  school_names=await cw.schools.names())
