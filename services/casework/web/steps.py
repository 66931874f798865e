"""Recording a step in the journey: the chooser shows only the steps the journey offers now and the officer's role
may take; a refusal (the role's, or the journey's own reason) is shown in the GOV.UK error summary."""

from __future__ import annotations

from uuid import UUID

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from services.casework import service
from services.casework.dependencies import CaseworkDep
from services.casework.exceptions import StepNotPermitted
from services.casework.service.context import Casework
from services.casework.service.permissions import refusal
from services.casework.web.action_forms import date_names, field_specs
from services.casework.web.forms import EFFECTIVE_DATE, date_fields, error_summary, parse_action
from services.casework.web.officer import Defaulting, Officer, error_page, forged_form, page_router, posted_form, render
from shared import clock
from shared.auth import Identity
from shared.errors import ServiceError

router = page_router()
NOT_OFFERED = "Select one of the steps available at this stage"


async def journey_refusals(cw: Casework, pupil_id: UUID) -> dict[str, str]:
    """The journey's reasons for not offering steps now, by step (none when it does not answer)."""
    try:
        detail = await cw.journeys.detail(pupil_id)
    except ServiceError:
        return {}
    return detail.refusals


async def journey_refusal(cw: Casework, pupil_id: UUID, action: str) -> str | None:
    """The journey's reason for not offering a step now, if it gives one (an older journey may not)."""
    return (await journey_refusals(cw, pupil_id)).get(action)


async def _action_form(request: Request, cw: CaseworkDep, identity: Identity, pupil_id: UUID, *,
                       chosen: str = "", status_code: int = 200, errors: dict[str, str] | None = None,
                       values: dict[str, str] | None = None) -> Response:
    view = await service.case_file(cw, identity, pupil_id)
    available = view.journey.available_actions if view.journey else []
    mine = [a for a in available if a.action in view.permitted_actions]
    errors = errors or {}
    if chosen and chosen not in {a.action for a in mine}:
        if chosen in {a.action for a in available}:
            message, status_code = refusal(cw.settings, chosen), 403
        else:
            message, status_code = await journey_refusal(cw, pupil_id, chosen) or NOT_OFFERED, 409
        chosen, errors = "", {"action": message}
    label = next((a.label for a in mine if a.action == chosen), "Record a step")
    specs = field_specs(chosen) if chosen else []
    if values is None:
        values = date_fields(EFFECTIVE_DATE, clock.today())
    return render(request, "act.html", status_code=status_code, title=label, active="cases", pupil_id=pupil_id,
                  display_name=view.case.display_name, actions=[{"value": a.action, "text": a.label} for a in mine],
                  chosen=chosen, specs=specs, values=values,
                  others=[refusal(cw.settings, a.action) for a in available if a not in mine],
                  field_errors=Defaulting(errors), errors=error_summary(errors, (EFFECTIVE_DATE, *date_names(specs))))


@router.get("/cases/{pupil_id}/act")
async def action_form(request: Request, identity: Officer,
                      pupil_id: UUID, cw: CaseworkDep, action: str = "") -> Response:
    if not action and "choose" in request.query_params:
        return await _action_form(request, cw, identity, pupil_id, status_code=422,
                                  errors={"action": "Select the step you are recording"})
    return await _action_form(request, cw, identity, pupil_id, chosen=action[:60])


@router.post("/cases/{pupil_id}/act")
async def take_action(request: Request, identity: Officer, pupil_id: UUID, cw: CaseworkDep) -> Response:
    form = await posted_form(request)
    if form is None:
        return forged_form(request)
    view = await service.case_file(cw, identity, pupil_id)
    offered = {a.action for a in view.journey.available_actions} if view.journey else set()
    action = form.get("action", "")
    chosen = action if action in offered and action in view.permitted_actions else ""
    step, errors = parse_action(form, clock.today())
    if step is None:
        return await _action_form(request, cw, identity, pupil_id, chosen=chosen, status_code=422,
                                  errors=errors.fields, values=form)
    try:
        # A step the journey does not offer now still goes to it: its validator says why not.
        await service.take_action(cw, identity, pupil_id, step)
    except StepNotPermitted as exc:
        return await _action_form(request, cw, identity, pupil_id, status_code=403, errors={"action": exc.detail},
                                  values=form)
    except ServiceError as exc:
        if exc.status_code in {403, 404}:
            return error_page(request, exc)
        named = {str(e.get("field")): str(e.get("message", exc.detail)) for e in exc.errors
                 if e.get("field") == EFFECTIVE_DATE}
        return await _action_form(request, cw, identity, pupil_id, chosen=chosen, status_code=exc.status_code,
                                  errors=named or {"action": exc.detail}, values=form)
    return RedirectResponse(f"/cases/{pupil_id}?done=step", status_code=303)
