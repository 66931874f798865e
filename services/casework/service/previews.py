"""Letter and message previews on the case page: notifications renders a template with the pupil's real
data and sends nothing; casework fills in what it knows from the case (figures, review date, stage)."""

from __future__ import annotations

import asyncio
import re
from typing import Any
from uuid import UUID

from services.casework import repository
from services.casework.schemas import PreviewIn
from services.casework.service.audit import audit
from services.casework.service.cases import optional, stage_label, visible_case
from services.casework.service.context import Casework
from shared.auth import Identity
from shared.contracts.notifications import PreviewRequest, TemplateChoice, TemplateName, TemplatePreview
from shared.errors import DependencyUnavailable, InvalidInput
from shared.http import ServiceCallFailed

# Context names whose value is a list (the UI takes them one per line).
LIST_CONTEXT = {"actions", "parent_commitments", "support_offered"}
_WHOLE_NUMBER = re.compile(r"^\d{1,9}$")


async def template_choices(cw: Casework) -> list[TemplateChoice] | None:
    """Notifications' catalogue, or None when notifications does not answer."""
    missing: list[str] = []
    return await optional("templates", cw.notifications.templates(), missing,
                          cw.settings.upstream_timeout_seconds)


def template_label(name: str) -> str:
    return name.replace("_", " ").capitalize()


KNOWN_TEMPLATES = [t.value for t in TemplateName]


async def derived_context(cw: Casework, pupil_id: UUID) -> dict[str, Any]:
    """What the case already says that templates ask for; the officer may change any of it."""
    missing: list[str] = []
    figures = await optional("figures", cw.register.pupil_figures(pupil_id), missing,
                             cw.settings.upstream_timeout_seconds)
    async with cw.uow.reading() as db:
        case = await repository.get_case(db, pupil_id)
    context: dict[str, Any] = {}
    if figures is not None:
        context.update(
            attendance_rate=_one_place(figures.attendance_rate), possible_sessions=figures.possible_sessions,
            absence_sessions=figures.possible_sessions - figures.attended_sessions,
            unauthorised_sessions=figures.unauthorised_absence_sessions, band=figures.band.value,
            period_start=figures.from_date.isoformat(), period_end=figures.to_date.isoformat())
        if figures.severe_absence or figures.persistent_absence:
            context["concern"] = "severe absence" if figures.severe_absence else "persistent absence"
    if case is not None:
        context["stage"] = stage_label(case.stage)
        review = next((d for d in case.deadlines if "review" in str(d.get("key", ""))), None)
        if review is not None:
            context["review_date"] = str(review.get("due_date"))
    return context


def _one_place(rate: str) -> str:
    try:
        return f"{float(rate):.1f}"
    except ValueError:
        return rate


def context_from_form(form: dict[str, str], names: list[str]) -> dict[str, Any]:
    """Form fields `ctx_<name>` as template context: lists one per line, whole numbers as numbers."""
    context: dict[str, Any] = {}
    for name in names:
        value = form.get(f"ctx_{name}", "").strip()
        if not value:
            continue
        if name in LIST_CONTEXT:
            context[name] = [line.strip() for line in value.splitlines() if line.strip()]
        elif _WHOLE_NUMBER.match(value):
            context[name] = int(value)
        else:
            context[name] = value[:2000]
    return context


async def preview(cw: Casework, identity: Identity, pupil_id: UUID, request: PreviewIn) -> TemplatePreview:
    """Render the template for this pupil; a template that cannot be rendered is a 422 naming why."""
    case = await visible_case(cw, identity, pupil_id)
    if request.template not in KNOWN_TEMPLATES:
        raise InvalidInput("Choose one of the notification templates.", field="template")
    context = {**await derived_context(cw, pupil_id), **request.context}
    body = PreviewRequest(template=request.template, pupil_id=pupil_id, channel=request.channel, context=context)
    try:
        rendered = await asyncio.wait_for(cw.notifications.preview(body), cw.settings.upstream_timeout_seconds * 3)
    except ServiceCallFailed as exc:
        if exc.is_rejection:
            raise InvalidInput(f"The template cannot be previewed: {exc.problem.get('detail') or exc}",
                               field="context", errors=exc.problem.get("errors")) from exc
        raise DependencyUnavailable("Notifications is unavailable, so the letter cannot be previewed.") from exc
    except TimeoutError as exc:
        raise DependencyUnavailable("Notifications did not answer in time.") from exc
    async with cw.uow.transaction() as db:
        await audit(db, identity, "read", f"preview:{request.template}", case)
    return rendered
