"""The legal pathway as a GOV.UK task list: each legal step, whether it can be taken now and, where not, the
journey's own reason (or the role's), and whether the decision factors for it are recorded. One journey query,
on this page only, so the case page stays a read of casework's own record."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import Request
from fastapi.responses import Response

from services.casework import service
from services.casework.dependencies import CaseworkDep
from services.casework.service.permissions import may_take, refusal
from services.casework.web.forms import LEGAL_STEP_LABELS
from services.casework.web.officer import Officer, page_router, render
from services.casework.web.steps import journey_refusals

router = page_router()
NOT_AT_THIS_STAGE = "The journey does not offer this step at the pupil's stage."
# What an offered step still answers to: the checks that need its details (the notice's date and parent, an
# improvement period running, the notices already issued to the parent).
CHECKED_WHEN_RECORDED = "The journey checks its details and dates when you record it."


def _tag(text: str, colour: str | None = None) -> dict[str, Any]:
    return {"tag": {"text": text, "classes": f"govuk-tag--{colour}" if colour else ""}}


def task_items(pupil_id: UUID, legal_steps: list[str], offered: set[str], permitted: set[str],
               refusals: dict[str, str], role_refusals: dict[str, str], decided: set[str]) -> list[dict[str, Any]]:
    """One task per legal step: offered to this officer now (a link to record it), not for this role, or not yet
    (the journey's reason); the hint says whether its decision factors are recorded."""
    items = []
    for step in legal_steps:
        factors = "Decision factors recorded." if step in decided else "Decision factors not recorded yet."
        item: dict[str, Any] = {"title": {"text": LEGAL_STEP_LABELS.get(step, step.replace("_", " ").capitalize())}}
        if step in offered and step in permitted:
            item |= {"href": f"/cases/{pupil_id}/act?action={step}",
                     "hint": {"text": f"{CHECKED_WHEN_RECORDED} {factors}"}, "status": _tag("Offered now", "green")}
        elif step in offered:
            item |= {"hint": {"text": f"{role_refusals[step]} {factors}"}, "status": _tag("Not for your role", "grey")}
        else:
            reason = refusals.get(step, NOT_AT_THIS_STAGE).rstrip(".") + "."
            item |= {"hint": {"text": f"{reason} {factors}"}, "status": _tag("Cannot be taken yet", "yellow")}
        items.append(item)
    return items


@router.get("/cases/{pupil_id}/legal-steps")
async def legal_steps_page(request: Request, identity: Officer, pupil_id: UUID, cw: CaseworkDep) -> Response:
    view = await service.case_file(cw, identity, pupil_id)
    offered = {a.action for a in view.journey.available_actions} if view.journey else set()
    steps = cw.settings.legal_steps
    items = task_items(pupil_id, steps, offered, set(view.permitted_actions), await journey_refusals(cw, pupil_id),
                       {s: refusal(cw.settings, s) for s in steps},
                       {d.legal_step for d in view.decisions if d.used_for_action is None})
    return render(request, "legal_steps.html", title="Legal steps", active="cases", pupil_id=pupil_id,
                  display_name=view.case.display_name, items=items, journey_answered=view.journey is not None,
                  read_only=view.read_only_until is not None,
                  can_decide=view.read_only_until is None and may_take(cw.settings, identity, "record_decision"))
