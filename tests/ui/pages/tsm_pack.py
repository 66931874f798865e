"""The Targeting Support Meeting pack of one school."""

from __future__ import annotations

from playwright.async_api import expect

from tests.ui.pages.base import BasePage


class TsmPackPage(BasePage):
    name = "tsm-pack"

    async def expect_shown_for(self, school: str) -> None:
        await expect(self.heading_named(f"Targeting Support Meeting pack: {school}")).to_be_visible()
