"""A pupil's case page: the journey so far, the next steps, the sickness card and links to what hangs off it."""

from __future__ import annotations

from typing import TYPE_CHECKING, overload

from playwright.async_api import Locator

from tests.ui.pages.base import BasePage
from tests.ui.pages.forms import date_group, fill_date

if TYPE_CHECKING:
    from datetime import date

    from tests.ui.pages.decision_form import DecisionFormPage
    from tests.ui.pages.family import FamilyPage
    from tests.ui.pages.legal_steps import LegalStepsPage
    from tests.ui.pages.letter_preview import LetterPreviewPage
    from tests.ui.pages.pupil import PupilPage
    from tests.ui.pages.school import SchoolPage
    from tests.ui.pages.step_form import ChooseStepPage, StepFormPage


class CasePage(BasePage):
    name = "case-page"

    async def open(self, base_url: str, pupil_id: object) -> CasePage:
        await self.page.goto(f"{base_url}/cases/{pupil_id}")
        return self

    @overload
    async def record_a_step(self) -> ChooseStepPage: ...

    @overload
    async def record_a_step(self, step: str) -> StepFormPage: ...

    async def record_a_step(self, step: str | None = None) -> ChooseStepPage | StepFormPage:
        """"Record a step"; with a step named, that step is chosen and its form is shown."""
        from tests.ui.pages.step_form import ChooseStepPage

        await self.page.get_by_role("button", name="Record a step").click()
        choose = self.as_(ChooseStepPage)
        return await choose.choose(step) if step else choose

    async def open_family(self) -> FamilyPage:
        from tests.ui.pages.family import FamilyPage

        await self.page.get_by_role("link", name="Family: brothers, sisters").click()
        return self.as_(FamilyPage)

    async def open_pupil_record(self) -> PupilPage:
        from tests.ui.pages.pupil import PupilPage

        await self.page.get_by_role("link", name="Pupil record").click()
        return self.as_(PupilPage)

    async def open_school_figures(self, school: str) -> SchoolPage:
        from tests.ui.pages.school import SchoolPage

        await self.page.get_by_role("link", name=f"{school}: figures and charts").click()
        return self.as_(SchoolPage)

    async def open_legal_steps(self) -> LegalStepsPage:
        from tests.ui.pages.legal_steps import LegalStepsPage

        await self.page.get_by_role("link", name="Legal steps: what each needs before it can be taken").click()
        return self.as_(LegalStepsPage)

    async def open_decision_log(self) -> DecisionFormPage:
        from tests.ui.pages.decision_form import DecisionFormPage

        await self.page.get_by_role("link", name="Record the factors considered before a legal step").click()
        return self.as_(DecisionFormPage)

    async def preview_a_letter(self) -> LetterPreviewPage:
        from tests.ui.pages.letter_preview import LetterPreviewPage

        await self.page.get_by_role("link", name="Preview a letter").click()
        return self.as_(LetterPreviewPage)

    # The sickness card: grounds to believe a pupil will miss 15 days through sickness.
    @property
    def sickness_card(self) -> Locator:
        return self.page.locator(
            "section", has=self.page.get_by_role("heading", name="Sickness expected to reach 15 days"))

    @property
    def sickness_start(self) -> Locator:
        return date_group(self.page, "First day of sickness")

    @property
    def sickness_return(self) -> Locator:
        return date_group(self.page, "Expected return to school")

    @property
    def sickness_return_day(self) -> Locator:
        return self.sickness_return.get_by_label("Day")

    @property
    def sickness_grounds(self) -> Locator:
        return self.page.get_by_label("Grounds for expecting 15 days of sickness")

    async def record_sickness_expectation(self, first_day: date, expected_return: date, grounds: str) -> None:
        """From the case page's card, its link to the form (a page of its own); from the form page after an error,
        the form as it is."""
        record = self.page.get_by_role("link", name="Record sickness expected to reach 15 days")
        if await record.count():
            await record.click()
        await fill_date(self.page, "First day of sickness", first_day)
        await fill_date(self.page, "Expected return to school", expected_return)
        await self.sickness_grounds.fill(grounds)
        await self.submit_sickness_expectation()

    async def submit_sickness_expectation(self) -> None:
        await self.page.get_by_role("button", name="Record sickness expectation").click()

    async def withdraw_sickness(self, described_as: str) -> None:
        """Withdraw an expectation, by its button's accessible name after "Withdraw the " (e.g. "sickness from
        1 March 2027")."""
        await self.sickness_card.get_by_role("button", name=f"Withdraw the {described_as}").click()

    async def penalty_notice_reference(self, number: int) -> str:
        """The reference of the case's penalty notice with this number, as the case page lists it
        ("Penalty notice 1 (pn-…)")."""
        issued = self.main.get_by_text(f"Penalty notice {number} (pn-")
        return (await issued.first.inner_text()).split("(", 1)[1].split(")", 1)[0]
