"""The form token: every POST form a signed-in officer can send carries one bound to their session, and each of
those routes refuses a post without it before doing anything.

The threat is cross-site request forgery: a page elsewhere making the officer's browser post to us with their
session cookie attached, to record a journey step or a decision log, withdraw or record a sickness expectation,
or run a pupil search or letter preview in their name. The session cookie is SameSite=Lax, which keeps it off
cross-site POSTs in current browsers; the token also covers what Lax does not: a page on a sibling subdomain (the
same site), browsers that ignore SameSite, and a cookie that a future change sets more loosely.

The token is an HMAC of the session token under the platform secret, so there is nothing to store, no page
without the session can work it out (the cookie is HttpOnly), and it stops working when the officer signs in
again. Comparison is constant-time.

Deliberately without a token:
- GET requests, which change nothing (the letter chooser and the step chooser are GET forms).
- Sign-in. There is no session yet to bind a token to. In production sign-in is the OIDC flow, whose `state`
  is bound to the browser by a cookie (web/oidc.py); the demo-user form exists only in development and test
  (CaseworkSettings.development_login_enabled), and forging it would only sign someone in as a demo user.
- Sign-out, a GET link in the service navigation: forging it can only end the officer's session, which reveals
  and changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from fastapi import Request

from shared.auth import SESSION_COOKIE

FIELD = "csrf_token"
# A genuine token is 64 hex digits; anything much longer is not worth hashing.
_LONGEST = 128


def form_token(request: Request) -> str:
    """The token this session's forms carry; empty without a session (no form then is genuine)."""
    session = request.cookies.get(SESSION_COOKIE, "")
    if not session:
        return ""
    secret = request.app.state.casework.settings.platform.auth_secret
    return hmac.new(secret.encode(), f"casework-form\0{session}".encode(), hashlib.sha256).hexdigest()


def is_genuine(request: Request, posted: str) -> bool:
    """Whether the posted token is the one this session's pages carry."""
    expected = form_token(request)
    if not expected:
        return False
    return hmac.compare_digest(posted[:_LONGEST].encode("utf-8", "replace"), expected.encode())


def posted_form_is_genuine(request: Request, form: Mapping[str, str]) -> bool:
    return is_genuine(request, form.get(FIELD, ""))
