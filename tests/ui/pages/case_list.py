"""The case list: filters, the officer's lists, and finding a pupil by name."""

from __future__ import annotations

from tests.ui.pages.base import BasePage
from tests.ui.pages.case_page import CasePage


class CaseListPage(BasePage):
    name = "case-list"
    heading = "Cases"

    async def show_list(self, which: str) -> None:
        """One of the officer's lists (the List filter's value, e.g. newly_pa_sa), applied."""
        await self.page.get_by_label("List").select_option(which)
        await self.page.get_by_role("button", name="Apply filters").click()

    async def find_pupil(self, name: str) -> None:
        await self.page.get_by_label("Find a pupil by name").fill(name)
        await self.page.get_by_role("button", name="Search").click()

    async def open_case(self, pupil: str) -> CasePage:
        await self.page.get_by_role("link", name=pupil).click()
        return self.as_(CasePage)

    async def case_links(self) -> list[str]:
        """The address of every case listed (the ids, never a name)."""
        links = self.page.locator("main table tbody a")
        hrefs = [await links.nth(i).get_attribute("href") for i in range(await links.count())]
        return [href for href in hrefs if href]
