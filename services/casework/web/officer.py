"""The signed-in officer of each page, and the pages every route shares: rendering, error pages, form checks.

A page's officer is read once per request by OfficerPage, before the route runs: the session cookie's identity,
with a social worker's pupils as register allocates them now (services/casework/service/allocations.py), since
the allocation may have changed since she signed in. Routes take it as an `Officer` parameter (nobody signed
in: the sign-in page), and a service's refusal they do not handle themselves becomes a GOV.UK error page."""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.routing import APIRoute

from services.casework.web import csrf
from shared.auth import SESSION_COOKIE, Identity, Role, verify_token
from shared.errors import DependencyUnavailable, NotAuthenticated, ServiceError
from shared.http import ServiceCallFailed

log = logging.getLogger(__name__)

ERROR_TITLES = {401: "Sign in to continue", 403: "You do not have access to this page",
                404: "Page not found", 409: "That step cannot be taken", 503: "Sorry, there is a problem"}
# Pages that work without the officer's scope: signing in and out must not wait on register.
SESSION_PATHS = {"/sign-in", "/sign-out"}


def ui_identity(request: Request) -> Identity | None:
    """The session cookie's identity, as signed: a social worker's pupils are not in it (OfficerPage adds them)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        identity = verify_token(token, request.app.state.casework.settings.platform)
    except NotAuthenticated:
        return None
    if identity.role is Role.DFE_COLLECTOR:
        return None  # the DfE's collector collects the daily share and sees no officer page
    if identity.role is Role.SOCIAL_WORKER:
        # A list in the token may be hours old; only register's current allocation counts.
        return identity.model_copy(update={"scope": identity.scope.model_copy(update={"pupil_ids": []})})
    return identity


class OfficerPage(APIRoute):
    """A page route that reads the signed-in officer once per request, with a social worker's pupils as register
    allocates them now, for `signed_in`; when register cannot say (and no recent list is kept) the page is an error
    page rather than one built on an old or empty scope."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        needs_scope = self.path not in SESSION_PATHS

        async def with_officer(request: Request) -> Response:
            identity = request.state.ui_identity = ui_identity(request)
            if identity is not None and needs_scope:
                try:
                    request.state.ui_identity = await request.app.state.casework.allocations.resolve(identity)
                except DependencyUnavailable as exc:
                    return error_page(request, exc)
            # Every page answers a missing sign-in and a service's refusal the same way, so routes don't repeat it.
            try:
                return await handle(request)
            except SignInFirst:
                return to_sign_in()
            except ServiceError as exc:
                return error_page(request, exc)

        return with_officer


def render(request: Request, template: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    templates = request.app.state.templates
    context.setdefault("identity", getattr(request.state, "ui_identity", None))
    context.setdefault("errors", [])
    context.setdefault("csrf_token", csrf.form_token(request))
    response: HTMLResponse = templates.TemplateResponse(request, template, context, status_code=status_code)
    return response


def refusal_page(request: Request, exc: ServiceCallFailed | None, service: str, what: str,
                 invalid: tuple[str, str] | None = None) -> HTMLResponse:
    """Another service's answer to a page it was asked for as the officer, as a GOV.UK error page: its refusal in
    its own words (403, 404, and 422 titled by `invalid`'s title and message when given), a sign-in that expired
    (401), or 503 when it could not answer or answered something unreadable (no `exc`); never the JSON a browser
    cannot read."""
    status = exc.status if exc is not None else None
    if exc is not None and status == 401:
        return render(request, "error.html", status_code=401, title=ERROR_TITLES[401],
                      message="Your sign-in has expired. Sign in again to see this page.")
    if exc is not None and status in (403, 404, 422):
        title, message = invalid if status == 422 and invalid else (ERROR_TITLES.get(status, ""), exc.detail)
        return render(request, "error.html", status_code=status, title=title, message=message)
    log.warning("%s did not give %s", service, what, extra={"status": status})
    return render(request, "error.html", status_code=503, title=ERROR_TITLES[503],
                  message=f"The {service} service could not give {what} just now. Try again shortly.")


def error_page(request: Request, exc: ServiceError) -> HTMLResponse:
    """A service failure as a page: its message, never a stack trace."""
    return render(request, "error.html", status_code=exc.status_code,
                  title=ERROR_TITLES.get(exc.status_code, "There is a problem"), message=exc.detail)


def forged_form(request: Request) -> HTMLResponse:
    """The page for a post without this session's form token (web/csrf.py): nothing has been done."""
    return render(request, "error.html", status_code=403, title="This form could not be checked",
                  message="It may be out of date or have come from another site, so nothing was done. Go back, "
                          "reload the page and try again.")


async def posted_form(request: Request) -> dict[str, str] | None:
    """The posted fields, or None when they do not carry this session's form token."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    return form if csrf.posted_form_is_genuine(request, form) else None


class SignInFirst(Exception):
    """Nobody is signed in to a page that needs an officer: OfficerPage sends them to sign in."""


def officer(request: Request) -> Identity:
    """The signed-in officer of a page (a dependency); nobody signed in goes to the sign-in page."""
    identity = signed_in(request)
    if identity is None:
        raise SignInFirst
    return identity


Officer = Annotated[Identity, Depends(officer)]


def signed_in(request: Request) -> Identity | None:
    """The officer OfficerPage read for this request (None when nobody is signed in)."""
    if not hasattr(request.state, "ui_identity"):
        raise RuntimeError(f"{request.url.path} is not an OfficerPage route, so its officer was not read")
    identity: Identity | None = request.state.ui_identity
    return identity


def to_sign_in() -> RedirectResponse:
    return RedirectResponse("/sign-in", status_code=303)


def page_router() -> APIRouter:
    """A router of officer pages: each route reads its officer through OfficerPage, and none is in the OpenAPI."""
    return APIRouter(include_in_schema=False, route_class=OfficerPage)


class Defaulting(dict[str, str]):
    """A form's field errors, read by the templates for every field: a field without an error reads as ''."""

    def __missing__(self, key: str) -> str:
        return ""
