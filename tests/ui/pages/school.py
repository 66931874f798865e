"""A school's figures and charts (names of pupils only for staff)."""

from __future__ import annotations

from playwright.async_api import Locator, Response

from tests.ui.pages.base import BasePage


class SchoolPage(BasePage):
    name = "school"

    async def open(self, base_url: str, urn: str) -> Response | None:
        return await self.page.goto(f"{base_url}/schools/{urn}")

    def chart(self, name: str) -> Locator:
        return self.page.get_by_role("img", name=name)

    def table(self, name: str) -> Locator:
        return self.page.get_by_role("table", name=name)

    @property
    def two_counts(self) -> Locator:
        """Register's count of all pupils on roll beside the DfE statistics cohort."""
        return self.page.locator(".app-two-counts")
