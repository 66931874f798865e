"""The development sign-in page: choose who you are."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page

from tests.ui.pages.base import BasePage
from tests.ui.pages.dashboard import DashboardPage


class SignInPage(BasePage):
    name = "sign-in"
    heading = "Sign in"

    async def open(self, base_url: str) -> SignInPage:
        await self.page.goto(f"{base_url}/sign-in")
        return self

    async def sign_in_as(self, who: str) -> DashboardPage:
        """Sign in as a demo person, by the label the page gives them (name and role); lands on the dashboard."""
        await self.page.get_by_label(who).check()
        await self.submit()
        dashboard = self.as_(DashboardPage)
        await dashboard.expect_shown()
        return dashboard

    async def submit(self) -> None:
        await self.page.get_by_role("button", name="Sign in").click()


async def sign_in(page: Page, screenshots: Path, base_url: str, who: str) -> DashboardPage:
    """Sign in as a demo person and land on their dashboard."""
    return await (await SignInPage(page, screenshots).open(base_url)).sign_in_as(who)
