"""A pupil's family: brothers, sisters and other children of the same parents, only those in the officer's scope
by name."""

from __future__ import annotations

from tests.ui.pages.base import BasePage
from tests.ui.pages.case_page import CasePage


class FamilyPage(BasePage):
    name = "family"
    heading = "Family"

    async def back_to_the_case(self) -> CasePage:
        await self.page.get_by_role("link", name="Back to the case").click()
        return self.as_(CasePage)
