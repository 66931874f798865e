"""Casework's GOV.UK error pages: no access, not found, a form that could not be checked, a step refused."""

from __future__ import annotations

from playwright.async_api import expect

from tests.ui.pages.base import BasePage

NO_ACCESS = "You do not have access to this page"
FORM_NOT_CHECKED = "This form could not be checked"


class ErrorPage(BasePage):
    name = "error"

    async def expect_titled(self, title: str) -> None:
        await expect(self.heading_named(title)).to_be_visible()
