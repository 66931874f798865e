"""An officer records, in the browser, the school's grounds to believe a pupil will miss 15 days through sickness
on the case page (returns is a stand-in speaking the shared contract): returns' refusal in the error summary
first, then the expectation recorded and withdrawn. Checked with axe and kept as screenshots."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from tests.ui.conftest import LiveCasework
from tests.ui.test_officer_ui import check_page, sign_in

pytestmark = [pytest.mark.ui, pytest.mark.asyncio(loop_scope="session")]


async def test_officer_records_sickness_expected_to_reach_15_days(page: Page, live_casework: LiveCasework,
                                                                  screenshots: Path) -> None:
    live = live_casework
    await sign_in(page, live, "Priya Shah, School attendance officer")
    await page.goto(f"{live.url}/cases/{live.allocated}")
    card = page.locator("section", has=page.get_by_role("heading", name="Sickness expected to reach 15 days"))
    await expect(card).to_contain_text("No sickness is expected to reach 15 days for this pupil.")

    start = page.get_by_role("group", name="First day of sickness")
    back = page.get_by_role("group", name="Expected return to school")
    await start.get_by_label("Day").fill("1")
    await start.get_by_label("Month").fill("3")
    await start.get_by_label("Year").fill("2027")
    await back.get_by_label("Day").fill("26")
    await back.get_by_label("Month").fill("2")
    await back.get_by_label("Year").fill("2027")
    await page.get_by_label("Grounds for expecting 15 days of sickness").fill(
        "Hospital letter: knee surgery on 1 March and 4 weeks' recovery")
    await page.get_by_role("button", name="Record sickness expectation").click()

    summary = page.locator(".govuk-error-summary")
    await expect(summary).to_contain_text("The expected return must be after the first day of sickness.")
    await expect(summary).to_be_focused()
    await expect(back.get_by_label("Day")).to_have_value("26")
    await expect(page.get_by_label("Grounds for expecting 15 days of sickness")).to_have_value(
        "Hospital letter: knee surgery on 1 March and 4 weeks' recovery")
    await check_page(page, screenshots, "sickness-expectation-error")
    await summary.get_by_role("link", name="The expected return must be after").click()
    await expect(back.get_by_label("Day")).to_be_focused()

    await back.get_by_label("Day").fill("6")
    await back.get_by_label("Month").fill("4")
    await page.get_by_role("button", name="Record sickness expectation").click()
    await expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The sickness expectation has been recorded.")
    await expect(card).to_contain_text("Sickness from 1 March 2027")
    await expect(card).to_contain_text("6 April 2027")
    await expect(card).to_contain_text("knee surgery on 1 March")
    await expect(card).to_contain_text("By Priya Shah on")
    await check_page(page, screenshots, "sickness-expectation-recorded")
    recorded = [c for c in live.returns.calls if c.method == "POST" and c.path.endswith("/sickness-expectations")]
    assert [c.subject for c in recorded] == ["demo-officer-millbrook", "demo-officer-millbrook"]

    await card.get_by_role("button", name="Withdraw the sickness from 1 March 2027").click()
    await expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The sickness expectation has been withdrawn.")
    await expect(card).not_to_contain_text("knee surgery")
