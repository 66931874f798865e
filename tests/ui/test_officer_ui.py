"""An officer and a social worker in the browser: sign in, dashboard, case list, case page, a step recorded,
a rejection on the form; every page checked with axe and kept as a screenshot."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page, expect

from shared import clock
from tests.ui.conftest import LiveCasework
from tests.ui.pages.forms import fill_date

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


async def test_sign_in_page(page: Page, live_casework: LiveCasework, screenshots: Path) -> None:
    await page.goto(live_casework.url)
    await expect(page).to_have_url(f"{live_casework.url}/sign-in")
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await check_page(page, screenshots, "sign-in")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.locator(".govuk-error-summary")).to_contain_text("Select who you are")
    await check_page(page, screenshots, "sign-in-error")


async def test_officer_works_a_case(page: Page, live_casework: LiveCasework, screenshots: Path) -> None:
    live = live_casework
    await sign_in(page, live, "Priya Shah, School attendance officer")
    await expect(page.locator("main")).to_contain_text("Sophie Allocated")
    await expect(page.locator("main")).not_to_contain_text("Harry Harbour")
    await check_page(page, screenshots, "dashboard")

    await page.get_by_role("link", name="Cases", exact=True).click()
    await expect(page.get_by_role("heading", name="Cases")).to_be_visible()
    await check_page(page, screenshots, "case-list")
    await page.get_by_label("List").select_option("newly_pa_sa")
    await page.get_by_role("button", name="Apply filters").click()
    await expect(page.locator("main")).to_contain_text("Leo Unallocated")
    await expect(page.locator("main")).not_to_contain_text("Sophie Allocated")

    await page.get_by_role("link", name="Dashboard").click()
    await page.get_by_role("link", name="Millbrook Primary School", exact=True).click()
    await expect(page.get_by_role("heading", name="Targeting Support Meeting pack: Millbrook Primary School")) \
        .to_be_visible()
    await check_page(page, screenshots, "tsm-pack")
    await page.get_by_role("link", name="Cases", exact=True).click()

    await page.get_by_role("link", name="Leo Unallocated").click()
    await expect(page.get_by_role("heading", name="Leo Unallocated")).to_be_visible()
    await expect(page.locator("main")).to_contain_text("Became persistently absent")
    await expect(page.locator("main")).to_contain_text("Unexplained absence today")  # notifications
    assert "Leo" not in page.url
    await check_page(page, screenshots, "case-page")

    await page.get_by_role("button", name="Record a step").click()
    await page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    await expect(summary).to_contain_text("Select the step you are recording")
    await expect(summary).to_be_focused()
    await check_page(page, screenshots, "choose-step-error")

    await page.get_by_label("Agree an action plan").check()
    await page.get_by_role("button", name="Continue").click()
    await expect(page.get_by_role("heading", name="Agree an action plan")).to_be_visible()
    await page.get_by_role("button", name="Record step").click()
    await expect(summary).to_contain_text("Review date: is required")
    await expect(summary).to_be_focused()
    await check_page(page, screenshots, "action-form-error")

    await page.get_by_label("Actions agreed (one per line)").fill("Walk to school with a friend\nWeekly check-in")
    await fill_date(page, "Review date", clock.today() + timedelta(days=28))
    await page.get_by_label("Note (optional)").fill("Plan agreed with parents at school")
    await page.get_by_role("button", name="Record step").click()
    await expect(page.locator(".govuk-notification-banner")).to_contain_text("The step has been recorded")
    await expect(page.locator("main")).to_contain_text("Review the action plan")
    await expect(page.locator("main")).to_contain_text("Formal support")
    await check_page(page, screenshots, "case-page-after-step")
    await page.get_by_role("link", name="Legal steps: what each needs before it can be taken").click()
    await expect(page.get_by_role("heading", name="Legal steps")).to_be_visible()
    await expect(page.locator(".govuk-task-list")).to_contain_text("Issue a penalty notice")
    await check_page(page, screenshots, "legal-steps")
    await page.go_back()

    # Penalty notices are for a headteacher or the LA: the school's attendance officer is told so, not shown a form.
    refused = await page.goto(f"{live.url}/cases/{live.unallocated}/act?action=issue_penalty_notice")
    assert refused is not None
    assert refused.status == 403
    await expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Issuing a penalty notice needs a headteacher or an LA officer")
    await sign_in(page, live, "Daniel Price, Education welfare officer (LA)")

    await page.goto(f"{live.url}/cases/{live.unallocated}/act?action=issue_penalty_notice")
    await page.get_by_label("Which parent").fill("parent-1")
    await page.get_by_label("Absence period").fill("2026-09-08 to 2026-11-14")
    await page.get_by_role("button", name="Record step").click()
    await expect(page.locator(".govuk-error-summary")).to_contain_text("Record the decision factors")

    await page.goto(f"{live.url}/cases/{live.unallocated}/decision")
    await check_page(page, screenshots, "decision-log-form")
    await page.get_by_label("Issue a penalty notice").check()
    await page.get_by_label("Support offered").fill("Action plan and EWO home visits")
    await page.get_by_label("No", exact=True).check()
    await page.get_by_label("Family view").fill("Parents say the bus is unreliable")
    await page.get_by_role("button", name="Save decision log").click()
    await expect(page.locator(".govuk-notification-banner")).to_contain_text("decision log has been saved")

    await page.goto(f"{live.url}/cases/{live.unallocated}/act?action=issue_penalty_notice")
    await page.get_by_label("Which parent").fill("parent-1")
    await page.get_by_label("Absence period").fill("2026-09-08 to 2026-11-14")
    await page.get_by_role("button", name="Record step").click()
    await expect(page.locator("main")).to_contain_text("Legal intervention")
    await check_page(page, screenshots, "case-page-legal")


async def test_social_worker_sees_only_their_pupil(page: Page, live_casework: LiveCasework,
                                                   screenshots: Path) -> None:
    live = live_casework
    await sign_in(page, live, "Helen Carter, Social worker")
    await page.get_by_role("link", name="Cases", exact=True).click()
    main = page.locator("main")
    await expect(main).to_contain_text("Sophie Allocated")
    await expect(main).not_to_contain_text("Leo Unallocated")
    await expect(main).not_to_contain_text("Harry Harbour")
    response = await page.goto(f"{live.url}/cases/{live.unallocated}")
    assert response is not None
    assert response.status == 403
    await expect(page.get_by_role("heading", name="You do not have access to this page")).to_be_visible()
    await check_page(page, screenshots, "out-of-scope")


async def test_data_protection_lead_reads_the_audit_log(page: Page, live_casework: LiveCasework,
                                                        screenshots: Path) -> None:
    await sign_in(page, live_casework, "Ruth Moss, Data protection lead (LA)")
    await page.get_by_role("link", name="Audit log").click()
    await expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    await check_page(page, screenshots, "audit-log")
