"""The attendance report for governors."""

from __future__ import annotations

from playwright.async_api import Response

from tests.ui.pages.base import BasePage


class GovernorReportPage(BasePage):
    name = "governor-report"
    heading = "Attendance report for governors"

    async def open(self, base_url: str, urn: str) -> Response | None:
        return await self.page.goto(f"{base_url}/schools/{urn}/governor-report")
