"""The dashboard a person lands on after signing in: their cases, schools, reports and the service menu."""

from __future__ import annotations

from playwright.async_api import Locator

from tests.ui.pages.audit import AuditLogPage
from tests.ui.pages.base import BasePage
from tests.ui.pages.case_page import CasePage
from tests.ui.pages.governor_report import GovernorReportPage
from tests.ui.pages.la_dashboard import LaDashboardPage
from tests.ui.pages.school import SchoolPage
from tests.ui.pages.tsm_pack import TsmPackPage


class DashboardPage(BasePage):
    name = "dashboard"
    heading = "Dashboard"

    async def menu_links(self) -> list[str]:
        """Where each link of the service menu goes."""
        return await _hrefs(self.menu.get_by_role("link"))

    async def content_links(self) -> list[str]:
        """Where each link in the dashboard's own content goes, within the service."""
        return [href for href in await _hrefs(self.main.get_by_role("link")) if href.startswith("/")]

    async def open_tsm_pack(self, school: str) -> TsmPackPage:
        """The Targeting Support Meeting pack, listed by the school's name."""
        await self.page.get_by_role("link", name=school, exact=True).click()
        return self.as_(TsmPackPage)

    async def open_case(self, pupil: str) -> CasePage:
        await self.page.get_by_role("link", name=pupil).first.click()
        return self.as_(CasePage)

    async def open_school_figures(self, school: str) -> SchoolPage:
        await self.page.get_by_role("link", name=f"Figures and charts for {school}").click()
        return self.as_(SchoolPage)

    async def open_audit_log(self) -> AuditLogPage:
        await self.page.get_by_role("link", name="Audit log").click()
        return self.as_(AuditLogPage)

    async def open_la_dashboard_from_menu(self) -> LaDashboardPage:
        await self.menu_link("LA dashboard").click()
        return self.as_(LaDashboardPage)

    async def open_governor_report_from_menu(self) -> GovernorReportPage:
        await self.menu_link("Governor report").click()
        return self.as_(GovernorReportPage)



async def _hrefs(links: Locator) -> list[str]:
    hrefs = [await links.nth(i).get_attribute("href") for i in range(await links.count())]
    return [href for href in hrefs if href]
