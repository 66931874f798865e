"""The LA's persistently absent, severely absent and at-risk pupils as a casework page: register's paged list,
read as the signed-in officer, lowest attendance first, with a link to each pupil's record. An LA has tens of
thousands of such pupils, so the page shows 50 at a time and moves on by register's cursor."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import Response
from pydantic import ValidationError

from services.casework.dependencies import CaseworkDep
from services.casework.service.la_lists import LIST_LABELS, flagged_pupils
from services.casework.web.officer import Officer, page_router, refusal_page, render
from services.casework.web.sickness_card import officer_token
from shared.clients.register_lists import RegisterListsClient
from shared.http import ServiceCallFailed

router = page_router()


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
    except ServiceCallFailed as exc:
        return refusal_page(request, exc, "register", "the list", invalid=(
            "Start again from the first page", "This page of the list is no longer valid."))
    except ValidationError:
        return refusal_page(request, None, "register", "the list")
    pagination = {}
    if after:
        pagination["previous"] = {"href": f"{base}?severity={severity}", "text": "First page"}
    if page.next:
        pagination["next"] = {"href": f"{base}?severity={severity}&after={page.next}", "text": "Next page"}
    return render(request, "la_flagged_pupils.html", title=f"{LIST_LABELS[severity]} pupils across the LA",
                  active="la_lists", la_code=la_code, page=page, severity=severity, labels=LIST_LABELS, base=base,
                  pagination=pagination or None,
                  school_names=await cw.schools.names())
