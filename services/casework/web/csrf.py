"""A form token bound to the officer's session, checked on the forms that change another service's records.

The session cookie is SameSite=Lax, which keeps it off cross-site POSTs in current browsers; the token also
covers what Lax does not: a page on a sibling subdomain (same site) and older browsers. It is derived from the
session token itself, so there is nothing to store, and it stops working when the officer signs out or in again.
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request

from shared.auth import SESSION_COOKIE

FIELD = "csrf_token"


def form_token(request: Request) -> str:
    session = request.cookies.get(SESSION_COOKIE, "")
    secret = request.app.state.casework.settings.platform.auth_secret
    return hmac.new(secret.encode(), f"casework-form\0{session}".encode(), hashlib.sha256).hexdigest()


def is_genuine(request: Request, posted: str) -> bool:
    """Whether the posted token is the one this session's pages carry."""
    if not request.cookies.get(SESSION_COOKIE):
        return False
    return hmac.compare_digest(posted.encode(), form_token(request).encode())
