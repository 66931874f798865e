"""The LA dashboard and the governor report in the browser, in casework's GOV.UK layout: reached from the
service navigation after one sign-in, checked with axe (no violations) and kept as screenshots."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from shared import clock
from tests.ui.conftest import LiveCasework
from tests.ui.pages.error_page import NO_ACCESS, ErrorPage
from tests.ui.pages.governor_report import GovernorReportPage
from tests.ui.pages.sign_in import sign_in

pytestmark = [pytest.mark.ui, pytest.mark.asyncio(loop_scope="session")]


async def test_la_officer_opens_the_la_dashboard_from_the_navigation(page: Page, live_casework: LiveCasework,
                                                                    screenshots: Path) -> None:
    dashboard = await sign_in(page, screenshots, live_casework.url, "Daniel Price, Education welfare officer (LA)")
    la_dashboard = await dashboard.open_la_dashboard_from_menu()
    await la_dashboard.expect_shown()
    await expect(la_dashboard.main).to_contain_text("DfE statistics cohort (aged 5 to 15)")
    await expect(la_dashboard.main).to_contain_text("Millbrook Primary School")
    await la_dashboard.check()
    # The school page names both counts of the same school, each with its period.
    school = await la_dashboard.open_school("Millbrook Primary School")
    await expect(school.two_counts).to_contain_text("All pupils on roll")
    await expect(school.two_counts).to_contain_text("DfE statistics cohort (aged 5 to 15)")
    await expect(school.two_counts).to_contain_text("91.4%")  # as on the LA dashboard
    await school.check("two-counts")
    await school.go_back()
    # A date that is not real (no February has a 31st) is refused on the form, with the GOV.UK error summary.
    await la_dashboard.show_period(start=(31, 2, clock.today().year))
    await expect(la_dashboard.error_summary()).to_contain_text("The start date must be a real date")
    await la_dashboard.check("date-error")


async def test_governor_opens_the_governor_report_and_never_sees_cases(page: Page, live_casework: LiveCasework,
                                                                      screenshots: Path) -> None:
    dashboard = await sign_in(page, screenshots, live_casework.url, "Ann Rees, Governor")
    await expect(dashboard.menu_link("Cases")).to_have_count(0)
    report = await dashboard.open_governor_report_from_menu()
    await report.expect_shown()
    await expect(report.main).to_contain_text("Compared with the local authority and England")
    await report.check()
    # Another school's report is a GOV.UK error page, not returns' JSON.
    refused = ErrorPage(page, screenshots)
    await GovernorReportPage(page, screenshots).open(live_casework.url, "900002")
    await refused.expect_titled(NO_ACCESS)
    await refused.check("governor-report-refused")
