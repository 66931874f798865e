"""Production sign-in for the officer UI: the OIDC authorisation-code flow at the organisation's identity
provider. The access token it returns (role and scope in its claims, as the APIs expect) becomes the session
cookie, verified like every other token."""

from __future__ import annotations

import hmac
import secrets
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.casework.dependencies import CaseworkDep
from shared.auth import SESSION_COOKIE, TOKEN_LIFETIME_SECONDS, verify_token
from shared.errors import NotAuthenticated

router = APIRouter(include_in_schema=False)
STATE_COOKIE = "attendance_sign_in_state"


_discovered: dict[str, dict[str, Any]] = {}


async def _discovery(issuer: str) -> dict[str, Any]:
    """The issuer's endpoints, fetched once per process (they do not change while it runs)."""
    if issuer not in _discovered:
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.get(f"{issuer.rstrip('/')}/.well-known/openid-configuration")
            response.raise_for_status()
            _discovered[issuer] = dict(response.json())
    return _discovered[issuer]


def _callback_url(request: Request) -> str:
    return str(request.url_for("oidc_callback"))


async def start_sign_in(request: Request, cw: CaseworkDep) -> Response:
    """Send the browser to the identity provider, with a one-time state bound to this browser by a cookie."""
    settings = cw.settings
    assert settings.platform.oidc_issuer
    config = await _discovery(settings.platform.oidc_issuer)
    state = secrets.token_urlsafe(24)
    query = urlencode({"response_type": "code", "client_id": settings.oidc_client_id, "scope": settings.oidc_scope,
                       "redirect_uri": _callback_url(request), "state": state})
    response = RedirectResponse(f"{config['authorization_endpoint']}?{query}", status_code=302)
    response.set_cookie(STATE_COOKIE, state, max_age=600, httponly=True, samesite="lax", secure=True)
    return response


@router.get("/auth/callback", name="oidc_callback")
async def oidc_callback(request: Request, cw: CaseworkDep, code: str = "", state: str = "") -> Response:
    """Exchange the code for a token, check it as the APIs will, and keep it as the session."""
    settings = cw.settings
    expected = request.cookies.get(STATE_COOKIE, "")
    if not settings.platform.oidc_issuer or not code or not expected or not hmac.compare_digest(state, expected):
        raise NotAuthenticated("The sign-in could not be completed. Start again from the sign-in page.")
    config = await _discovery(settings.platform.oidc_issuer)
    async with httpx.AsyncClient(timeout=10) as client:
        answer = await client.post(config["token_endpoint"], data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": _callback_url(request),
            "client_id": settings.oidc_client_id, "client_secret": settings.oidc_client_secret})
    if answer.status_code != 200 or "access_token" not in answer.json():
        raise NotAuthenticated("The identity provider did not confirm the sign-in. Start again.")
    token = str(answer.json()["access_token"])
    verify_token(token, settings.platform)  # refuses a token without a known role and scope
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="lax", secure=True,
                        max_age=int(answer.json().get("expires_in", TOKEN_LIFETIME_SECONDS)))
    response.delete_cookie(STATE_COOKIE)
    return response
