"""Recording a penalty notice another LA issued to one of the child's parents, so the limit per parent per child
holds across LAs (rules.md s.11: check prior notices with the other LA when a pupil moved)."""

from __future__ import annotations

from uuid import UUID

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from services.casework.dependencies import CaseworkDep
from services.casework.exceptions import StepNotPermitted
from services.casework.schemas import PriorNoticeIn
from services.casework.service import ledger
from services.casework.service.permissions import PRIOR_PENALTY_NOTICE, may_take, refusal
from services.casework.service.scope import visible_case
from services.casework.web.forms import error_summary, parse_date_fields
from services.casework.web.officer import Defaulting, Officer, error_page, forged_form, page_router, posted_form, render
from shared import clock
from shared.errors import ServiceError

router = page_router()

# The form's date input is notice_issued_on, so that it cannot be mistaken for a step's own issued_on field.
DATE_FIELD = "notice_issued_on"
STATUSES = [("issued", "Issued, not yet paid"), ("paid", "Paid"), ("unpaid", "Unpaid after 28 days"),
            ("withdrawn", "Withdrawn (does not count towards the limit)"), ("prosecuted", "Prosecuted")]
MESSAGES = {"issuing_la": "Enter the local authority that issued the notice",
            "status": "Select what happened to the notice",
            "parent": "Enter which parent the notice was issued to, for example parent-1"}


def parse_prior_notice(form: dict[str, str]) -> tuple[PriorNoticeIn | None, dict[str, str]]:
    errors: dict[str, str] = {}
    issued_on, date_error = parse_date_fields(form, DATE_FIELD, "Date of issue", clock.today(), required=True)
    if date_error:
        errors[DATE_FIELD] = date_error
    data = {"issued_on": issued_on, "issuing_la": form.get("issuing_la", "").strip(),
            "status": form.get("status", ""), "parent": form.get("parent", "").strip()}
    try:
        notice = PriorNoticeIn.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0])
            if name != "issued_on":
                errors.setdefault(name, MESSAGES.get(name, f"Check this answer: {error['msg']}"))
        return None, errors
    return (None, errors) if errors else (notice, errors)


async def _form(request: Request, cw: CaseworkDep, pupil_id: UUID, *, status_code: int = 200,
                errors: dict[str, str] | None = None, values: dict[str, str] | None = None) -> Response:
    case = await visible_case(cw, request.state.ui_identity, pupil_id)
    values, errors = values or {}, errors or {}
    return render(request, "prior_notice.html", status_code=status_code,
                  title="Record a penalty notice from another local authority", active="cases", pupil_id=pupil_id,
                  display_name=case.display_name, values=values, date_field=DATE_FIELD,
                  statuses=[{"value": v, "text": t, "checked": values.get("status") == v} for v, t in STATUSES],
                  field_errors=Defaulting(errors), errors=error_summary(errors, (DATE_FIELD,)))


@router.get("/cases/{pupil_id}/prior-penalty-notices")
async def prior_notice_form(request: Request, identity: Officer, pupil_id: UUID, cw: CaseworkDep) -> Response:
    if not may_take(cw.settings, identity, PRIOR_PENALTY_NOTICE):
        return error_page(request, StepNotPermitted(refusal(cw.settings, PRIOR_PENALTY_NOTICE)))
    return await _form(request, cw, pupil_id)


@router.post("/cases/{pupil_id}/prior-penalty-notices")
async def record_prior_notice(request: Request, identity: Officer, pupil_id: UUID, cw: CaseworkDep) -> Response:
    form = await posted_form(request)
    if form is None:
        return forged_form(request)
    notice, errors = parse_prior_notice(form)
    if notice is None:
        return await _form(request, cw, pupil_id, status_code=422, errors=errors, values=form)
    try:
        await ledger.record_other_la_notice(cw, identity, pupil_id, notice)
    except ServiceError as exc:
        if exc.status_code in {403, 404} or not exc.errors:
            return error_page(request, exc)
        named = {DATE_FIELD if e.get("field") == "issued_on" else str(e.get("field")): str(e.get("message"))
                 for e in exc.errors}
        return await _form(request, cw, pupil_id, status_code=exc.status_code, errors=named, values=form)
    return RedirectResponse(f"/cases/{pupil_id}?done=prior_notice", status_code=303)
