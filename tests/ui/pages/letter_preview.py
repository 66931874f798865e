"""Previewing a letter or message with a pupil's details, without sending it."""

from __future__ import annotations

from datetime import date

from playwright.async_api import Locator

from tests.ui.pages.base import BasePage
from tests.ui.pages.forms import fill_date


class LetterPreviewPage(BasePage):
    name = "letter-preview"
    heading = "Preview a letter"

    async def choose(self, letter: str | None) -> None:
        """Pick a letter (None: continue without picking one)."""
        if letter is not None:
            await self.page.get_by_label(letter).check()
        await self.page.get_by_role("button", name="Continue").click()

    async def fill(self, field: str, value: str) -> None:
        await self.page.get_by_label(field).fill(value)

    async def fill_day(self, legend: str, value: date) -> None:
        """A date the letter needs: a GOV.UK date input (day, month, year)."""
        await fill_date(self.page, legend, value)

    async def preview(self) -> None:
        await self.page.get_by_role("button", name="Preview").click()

    @property
    def preview_heading(self) -> Locator:
        return self.heading_named("Preview (not sent)")

    @property
    def rendered(self) -> Locator:
        return self.page.locator(".app-preview")
