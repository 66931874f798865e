"""The local authority's attendance dashboard: figures for a period, the schools, returns and compliance."""

from __future__ import annotations

from playwright.async_api import Locator, Response

from tests.ui.pages.base import BasePage
from tests.ui.pages.forms import fill_date_parts
from tests.ui.pages.school import SchoolPage


class LaDashboardPage(BasePage):
    name = "la-dashboard"
    heading = "Local authority attendance dashboard"

    async def open(self, base_url: str, la_code: str) -> Response | None:
        return await self.page.goto(f"{base_url}/las/{la_code}/dashboard")

    async def open_school(self, school: str) -> SchoolPage:
        await self.page.get_by_role("link", name=school, exact=True).click()
        return self.as_(SchoolPage)

    async def show_period(self, start: tuple[int, int, int], end: tuple[int, int, int] | None = None) -> None:
        """The period's first (and last) day as typed in the From and To boxes: day, month, year, real or not."""
        await fill_date_parts(self.page, "From", *start, exact=True)
        if end is not None:
            await fill_date_parts(self.page, "To", *end, exact=True)
        await self.page.get_by_role("button", name="Show figures for these dates").click()

    async def cases_at_stage(self, stage: str) -> int:
        """Today's number of case files at a stage, from the table of case files by stage."""
        table = self.page.get_by_role("table", name="Case files by stage today")
        row = table.get_by_role("row").filter(has=self.page.get_by_role("cell", name=stage, exact=True))
        return int(await row.get_by_role("cell").nth(1).inner_text())

    @property
    def charts(self) -> Locator:
        return self.page.locator("svg.app-chart__svg")

    @property
    def warnings(self) -> Locator:
        return self.page.locator(".govuk-warning-text")
