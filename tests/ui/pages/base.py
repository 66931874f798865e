"""What every casework page has: the header's menu, the GOV.UK error summary and notification banner, and the
check every test makes of every page it reaches (axe-core, no violations, and a full-page screenshot)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, TypeVar

from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Locator, Page, Response, expect

if TYPE_CHECKING:
    from tests.ui.pages.case_list import CaseListPage
    from tests.ui.pages.dashboard import DashboardPage

_axe = Axe()
P = TypeVar("P", bound="BasePage")


class BasePage:
    """A Playwright page seen as one page of the officer UI. `name` names its screenshots; `heading`, when the page
    has a fixed one, is what `expect_shown()` looks for."""

    name: ClassVar[str] = "page"
    heading: ClassVar[str | None] = None

    def __init__(self, page: Page, screenshots: Path) -> None:
        self.page = page
        self.screenshots = screenshots

    def as_(self, page_type: type[P]) -> P:
        """The same browser tab, now showing another page of the UI."""
        return page_type(self.page, self.screenshots)

    # Locators shared by every page.
    @property
    def main(self) -> Locator:
        return self.page.locator("main")

    @property
    def header(self) -> Locator:
        return self.page.locator("header")

    @property
    def menu(self) -> Locator:
        return self.page.get_by_role("navigation", name="Menu")

    def error_summary(self) -> Locator:
        return self.page.locator(".govuk-error-summary")

    async def follow_error(self, message: str) -> None:
        """Follow the error summary's link to the field it is about."""
        await self.error_summary().get_by_role("link", name=message).click()

    @property
    def govuk_header(self) -> Locator:
        """The GOV.UK template's header (casework's layout, not a bare page)."""
        return self.page.locator(".govuk-template__header")

    def banner(self) -> Locator:
        return self.page.locator(".govuk-notification-banner")

    def heading_named(self, name: str) -> Locator:
        return self.page.get_by_role("heading", name=name)

    @property
    def url(self) -> str:
        return self.page.url

    async def goto(self, url: str) -> Response | None:
        return await self.page.goto(url)

    async def go_back(self) -> None:
        await self.page.go_back()

    async def expect_shown(self) -> None:
        assert self.heading is not None, f"{type(self).__name__} has no fixed heading"
        await expect(self.heading_named(self.heading)).to_be_visible()

    async def check(self, state: str | None = None, *, screenshot: bool = True) -> None:
        """No axe-core violations of any impact, and a full-page screenshot kept as a build artefact, named after
        the page (and the state it is in, when a test shows one page in more than one)."""
        results = await _axe.run(self.page)
        assert results.violations_count == 0, f"{self.page.url}\n{results.generate_report()}"
        if screenshot:
            name = f"{self.name}-{state}" if state else self.name
            await self.page.screenshot(path=str(self.screenshots / f"{name}.png"), full_page=True)

    # The menu and links every signed-in page carries.
    async def open_cases(self) -> CaseListPage:
        from tests.ui.pages.case_list import CaseListPage

        await self.page.get_by_role("link", name="Cases", exact=True).click()
        return self.as_(CaseListPage)

    async def open_dashboard(self) -> DashboardPage:
        from tests.ui.pages.dashboard import DashboardPage

        await self.page.get_by_role("link", name="Dashboard").click()
        return self.as_(DashboardPage)

    def menu_link(self, name: str) -> Locator:
        return self.menu.get_by_role("link", name=name, exact=True)

