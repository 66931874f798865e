"""Recording a step on a case: choosing which step, then that step's form (the GOV.UK fields the journey asks
for, a date it happened, an optional note)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from playwright.async_api import Response, expect

from tests.ui.pages.base import BasePage
from tests.ui.pages.case_page import CasePage
from tests.ui.pages.forms import fill_date


class ChooseStepPage(BasePage):
    """"Which step are you recording?"."""

    name = "choose-step"

    async def expect_shown(self) -> None:
        await expect(self.page.get_by_role("group", name="Which step are you recording?")).to_be_visible()

    async def choose(self, step: str) -> StepFormPage:
        await self.page.get_by_label(step).check()
        await self.continue_()
        form = self.as_(StepFormPage)
        form.step = step
        return form

    async def continue_(self) -> None:
        await self.page.get_by_role("button", name="Continue").click()


class StepFormPage(BasePage):
    """The form of one step; its heading is the step's name."""

    name = "step-form"
    step: str | None = None

    async def open(self, base_url: str, pupil_id: object, action: str) -> Response | None:
        """The form of a step by its action's name, as a link to it would open it."""
        return await self.page.goto(f"{base_url}/cases/{pupil_id}/act?action={action}")

    async def expect_shown(self) -> None:
        assert self.step is not None, "open the form by choosing its step"
        await expect(self.heading_named(self.step)).to_be_visible()

    async def fill(self, field: str, value: str) -> None:
        """A text field or text area, by its label."""
        await self.page.get_by_label(field).fill(value)

    async def choose_option(self, option: str) -> None:
        """A radio or checkbox, by its label."""
        await self.page.get_by_label(option).check()

    async def fill_plan(self, actions: Sequence[str], review: date, note: str | None = None) -> None:
        """Agree an action plan: the actions agreed, one per line, and the date it is reviewed."""
        await self.fill("Actions agreed (one per line)", "\n".join(actions))
        await fill_date(self.page, "Review date", review)
        if note is not None:
            await self.fill("Note (optional)", note)

    async def fill_meeting(self, attended: Sequence[str], summary: str, next_review: date) -> None:
        """Record an attendance meeting: who attended, what was discussed and when what was agreed is reviewed."""
        await self.fill("Who attended", "\n".join(attended))
        await self.fill("Summary of the discussion", summary)
        await fill_date(self.page, "Next review date", next_review)

    async def fill_support(self, what: str, provider: str, start: date, response: str) -> None:
        """Record support offered: what, who provides it, from when, and how the family responded."""
        await self.fill("What support", what)
        await self.fill("Who provides it", provider)
        await fill_date(self.page, "Start date", start)
        await self.choose_option(response)

    async def fill_penalty_notice(self, parent: str, *, absence_period: str | None = None,
                                  served: str | None = None) -> None:
        await self.fill("Which parent", parent)
        if absence_period is not None:
            await self.fill("Absence period", absence_period)
        if served is not None:
            await self.choose_option(served)

    async def fill_payment(self, notice: str, pence: int) -> None:
        await self.fill("Penalty notice reference", notice)
        await self.fill("Amount paid in pence", str(pence))

    async def submit(self) -> CasePage:
        """"Record step": back on the case page when the journey takes it, or this form with its errors."""
        await self.page.get_by_role("button", name="Record step").click()
        return self.as_(CasePage)
