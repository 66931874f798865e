"""Production sign-in for the officer UI: the OIDC authorisation-code flow at the organisation's identity
provider (shared/clients/oidc.py talks to it). The access token it returns (role and scope in its claims, as the
APIs expect) becomes the session cookie, verified like every other token."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from services.casework.dependencies import CaseworkDep
from services.casework.settings import CaseworkSettings
from shared.auth import SESSION_COOKIE, TOKEN_LIFETIME_SECONDS, verify_token
from shared.clients.oidc import OidcProvider
from shared.errors import NotAuthenticated

router = APIRouter(include_in_schema=False)
STATE_COOKIE = "attendance_sign_in_state"


def oidc_provider(request: Request) -> OidcProvider | None:
    """The identity provider, where one is configured (install_web made it)."""
    provider: OidcProvider | None = getattr(request.app.state, "oidc", None)
    return provider


OidcDep = Annotated[OidcProvider | None, Depends(oidc_provider)]


def _callback_url(request: Request) -> str:
    return str(request.url_for("oidc_callback"))


async def start_sign_in(request: Request, settings: CaseworkSettings, provider: OidcProvider) -> Response:
    """Send the browser to the identity provider, with a one-time state bound to this browser by a cookie."""
    endpoints = await provider.endpoints()
    state = secrets.token_urlsafe(24)
    query = urlencode({"response_type": "code", "client_id": settings.oidc_client_id, "scope": settings.oidc_scope,
                       "redirect_uri": _callback_url(request), "state": state})
    response = RedirectResponse(f"{endpoints.authorization_endpoint}?{query}", status_code=302)
    response.set_cookie(STATE_COOKIE, state, max_age=600, httponly=True, samesite="lax", secure=True)
    return response


@router.get("/auth/callback", name="oidc_callback")
async def oidc_callback(request: Request, cw: CaseworkDep, provider: OidcDep, code: str = "",
                        state: str = "") -> Response:
    """Exchange the code for a token, check it as the APIs will, and keep it as the session."""
    settings = cw.settings
    expected = request.cookies.get(STATE_COOKIE, "")
    if provider is None or not code or not expected or not hmac.compare_digest(state, expected):
        raise NotAuthenticated("The sign-in could not be completed. Start again from the sign-in page.")
    answer = await provider.exchange_code(code=code, redirect_uri=_callback_url(request),
                                          client_id=settings.oidc_client_id,
                                          client_secret=settings.oidc_client_secret)
    if answer is None:
        raise NotAuthenticated("The identity provider did not confirm the sign-in. Start again.")
    verify_token(answer.access_token, settings.platform)  # refuses a token without a known role and scope
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(SESSION_COOKIE, answer.access_token, httponly=True, samesite="lax", secure=True,
                        max_age=TOKEN_LIFETIME_SECONDS if answer.expires_in is None else answer.expires_in)
    response.delete_cookie(STATE_COOKIE)
    return response
