"""More officer pages: the whole-family view, the school page with its charts, and letter previews. Forms
post to the same service functions as the JSON API; failures come back as pages or error summaries."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from fastapi import Request
from fastapi.responses import Response

from services.casework import service
from services.casework.dependencies import CaseworkDep
from services.casework.schemas import PreviewIn
from services.casework.service.cases import visible_case
from services.casework.service.previews import LIST_CONTEXT, context_from_form, derived_context, template_choices
from services.casework.web.action_forms import DATE_PARTS, date_from_parts
from services.casework.web.forms import date_fields, error_summary
from services.casework.web.officer import Defaulting, Officer, error_page, forged_form, page_router, posted_form, render
from services.casework.web.reports import ALL_PUPILS_LABEL, DFE_COHORT_LABEL, dfe_cohort
from shared.contracts.notifications import TemplatePreview
from shared.errors import ServiceError

router = page_router()

COHORT_LABELS = {
    "sex": "By sex", "free_school_meals": "Free school meals", "pupil_premium": "Pupil premium",
    "sen": "Special educational needs", "looked_after": "Looked after", "previously_looked_after":
    "Previously looked after", "child_in_need": "Child in need", "child_protection_plan": "Child protection plan",
    "ethnicity": "By ethnicity",
}


@router.get("/cases/{pupil_id}/family")
async def family_page(request: Request, identity: Officer, pupil_id: UUID, cw: CaseworkDep) -> Response:
    family = await service.family_view(cw, identity, pupil_id)
    return render(request, "family.html", title="Family", active="cases", family=family,
                  school_names=await cw.schools.names())


@router.get("/pupils/{pupil_id}")
async def pupil_page(request: Request, identity: Officer, pupil_id: UUID, cw: CaseworkDep) -> Response:
    view = await service.pupil_view(cw, identity, pupil_id)
    return render(request, "pupil.html", title=view.pupil.display_name, active="cases", view=view,
                  school_name=(await cw.schools.names()).get(view.pupil.school_urn, view.pupil.school_urn))


@router.get("/schools/{urn}")
async def school_page(request: Request, identity: Officer,
                      urn: str, cw: CaseworkDep, academic_year: int | None = None) -> Response:
    year = academic_year if academic_year is not None and 2000 <= academic_year <= 2100 else None
    summary = await service.school_summary(cw, identity, urn[:20], year)
    # Register counts all pupils on roll; returns' reports the DfE statistics cohort: both shown, each named.
    dfe = await dfe_cohort(request, urn[:20], summary.academic_year)
    return render(request, "school.html", title=summary.name, active="dashboard", summary=summary,
                  cohort_labels=COHORT_LABELS, min_group=cw.settings.figures_only_min_group,
                  governor_report_url=f"/schools/{urn[:20]}/governor-report", dfe=dfe,
                  all_pupils_label=ALL_PUPILS_LABEL, dfe_label=DFE_COHORT_LABEL)


async def _preview_page(request: Request, cw: CaseworkDep, pupil_id: UUID, *, template: str = "",
                        status_code: int = 200, errors: dict[str, str] | None = None,
                        values: dict[str, str] | None = None, rendered: TemplatePreview | None = None) -> Response:
    identity = request.state.ui_identity
    case = await visible_case(cw, identity, pupil_id)
    templates = await template_choices(cw)
    chosen = next((t for t in templates or [] if t.template == template), None)
    errors = errors or {}
    if template and chosen is None and templates is not None:
        errors, status_code = {"template": "Select one of the letters or messages"}, 422
    if chosen is not None and values is None:
        derived = await derived_context(cw, pupil_id)
        values = {f"ctx_{name}": _as_field(derived[name]) for name in chosen.required_context if name in derived}
    values = _with_date_parts(values or {})
    dates = {name for name in (chosen.required_context if chosen else []) if _is_date(name)}
    return render(request, "preview.html", status_code=status_code, title="Preview a letter", active="cases",
                  pupil_id=pupil_id, display_name=case.display_name, templates=templates, chosen=chosen,
                  values=values, list_fields=LIST_CONTEXT, date_context=dates, rendered=rendered,
                  field_errors=Defaulting(errors),
                  errors=error_summary(errors, tuple(f"ctx_{name}" for name in dates)))


def _as_field(value: Any) -> str:
    return "\n".join(map(str, value)) if isinstance(value, list) else str(value)


def _is_date(name: str) -> bool:
    """Template context named like meeting_date or review_date is a day: a GOV.UK date input on the form."""
    return name.endswith("_date")


def _with_date_parts(values: dict[str, str]) -> dict[str, str]:
    """A date the case already knows (an ISO day) shown in its date input's day, month and year."""
    shown = dict(values)
    for key, value in values.items():
        if key.startswith("ctx_") and _is_date(key) and value:
            try:
                shown = {**date_fields(key, date.fromisoformat(value)), **shown}
            except ValueError:
                continue
    return shown


def _context_names(form: dict[str, str]) -> list[str]:
    """The context the form gives, in its order: a date input's three fields are one name."""
    names: dict[str, None] = {}
    for key in form:
        if key.startswith("ctx_"):
            name = key.removeprefix("ctx_")
            for part in DATE_PARTS:
                name = name.removesuffix(f"-{part}")
            names.setdefault(name, None)
    return list(names)[:40]


def _posted_dates(form: dict[str, str], names: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The dates the form gives as ISO days by field (ctx_<name>), and the error summary's messages for those
    missing or not real dates (nothing is previewed then)."""
    days: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name in filter(_is_date, names):
        key, label = f"ctx_{name}", name.replace("_", " ").capitalize()
        raw, problem = form.get(key, "").strip(), None
        if raw:
            try:
                raw = date.fromisoformat(raw).isoformat()
            except ValueError:
                problem = f"{label} must be a real date"
        else:
            raw, problem = date_from_parts(form, key, label)
        if problem or not raw:
            errors[key] = problem or f"Enter the {label.lower()}"
        else:
            days[key] = raw
    return days, errors


@router.get("/cases/{pupil_id}/preview")
async def preview_form(request: Request, _: Officer, pupil_id: UUID, cw: CaseworkDep, template: str = "") -> Response:
    if not template and "choose" in request.query_params:
        return await _preview_page(request, cw, pupil_id, status_code=422,
                                   errors={"template": "Select the letter or message to preview"})
    return await _preview_page(request, cw, pupil_id, template=template[:100])


@router.post("/cases/{pupil_id}/preview")
async def preview(request: Request, identity: Officer, pupil_id: UUID, cw: CaseworkDep) -> Response:
    form = await posted_form(request)
    if form is None:
        return forged_form(request)
    template = form.get("template", "")[:100]
    names = _context_names(form)
    # A date the letter needs is asked for even when the form left its boxes out altogether.
    chosen = next((t for t in await template_choices(cw) or [] if t.template == template), None)
    needed = [name for name in (chosen.required_context if chosen else []) if _is_date(name) and name not in names]
    days, date_errors = _posted_dates(form, names + needed)
    if date_errors:
        return await _preview_page(request, cw, pupil_id, template=template, status_code=422, errors=date_errors,
                                   values=form)
    try:
        rendered = await service.preview(cw, identity, pupil_id, PreviewIn(
            template=template or "-", context=context_from_form({**form, **days}, names)))
    except ServiceError as exc:
        if exc.status_code in {403, 404}:
            return error_page(request, exc)
        if any(e.get("field") == "template" for e in exc.errors):
            return await _preview_page(request, cw, pupil_id, status_code=422,
                                       errors={"template": "Select one of the letters or messages"})
        named = [(str(e.get("field", "")).removeprefix("context."), str(e.get("message", exc.detail)))
                 for e in exc.errors if str(e.get("field", "")).startswith("context.")]
        fields = {f"ctx_{name}": f"{name.replace('_', ' ').capitalize()}: {message}" for name, message in named}
        return await _preview_page(request, cw, pupil_id, template=template, status_code=exc.status_code,
                                   errors=fields or {"context": exc.detail}, values=form)
    return await _preview_page(request, cw, pupil_id, template=template, values=form, rendered=rendered)
