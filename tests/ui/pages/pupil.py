"""A pupil's record: figures and recent marks with their meanings."""

from __future__ import annotations

from tests.ui.pages.base import BasePage
from tests.ui.pages.case_page import CasePage


class PupilPage(BasePage):
    name = "pupil"

    async def open_case_file(self) -> CasePage:
        await self.page.get_by_role("link", name="Open the case file").click()
        return self.as_(CasePage)
