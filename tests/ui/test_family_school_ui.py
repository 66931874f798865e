"""The family page, the school page with its charts and the letter preview in the browser: an officer sees
the children in scope and only a count of the rest; a governor sees the school's figures without names.
Every page is checked with axe and kept as a screenshot."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from shared import clock
from tests.ui.conftest import LiveCasework
from tests.ui.pages.case_page import CasePage
from tests.ui.pages.error_page import NO_ACCESS, ErrorPage
from tests.ui.pages.sign_in import sign_in

pytestmark = [pytest.mark.ui, pytest.mark.asyncio(loop_scope="session")]


async def test_officer_sees_the_family_and_the_school(page: Page, live_casework: LiveCasework,
                                                      screenshots: Path) -> None:
    live = live_casework
    dashboard = await sign_in(page, screenshots, live.url, "Priya Shah, School attendance officer")
    case = await dashboard.open_case("Leo Unallocated")
    await expect(case.heading_named("Leo Unallocated")).to_be_visible()
    await case.check("from-dashboard")

    family = await case.open_family()
    await family.expect_shown()
    await expect(family.main).to_contain_text("Sophie Allocated")
    await expect(family.main).to_contain_text("88.0%")
    await expect(family.main).to_contain_text("1 other child in the family outside your access")
    await expect(family.main).not_to_contain_text("Harry Harbour")
    assert "Leo" not in family.url
    await family.check()

    case = await family.back_to_the_case()
    pupil = await case.open_pupil_record()
    await expect(pupil.heading_named("Leo Unallocated")).to_be_visible()
    await expect(pupil.main).to_contain_text("Reason for absence not yet established")
    await pupil.check()
    case = await pupil.open_case_file()
    school = await case.open_school_figures("Millbrook Primary School")
    await expect(school.heading_named("Millbrook Primary School")).to_be_visible()
    await expect(school.chart("Attendance by year group")).to_be_visible()
    await expect(school.table("Figures by year group")).to_be_visible()
    await expect(school.main).to_contain_text("Sophie Allocated")  # persistently absent pupils, for staff
    await school.check()


async def test_officer_previews_a_letter(page: Page, live_casework: LiveCasework, screenshots: Path) -> None:
    live = live_casework
    await sign_in(page, screenshots, live.url, "Priya Shah, School attendance officer")
    case = await CasePage(page, screenshots).open(live.url, live.unallocated)
    preview = await case.preview_a_letter()
    await preview.expect_shown()
    await preview.check("choose")
    await preview.choose(None)
    await expect(preview.error_summary()).to_contain_text("Select the letter or message to preview")
    await preview.check("choose-error")
    await preview.choose("Attendance meeting invitation")
    await preview.check("details")
    await preview.preview()
    await expect(preview.error_summary()).to_contain_text("Enter the meeting date")
    await preview.follow_error("Enter the meeting date")
    await expect(preview.page.locator("#ctx_meeting_date-day")).to_be_focused()
    await preview.fill_day("Meeting date", clock.today() + timedelta(days=7))
    await preview.preview()
    await expect(preview.error_summary()).to_contain_text("meeting_time")
    await preview.check("details-error")
    await preview.fill("Meeting time", "15:30")
    await preview.fill("Meeting place", "the school office")
    await preview.preview()
    await expect(preview.preview_heading).to_be_visible()
    await expect(preview.rendered).to_contain_text("meeting_place: the school office")
    await preview.check()


async def test_governor_sees_figures_without_names(page: Page, live_casework: LiveCasework,
                                                   screenshots: Path) -> None:
    live = live_casework
    dashboard = await sign_in(page, screenshots, live.url, "Ann Rees, Governor")
    await dashboard.check("governor")
    school = await dashboard.open_school_figures("Millbrook Primary School")
    await expect(school.heading_named("Millbrook Primary School")).to_be_visible()
    await expect(school.main).to_contain_text("figures only")
    await expect(school.main).not_to_contain_text("Sophie Allocated")
    await expect(school.main).not_to_contain_text("Leo Unallocated")
    await school.check("governor")
    refused = ErrorPage(page, screenshots)
    response = await refused.goto(f"{live.url}/schools/900002")
    assert response is not None
    assert response.status == 403
    await refused.expect_titled(NO_ACCESS)
    await refused.check("governor-other-school")
