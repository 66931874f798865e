"""The family page, the school page with its charts and the letter preview in the browser: an officer sees
the children in scope and only a count of the rest; a governor sees the school's figures without names.
Every page is checked with axe and kept as a screenshot."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from tests.ui.conftest import LiveCasework
from tests.ui.test_officer_ui import check_page, sign_in

pytestmark = [pytest.mark.ui, pytest.mark.asyncio(loop_scope="session")]


async def test_officer_sees_the_family_and_the_school(page: Page, live_casework: LiveCasework,
                                                      screenshots: Path) -> None:
    live = live_casework
    await sign_in(page, live, "Priya Shah, School attendance officer")
    await page.get_by_role("link", name="Leo Unallocated").first.click()
    await expect(page.get_by_role("heading", name="Leo Unallocated")).to_be_visible()

    await page.get_by_role("link", name="Family: brothers, sisters").click()
    await expect(page.get_by_role("heading", name="Family")).to_be_visible()
    main = page.locator("main")
    await expect(main).to_contain_text("Sophie Allocated")
    await expect(main).to_contain_text("88.0%")
    await expect(main).to_contain_text("1 other child in the family outside your access")
    await expect(main).not_to_contain_text("Harry Harbour")
    assert "Leo" not in page.url
    await check_page(page, screenshots, "family")

    await page.get_by_role("link", name="Back to the case").click()
    await page.get_by_role("link", name="Pupil record").click()
    await expect(page.get_by_role("heading", name="Leo Unallocated")).to_be_visible()
    await expect(main).to_contain_text("Reason for absence not yet established")
    await check_page(page, screenshots, "pupil")
    await page.get_by_role("link", name="Open the case file").click()
    await page.get_by_role("link", name="Millbrook Primary School: figures and charts").click()
    await expect(page.get_by_role("heading", name="Millbrook Primary School")).to_be_visible()
    await expect(page.get_by_role("img", name="Attendance by year group")).to_be_visible()
    await expect(page.get_by_role("table", name="Figures by year group")).to_be_visible()
    await expect(main).to_contain_text("Sophie Allocated")  # persistently absent pupils, for staff
    await check_page(page, screenshots, "school")


async def test_officer_previews_a_letter(page: Page, live_casework: LiveCasework, screenshots: Path) -> None:
    live = live_casework
    await sign_in(page, live, "Priya Shah, School attendance officer")
    await page.goto(f"{live.url}/cases/{live.unallocated}")
    await page.get_by_role("link", name="Preview a letter").click()
    await expect(page.get_by_role("heading", name="Preview a letter")).to_be_visible()
    await page.get_by_role("button", name="Continue").click()
    await expect(page.locator(".govuk-error-summary")).to_contain_text("Select the letter or message to preview")
    await check_page(page, screenshots, "letter-preview-choose-error")
    await page.get_by_label("Attendance meeting invitation").check()
    await page.get_by_role("button", name="Continue").click()
    await page.get_by_label("Meeting date").fill("2026-12-02")
    await page.get_by_role("button", name="Preview").click()
    await expect(page.locator(".govuk-error-summary")).to_contain_text("meeting_time")
    await page.get_by_label("Meeting time").fill("15:30")
    await page.get_by_label("Meeting place").fill("the school office")
    await page.get_by_role("button", name="Preview").click()
    await expect(page.get_by_role("heading", name="Preview (not sent)")).to_be_visible()
    await expect(page.locator(".app-preview")).to_contain_text("meeting_place: the school office")
    await check_page(page, screenshots, "letter-preview")


async def test_governor_sees_figures_without_names(page: Page, live_casework: LiveCasework,
                                                   screenshots: Path) -> None:
    live = live_casework
    await sign_in(page, live, "Ann Rees, Governor")
    await page.get_by_role("link", name="Figures and charts for Millbrook Primary School").click()
    await expect(page.get_by_role("heading", name="Millbrook Primary School")).to_be_visible()
    main = page.locator("main")
    await expect(main).to_contain_text("figures only")
    await expect(main).not_to_contain_text("Sophie Allocated")
    await expect(main).not_to_contain_text("Leo Unallocated")
    await check_page(page, screenshots, "school-governor")
    response = await page.goto(f"{live.url}/schools/900002")
    assert response is not None
    assert response.status == 403
