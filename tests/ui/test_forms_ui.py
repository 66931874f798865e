"""Forged forms in the browser: a page on another origin of the same site (another port on 127.0.0.1, so the
SameSite=Lax session cookie does go with its posts) submits casework's forms as the signed-in officer. Without
the session's form token they are refused with a GOV.UK error page and nothing is done; the officer's own forms,
which carry it, work."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from html import escape
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from playwright.async_api import Page, expect

from shared import clock
from shared.auth import Role
from shared.settings import PlatformSettings
from tests.support.identities import bearer, token_for
from tests.ui.conftest import LiveCasework, ServerThread
from tests.ui.pages.case_list import CaseListPage
from tests.ui.pages.error_page import FORM_NOT_CHECKED, ErrorPage
from tests.ui.pages.sign_in import sign_in

pytestmark = [pytest.mark.ui, pytest.mark.asyncio(loop_scope="session")]


def _forged_page(live: LiveCasework) -> str:
    def form(action: str, fields: dict[str, str], button: str) -> str:
        inputs = "".join(f'<input type="hidden" name="{k}" value="{escape(v)}">' for k, v in fields.items())
        return f'<form method="post" action="{live.url}{action}">{inputs}<button>{button}</button></form>'

    review = (clock.today() + timedelta(days=28)).isoformat()

    return ("<!doctype html><html lang='en'><head><title>Prize draw</title></head><body>"
            + form(f"/cases/{live.allocated}/act", {"action": "agree_action_plan", "actions": "Nothing",
                                                    "review_date": review}, "Claim your prize")
            + form("/cases/search", {"name": "Sophie"}, "See who entered")
            + form("/cases/search", {"name": "Sophie", "csrf_token": "0" * 64}, "Try your luck")
            + "</body></html>")


class PrizeDraw:
    """The attacker's page, on another origin: not casework's, so not checked with axe; only what casework answers
    its forms with is."""

    def __init__(self, page: Page, url: str) -> None:
        self.page, self.url = page, url

    async def press(self, button: str) -> None:
        await self.page.goto(self.url)
        await self.page.get_by_role("button", name=button).click()


@pytest.fixture(scope="module")
def elsewhere(live_casework: LiveCasework) -> Iterator[str]:
    app = FastAPI()
    page = _forged_page(live_casework)

    @app.get("/")
    async def forged() -> HTMLResponse:
        return HTMLResponse(page)

    with ServerThread(app) as server:
        yield server.url


async def _journey_version(live: LiveCasework, platform: PlatformSettings) -> int:
    """The journey's version, asked without blocking this loop (the fake journey's worker runs on it)."""
    token = token_for(platform, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    async with httpx.AsyncClient(timeout=10) as http:
        case = (await http.get(f"{live.url}/api/v1/cases/{live.allocated}", headers=bearer(token))).json()
    return int(case["journey"]["state_version"])


async def test_forged_forms_are_refused_and_the_officers_own_work(page: Page, live_casework: LiveCasework,
                                                                  elsewhere: str, platform_settings: PlatformSettings,
                                                                  screenshots: Path) -> None:
    live = live_casework
    await sign_in(page, screenshots, live.url, "Priya Shah, School attendance officer")
    before = await _journey_version(live, platform_settings)

    prize_draw = PrizeDraw(page, elsewhere)
    refused = ErrorPage(page, screenshots)
    await prize_draw.press("Claim your prize")
    await refused.expect_titled(FORM_NOT_CHECKED)
    await expect(refused.main).to_contain_text("nothing was done")
    await expect(refused.header).to_contain_text("Signed in as Priya Shah")  # the cookie did go with it
    await refused.check("forged-form-refused")
    assert await _journey_version(live, platform_settings) == before

    for button in ("See who entered", "Try your luck"):
        await prize_draw.press(button)
        await refused.expect_titled(FORM_NOT_CHECKED)
        await expect(refused.main).not_to_contain_text("Sophie")
        await refused.check("forged-search-refused")

    cases = CaseListPage(page, screenshots)
    await cases.goto(f"{live.url}/cases")
    await cases.find_pupil("Sophie")
    await expect(cases.main).to_contain_text("Sophie Allocated")
    assert "Sophie" not in cases.url
    await cases.check("search")
