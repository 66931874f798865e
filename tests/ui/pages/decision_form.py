"""The decision log: the factors considered before a legal step."""

from __future__ import annotations

from tests.ui.pages.base import BasePage


class DecisionFormPage(BasePage):
    name = "decision-log-form"

    async def open(self, base_url: str, pupil_id: object) -> DecisionFormPage:
        await self.page.goto(f"{base_url}/cases/{pupil_id}/decision")
        return self

    async def record(self, step: str, support_offered: str, family_view: str, *, answer: str = "No") -> None:
        """Which legal step, the support offered, the one yes/no question the form asks, and the family's view."""
        await self.page.get_by_label(step).check()
        await self.page.get_by_label("Support offered").fill(support_offered)
        await self.page.get_by_label(answer, exact=True).check()
        await self.page.get_by_label("Family view").fill(family_view)

    async def save(self) -> None:
        await self.page.get_by_role("button", name="Save decision log").click()
