"""An officer records, in the browser, the school's grounds to believe a pupil will miss 15 days through sickness
on the case page (returns is a stand-in speaking the shared contract): returns' refusal in the error summary
first, then the expectation recorded and withdrawn. Checked with axe and kept as screenshots."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from shared import clock
from tests.ui.conftest import LiveCasework
from tests.ui.pages.case_page import CasePage
from tests.ui.pages.sign_in import sign_in

pytestmark = [pytest.mark.ui, pytest.mark.asyncio(loop_scope="session")]


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


async def test_officer_records_sickness_expected_to_reach_15_days(page: Page, live_casework: LiveCasework,
                                                                  screenshots: Path) -> None:
    live = live_casework
    surgery = clock.today() + timedelta(days=30)
    grounds = f"Hospital letter: knee surgery on {surgery.day} {surgery:%B} and 4 weeks' recovery"
    await sign_in(page, screenshots, live.url, "Priya Shah, School attendance officer")
    case = await CasePage(page, screenshots).open(live.url, live.allocated)
    await expect(case.sickness_card).to_contain_text("No sickness is expected to reach 15 days for this pupil.")
    await case.check("sickness")

    before_it_starts = surgery - timedelta(days=3)
    await case.record_sickness_expectation(surgery, before_it_starts, grounds)
    summary = case.error_summary()
    await expect(summary).to_contain_text("The expected return must be after the first day of sickness.")
    await expect(summary).to_be_focused()
    await expect(case.sickness_return_day).to_have_value(str(before_it_starts.day))
    await expect(case.sickness_grounds).to_have_value(grounds)
    await case.check("sickness-expectation-error")
    await case.follow_error("The expected return must be after")
    await expect(case.sickness_return_day).to_be_focused()

    back = surgery + timedelta(days=36)
    await case.record_sickness_expectation(surgery, back, grounds)
    await expect(case.banner()).to_contain_text("The sickness expectation has been recorded.")
    await expect(case.sickness_card).to_contain_text(f"Sickness from {long_date(surgery)}")
    await expect(case.sickness_card).to_contain_text(long_date(back))
    await expect(case.sickness_card).to_contain_text(f"knee surgery on {surgery.day} {surgery:%B}")
    await expect(case.sickness_card).to_contain_text("By Priya Shah on")
    await case.check("sickness-expectation-recorded")
    recorded = [c for c in live.returns.calls if c.method == "POST" and c.path.endswith("/sickness-expectations")]
    assert [c.subject for c in recorded] == ["demo-officer-millbrook", "demo-officer-millbrook"]

    await case.withdraw_sickness(f"sickness from {long_date(surgery)}")
    await expect(case.banner()).to_contain_text("The sickness expectation has been withdrawn.")
    await expect(case.sickness_card).not_to_contain_text("knee surgery")
    await case.check("sickness-expectation-withdrawn")
