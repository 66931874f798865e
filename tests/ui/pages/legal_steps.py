"""The legal steps task list: each legal step and what it needs before it can be taken."""

from __future__ import annotations

from playwright.async_api import Locator

from tests.ui.pages.base import BasePage


class LegalStepsPage(BasePage):
    name = "legal-steps"
    heading = "Legal steps"

    @property
    def task_list(self) -> Locator:
        return self.page.locator(".govuk-task-list")
