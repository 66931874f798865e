"""The LA dashboard and the governor report in the browser, in casework's GOV.UK layout: reached from the
service navigation after one sign-in, checked with axe (no violations) and kept as screenshots."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page, expect

from tests.ui.conftest import LiveCasework

pytestmark = [pytest.mark.ui, pytest.mark.asyncio(loop_scope="session")]
axe = Axe()


async def check_page(page: Page, screenshots: Path, name: str) -> None:
    """No axe violations, and a full-page screenshot kept as a build artefact."""
    results = await axe.run(page)
    assert results.violations_count == 0, results.generate_report()
    await page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)


async def sign_in(page: Page, live: LiveCasework, who: str) -> None:
    await page.goto(f"{live.url}/sign-in")
    await page.get_by_label(who).check()
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


async def test_la_officer_opens_the_la_dashboard_from_the_navigation(page: Page, live_casework: LiveCasework,
                                                                    screenshots: Path) -> None:
    await sign_in(page, live_casework, "Daniel Price, Education welfare officer (LA)")
    navigation = page.get_by_role("navigation", name="Menu")
    await navigation.get_by_role("link", name="LA dashboard").click()
    await expect(page.get_by_role("heading", name="Local authority attendance dashboard")).to_be_visible()
    await expect(page.locator("main")).to_contain_text("DfE statistics cohort (aged 5 to 15)")
    await expect(page.locator("main")).to_contain_text("Millbrook Primary School")
    await check_page(page, screenshots, "la-dashboard")
    # The school page names both counts of the same school, each with its period.
    await page.get_by_role("link", name="Millbrook Primary School", exact=True).click()
    await expect(page.locator(".app-two-counts")).to_contain_text("All pupils on roll")
    await expect(page.locator(".app-two-counts")).to_contain_text("DfE statistics cohort (aged 5 to 15)")
    await expect(page.locator(".app-two-counts")).to_contain_text("91.4%")  # as on the LA dashboard
    await check_page(page, screenshots, "school-two-counts")
    await page.go_back()
    # A date that is not real is refused on the form, with the GOV.UK error summary.
    await page.locator("#from-day").fill("31")
    await page.locator("#from-month").fill("2")
    await page.locator("#from-year").fill("2026")
    await page.get_by_role("button", name="Show figures for these dates").click()
    await expect(page.locator(".govuk-error-summary")).to_contain_text("The start date must be a real date")
    await check_page(page, screenshots, "la-dashboard-date-error")


async def test_governor_opens_the_governor_report_and_never_sees_cases(page: Page, live_casework: LiveCasework,
                                                                      screenshots: Path) -> None:
    await sign_in(page, live_casework, "Ann Rees, Governor")
    navigation = page.get_by_role("navigation", name="Menu")
    await expect(navigation.get_by_role("link", name="Cases", exact=True)).to_have_count(0)
    await navigation.get_by_role("link", name="Governor report").click()
    await expect(page.get_by_role("heading", name="Attendance report for governors")).to_be_visible()
    await expect(page.locator("main")).to_contain_text("Compared with the local authority and England")
    await check_page(page, screenshots, "governor-report")
    # Another school's report is a GOV.UK error page, not returns' JSON.
    await page.goto(f"{live_casework.url}/schools/900002/governor-report")
    await expect(page.get_by_role("heading", name="You do not have access to this page")).to_be_visible()
    await check_page(page, screenshots, "governor-report-refused")
