"""The officer UI's form token as the tests post it: read from the form on the rendered page, as a browser posts
it back, so a form that forgot its token fails the test that uses it."""

from __future__ import annotations

import hashlib
import hmac
import re

import httpx

from shared.settings import PlatformSettings

FIELD = "csrf_token"
_HIDDEN = re.compile(r'<input type="hidden" name="csrf_token" value="([0-9a-f]{64})">')


def form_token(page: httpx.Response, action: str) -> str:
    """The token in the page's POST form to `action`."""
    forms = re.findall(rf'<form[^>]*method="post"[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', page.text,
                       re.DOTALL)
    assert forms, f"the page has no POST form to {action}"
    match = _HIDDEN.search(forms[0])
    assert match, f"the form to {action} carries no form token"
    return match.group(1)


async def token_from(http: httpx.AsyncClient, path: str, headers: dict[str, str], action: str) -> str:
    """Open the page at `path` and read the token of its form to `action`."""
    page = await http.get(path, headers=headers)
    assert page.status_code in {200, 422}, (path, page.status_code)
    return form_token(page, action)


def token_of_session(platform: PlatformSettings, session: str) -> str:
    """The token a session's pages would carry, worked out for those shown no form (to test the refusals behind
    them, not the form token)."""
    return hmac.new(platform.auth_secret.encode(), f"casework-form\0{session}".encode(), hashlib.sha256).hexdigest()
