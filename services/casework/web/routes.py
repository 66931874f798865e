"""The officer UI: server-rendered GOV.UK pages whose forms post to the same service functions as the API.
No pupil names or UPNs in URLs: pages are addressed by the internal pupil id."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from services.casework import service
from services.casework.dependencies import CaseworkDep, SicknessExpectationsDep
from services.casework.schemas import CasePage
from services.casework.service.permissions import PRIOR_PENALTY_NOTICE, may_take, refusal
from services.casework.web import oidc
from services.casework.web.action_forms import field_specs
from services.casework.web.forms import LEGAL_STEP_LABELS, parse_decision
from services.casework.web.officer import (
    Defaulting,
    Officer,
    error_page,
    forged_form,
    page_router,
    posted_form,
    render,
    signed_in,
    to_sign_in,
)
from services.casework.web.sickness_card import SicknessForm, sickness_card
from shared import clock
from shared.auth import (
    LA_ROLES,
    SESSION_COOKIE,
    TOKEN_LIFETIME_SECONDS,
    Identity,
    Role,
    Scope,
    issue_token,
)
from shared.clients.returns_expectations import SicknessExpectationsClient
from shared.contracts.journey import STAGE_LABELS
from shared.demo import DEMO_SCHOOLS, DEMO_USERS
from shared.errors import DependencyUnavailable, ServiceError
from shared.settings import Environment

router = page_router()


@router.get("/")
async def home(request: Request, identity: Officer, cw: CaseworkDep) -> Response:
    counts, page = await service.dashboard(cw, identity)
    schools = (await cw.schools.visible_to(identity)
               if identity.scope.school_urns or identity.role in LA_ROLES else [])
    return render(request, "dashboard.html", title="Dashboard", active="dashboard", counts=counts, page=page,
                  governor=identity.role is Role.GOVERNOR, school_names=await cw.schools.names(),
                  tsm_schools=[] if identity.role is Role.GOVERNOR else schools,
                  school_pages=[] if identity.role is Role.SOCIAL_WORKER else schools,
                  la_dashboard_url=(f"/las/{identity.scope.la_code}/dashboard"
                                    if identity.role in LA_ROLES and identity.scope.la_code else None),
                  governor_reports=(identity.scope.school_urns
                                    if identity.role in {Role.GOVERNOR, Role.HEADTEACHER} else []))


def _user_items(selected: str | None = None) -> list[dict[str, Any]]:
    """The development login's demo users (their schools are the demo's, whatever register holds)."""
    demo_names = {school.urn: school.name for school in DEMO_SCHOOLS}
    return [{"value": u.subject, "text": f"{u.name}, {u.role.label}",
             "hint": {"text": ", ".join(demo_names.get(urn, urn) for urn in u.school_urns) or "Local authority"},
             "checked": u.subject == selected} for u in DEMO_USERS]


@router.get("/sign-in")
async def sign_in_page(request: Request, cw: CaseworkDep, provider: oidc.OidcDep) -> Response:
    if provider is not None:
        return await oidc.start_sign_in(request, cw.settings, provider)
    signed_in(request)
    return render(request, "sign_in.html", title="Sign in", users=_user_items(),
                  development_login=cw.settings.development_login_enabled)


@router.post("/sign-in")
async def sign_in(request: Request, cw: CaseworkDep) -> Response:
    """The demo-user sign-in, in development and test only. It carries no form token: there is no session to bind
    one to, and forging it could only sign someone in as a demo user (web/csrf.py says more)."""
    if not cw.settings.development_login_enabled:
        return render(request, "sign_in.html", status_code=403, title="Sign in", development_login=False)
    form = await request.form()
    subject = str(form.get("user", ""))
    user = next((u for u in DEMO_USERS if u.subject == subject), None)
    if user is None:
        return render(request, "sign_in.html", status_code=422, title="Sign in", users=_user_items(),
                      development_login=True, errors=[{"text": "Select who you are", "href": "#user"}])
    if user.role is Role.SOCIAL_WORKER:
        # Her pupils are read on every page, not kept in the token; asking now fills the cache and says at once
        # when register is down, rather than on the first page.
        try:
            await cw.allocations.pupils(user.email)
        except DependencyUnavailable:
            return render(request, "sign_in.html", status_code=503, title="Sign in", development_login=True,
                          users=_user_items(subject), errors=[{
                              "text": "Your allocated pupils could not be looked up in the register. Try again "
                                      "shortly.", "href": "#user"}])
    identity = Identity(subject=user.subject, name=user.name, role=user.role, email=user.email,
                        scope=Scope(school_urns=user.school_urns, la_code=user.la_code))
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(SESSION_COOKIE, issue_token(identity, cw.settings.platform), httponly=True,
                        samesite="lax", max_age=TOKEN_LIFETIME_SECONDS,
                        secure=cw.settings.platform.environment is Environment.PRODUCTION)
    return response


@router.get("/sign-out")
async def sign_out() -> Response:
    response = to_sign_in()
    response.delete_cookie(SESSION_COOKIE)
    return response


def _pagination(page: CasePage | Any, base: str, number: int) -> dict[str, Any] | None:
    pages = max(1, -(-page.total // page.limit))
    if pages <= 1:
        return None
    separator = "&" if "?" in base else "?"
    result: dict[str, Any] = {"items": [{"number": n, "href": f"{base}{separator}page={n}", "current": n == number}
                                        for n in range(1, pages + 1)]}
    if number > 1:
        result["previous"] = {"href": f"{base}{separator}page={number - 1}"}
    if number < pages:
        result["next"] = {"href": f"{base}{separator}page={number + 1}"}
    return result


@router.get("/cases")
async def cases_page(request: Request, identity: Officer, cw: CaseworkDep, stage: str = "", school: str = "",
                     view: str = "", page: int = 1) -> Response:
    return await _cases(request, cw, identity, stage=stage, school=school, view=view, page=page)


@router.post("/cases/search")
async def search_cases_page(request: Request, identity: Officer, cw: CaseworkDep) -> Response:
    form = await posted_form(request)
    if form is None:
        return forged_form(request)
    # The name travels in the form body, never in a URL that logs and browser history keep.
    return await _cases(request, cw, identity, name=form.get("name", "").strip()[:100])


async def _cases(request: Request, cw: CaseworkDep, identity: Identity, *, stage: str = "", school: str = "",
                 view: str = "", page: int = 1, name: str = "") -> Response:
    number = max(1, min(page, 10_000))
    limit = cw.settings.page_size if not name else 100
    stage = stage if stage in STAGE_LABELS else ""
    result = await service.list_cases(
        cw, identity, offset=(number - 1) * limit, limit=limit, stage=stage or None, school_urn=school or None,
        mine=view == "mine", deadline_by=clock.today() + timedelta(days=7) if view == "deadlines" else None,
        case_list=view, search=name or None, include_closed=bool(name))
    stage_items = [{"value": "", "text": "All open stages"}] + [
        {"value": s.value, "text": label, "selected": s.value == stage} for s, label in STAGE_LABELS.items()]
    names = await cw.schools.names()
    school_items = [{"value": "", "text": "All schools"}] + [
        {"value": urn, "text": names.get(urn, urn), "selected": urn == school}
        for urn in await cw.schools.visible_to(identity)]
    view_items = [{"value": v, "text": t, "selected": v == view} for v, t in
                  [("", "All cases"), ("mine", "My caseload"), ("deadlines", "Deadlines due within 7 days"),
                   ("new_unexplained", "New unexplained absences"),
                   ("newly_pa_sa", "Newly persistently or severely absent")]]
    base = f"/cases?stage={stage}&school={school}&view={view}"
    return render(request, "cases.html", title="Cases", active="cases", page=result, school_names=names,
                  stage_items=stage_items, school_items=school_items, view_items=view_items, searched=name,
                  pagination=None if name else _pagination(result, base, number))


async def case_file_page(request: Request, cw: CaseworkDep, identity: Identity, pupil_id: UUID,
                         returns: SicknessExpectationsClient, message: str | None = None, *, status_code: int = 200,
                         sickness_form: SicknessForm | None = None) -> Response:
    """The case page; `sickness_form` is the sickness expectation form as posted, with returns' refusals."""
    view = await service.case_file(cw, identity, pupil_id)
    # An earlier school reads the case as it stood when the pupil left; the new school records from now on.
    writable = view.read_only_until is None
    sickness = await sickness_card(request, returns, identity, pupil_id=pupil_id, school_urn=view.case.school_urn,
                                   la_code=view.case.la_code, form=sickness_form) if writable else None
    offered = view.journey.available_actions if view.journey else []
    names = await cw.schools.names()
    return render(request, "case.html", status_code=status_code, title=view.case.display_name, active="cases",
                  view=view, school_name=names.get(view.case.school_urn, view.case.school_urn), school_names=names,
                  steps=[a for a in offered if a.action in view.permitted_actions],
                  others=[refusal(cw.settings, a.action) for a in offered if a.action not in view.permitted_actions],
                  can_decide=writable and may_take(cw.settings, identity, "record_decision"),
                  can_record_prior=writable and may_take(cw.settings, identity, PRIOR_PENALTY_NOTICE),
                  message=message, sickness=sickness, errors=sickness_form.summary() if sickness_form else [])


@router.get("/cases/{pupil_id}")
async def case_page(request: Request, identity: Officer,
                    pupil_id: UUID, cw: CaseworkDep, returns: SicknessExpectationsDep,
                    done: str = "") -> Response:
    messages = {"step": "The step has been recorded.", "decision": "The decision log has been saved.",
                "prior_notice": "The penalty notice from another local authority has been recorded.",
                "sickness": "The sickness expectation has been recorded.",
                "sickness_withdrawn": "The sickness expectation has been withdrawn."}
    return await case_file_page(request, cw, identity, pupil_id, returns, messages.get(done))


async def _decision_form(request: Request, cw: CaseworkDep, identity: Identity, pupil_id: UUID, *,
                         status_code: int = 200, errors: dict[str, str] | None = None,
                         values: dict[str, str] | None = None) -> Response:
    view = await service.case_file(cw, identity, pupil_id)
    values = values or {}
    steps = [{"value": s, "text": LEGAL_STEP_LABELS.get(s, s.replace("_", " ").capitalize()),
              "checked": values.get("legal_step") == s} for s in cw.settings.legal_steps]
    errors = errors or {}
    return render(request, "decision.html", status_code=status_code, title="Decision log", active="cases",
                  pupil_id=pupil_id, display_name=view.case.display_name, steps=steps, values=values,
                  specs=field_specs("record_decision"), field_errors=Defaulting(errors),
                  errors=[{"text": m, "href": f"#{k}"} for k, m in errors.items()])


@router.get("/cases/{pupil_id}/decision")
async def decision_form(request: Request, identity: Officer, pupil_id: UUID, cw: CaseworkDep) -> Response:
    return await _decision_form(request, cw, identity, pupil_id)


@router.post("/cases/{pupil_id}/decision")
async def record_decision(request: Request, identity: Officer, pupil_id: UUID, cw: CaseworkDep) -> Response:
    form = await posted_form(request)
    if form is None:
        return forged_form(request)
    decision, errors = parse_decision(form, cw.settings.legal_steps)
    if decision is None:
        return await _decision_form(request, cw, identity, pupil_id, status_code=422, errors=errors.fields,
                                    values=form)
    try:
        await service.record_decision(cw, identity, pupil_id, decision)
    except ServiceError as exc:
        if exc.status_code in {403, 404}:
            return error_page(request, exc)
        return await _decision_form(request, cw, identity, pupil_id, status_code=exc.status_code,
                                    errors={"legal_step": exc.detail}, values=form)
    return RedirectResponse(f"/cases/{pupil_id}?done=decision", status_code=303)


@router.get("/cases/{pupil_id}/evidence-bundle.pdf")
async def evidence_bundle(request: Request, identity: Officer, pupil_id: UUID, cw: CaseworkDep) -> Response:
    pdf = await service.evidence_bundle(cw, identity, pupil_id)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": 'attachment; filename="evidence-bundle.pdf"', "Cache-Control": "no-store"})


@router.get("/schools/{urn}/tsm-pack")
async def tsm_pack_page(request: Request, identity: Officer, urn: str, cw: CaseworkDep) -> Response:
    pack = await service.tsm_pack(cw, identity, urn[:20])
    name = (await cw.schools.names()).get(urn, urn)
    return render(request, "tsm_pack.html", title=f"Targeting Support Meeting pack: {name}",
                  active="dashboard", pack=pack)


@router.get("/audit")
async def audit_page(request: Request, identity: Officer, cw: CaseworkDep, page: int = 1) -> Response:
    number = max(1, min(page, 10_000))
    limit = cw.settings.page_size
    result = await service.list_audit(cw, identity, pupil_id=None, offset=(number - 1) * limit, limit=limit)
    return render(request, "audit.html", title="Audit log", active="audit", page=result,
                  pagination=_pagination(result, "/audit", number))
