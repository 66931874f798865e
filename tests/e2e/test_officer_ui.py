"""The officer UI on the running system with the demo data and the real journey: an attendance officer finds
a pupil who became persistently absent, records a meeting and an action plan and sees the review deadline;
a social worker sees only the pupils allocated to them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from scripts.embedded import EmbeddedSystem
from shared import clock
from shared.auth import Role
from shared.settings import PlatformSettings
from tests.conftest import REPO_ROOT
from tests.e2e.test_officer_api import case_over_penalty_threshold
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.identities import bearer, service_headers, token_for
from tests.support.waiting import wait_for
from tests.ui.pages.forms import fill_date

pytestmark = [pytest.mark.e2e, pytest.mark.ui,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")]

SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots" / "running-system"
SOCIAL_WORKER_EMAIL = "h.carter@northshire-childrens.example.gov"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


async def sign_in(page: Page, system: EmbeddedSystem, who: str) -> None:
    await page.goto(f"{system.config.url('casework')}/sign-in")
    await page.get_by_label(who).check()
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


async def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def persistently_absent_case(system: EmbeddedSystem, school_urn: str) -> dict[str, Any] | None:
    """A case whose journey has taken in the register's PA event (the worker works through the demo's
    journeys after start-up), on the officer's list of the newly persistently or severely absent: a pupil whose
    latest event is another absence is at the stage but not on that list."""
    token = token_for(PlatformSettings(environment="test"), Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[school_urn])
    response = httpx.get(f"{system.config.url('casework')}/api/v1/cases",
                         params={"stage": "persistent_absence", "school": school_urn, "list": "newly_pa_sa"},
                         headers=bearer(token), timeout=10)
    items = response.json()["items"] if response.status_code == 200 else []
    return items[0] if items else None


def school_day_on_or_after(system: EmbeddedSystem, urn: str, day: date) -> date:
    """A review date the journey accepts: a day the school meets (its calendar, from register)."""
    days = httpx.get(f"{system.config.url('register')}/internal/schools/{urn}/school-days",
                     params={"from": day.isoformat(), "to": (day + timedelta(days=70)).isoformat()},
                     headers=service_headers(PlatformSettings(environment="test"), "journey-worker", "register"),
                     timeout=30).json()
    return date.fromisoformat(days["school_days"][0])


@pytest.mark.asyncio(loop_scope="session")
async def test_officer_agrees_an_action_plan_for_a_persistently_absent_pupil(page: Page,
                                                                             system: EmbeddedSystem) -> None:
    case = wait_for(lambda: persistently_absent_case(system, "900002"), timeout=120)
    await sign_in(page, system, "Tom Whitfield, School attendance officer")
    await shoot(page, "dashboard")
    await page.get_by_role("link", name="Cases", exact=True).click()
    await page.get_by_label("List").select_option("newly_pa_sa")
    await page.get_by_role("button", name="Apply filters").click()
    await shoot(page, "newly-pa-sa")
    await page.get_by_role("link", name=case["display_name"]).click()
    main = page.locator("main")
    await expect(main).to_contain_text("Became persistently absent")
    await expect(main).to_contain_text("Persistent absence")
    await shoot(page, "case-page")

    await page.get_by_role("button", name="Record a step").click()
    await page.get_by_label("Record an attendance meeting").check()
    await page.get_by_role("button", name="Continue").click()
    # A record that may go to court is never blank: who attended and what was agreed are asked for.
    await page.get_by_role("button", name="Record step").click()
    await expect(page.locator(".govuk-error-summary")).to_contain_text("say who attended")
    await page.get_by_label("Who attended").fill("parent\npupil\nform tutor")
    await page.get_by_label("Summary of the discussion").fill("Mornings are hard; agreed a check-in with the tutor")
    await page.get_by_role("button", name="Record step").click()
    await expect(page.locator(".govuk-notification-banner")).to_contain_text("The step has been recorded")

    review = school_day_on_or_after(system, "900002", clock.today() + timedelta(days=28))
    await page.get_by_role("button", name="Record a step").click()
    await page.get_by_label("Agree an action plan").check()
    await page.get_by_role("button", name="Continue").click()
    await page.get_by_label("Actions agreed (one per line)").fill("Morning check-in with tutor\nWeekly call home")
    await fill_date(page, "Review date", review)
    await page.get_by_role("button", name="Record step").click()
    await expect(page.locator(".govuk-notification-banner")).to_contain_text("The step has been recorded")
    await expect(main).to_contain_text(f"{review.day} {review:%B %Y}")
    await expect(main).to_contain_text(f"Action plan agreed, review by {review.isoformat()}")
    await shoot(page, "case-page-after-plan")


@pytest.mark.asyncio(loop_scope="session")
async def test_social_worker_sees_only_allocated_pupils(page: Page, system: EmbeddedSystem) -> None:
    allocated = httpx.get(f"{system.config.url('register')}/internal/pupils/allocated",
                          params={"worker_email": SOCIAL_WORKER_EMAIL},
                          headers=service_headers(PlatformSettings(environment="test"), "casework", "register"),
                          timeout=10).json()
    await sign_in(page, system, "Helen Carter, Social worker")
    await page.get_by_role("link", name="Cases", exact=True).click()
    links = page.locator("main table tbody a")
    hrefs = [await links.nth(i).get_attribute("href") for i in range(await links.count())]
    assert hrefs, "the social worker's pupils with open journeys are listed"
    listed = {href.rsplit("/", 1)[-1] for href in hrefs if href}
    # A case that followed an allocated pupil from an earlier admission keeps that admission's id.
    for case_id in listed - set(allocated):
        ewo = bearer(token_for(PlatformSettings(environment="test"), Role.LA_EWO, la_code="999"))
        case = httpx.get(f"{system.config.url('casework')}/api/v1/cases/{case_id}", headers=ewo, timeout=10).json()
        assert {s["pupil_id"] for s in case["schools"]} & set(allocated), case_id
    await shoot(page, "social-worker-cases")


@pytest.mark.asyncio(loop_scope="session")
async def test_ewo_issues_a_penalty_notice_and_records_its_payment(page: Page, system: EmbeddedSystem) -> None:
    case = wait_for(lambda: case_over_penalty_threshold(system, plain=True), timeout=120)
    case_url = f"{system.config.url('casework')}/cases/{case['pupil_id']}"
    await sign_in(page, system, "Daniel Price, Education welfare officer (LA)")
    await page.goto(case_url)
    main = page.locator("main")
    await expect(main).to_contain_text("Penalty notice threshold met")

    await page.get_by_role("link", name="Record the factors considered before a legal step").click()
    await page.get_by_label("Issue a penalty notice").check()
    await page.get_by_label("Support offered").fill("Action plan reviewed twice, EWO home visits")
    await page.get_by_label("No", exact=True).check()
    await page.get_by_label("Family view").fill("Parents say mornings are a struggle")
    await page.get_by_role("button", name="Save decision log").click()
    await expect(page.locator(".govuk-notification-banner")).to_contain_text("decision log has been saved")

    # Support first: what was offered, by whom, and how the family responded.
    await page.goto(case_url)
    await page.get_by_role("button", name="Record a step").click()
    await page.get_by_label("Record support offered, taken up or declined").check()
    await page.get_by_role("button", name="Continue").click()
    await page.get_by_label("What support").fill("EWO home visits")
    await page.get_by_label("Who provides it").fill("Northshire education welfare service")
    await fill_date(page, "Start date", clock.today() - timedelta(days=30))
    await page.get_by_label("Declined").check()
    await page.get_by_role("button", name="Record step").click()
    await expect(page.locator(".govuk-notification-banner")).to_contain_text("The step has been recorded")

    await page.get_by_role("button", name="Record a step").click()
    await page.get_by_label("Issue a penalty notice").check()
    await page.get_by_role("button", name="Continue").click()
    await page.get_by_label("Which parent").fill("parent-1")
    await page.get_by_label("By hand").check()
    await page.get_by_role("button", name="Record step").click()
    await expect(page.locator(".govuk-notification-banner")).to_contain_text("The step has been recorded")
    await expect(main).to_contain_text("Legal intervention")
    issued = main.get_by_text("Penalty notice 1 (pn-")
    notice_id = (await issued.first.inner_text()).split("(", 1)[1].split(")", 1)[0]
    await shoot(page, "penalty-notice-issued")

    await page.get_by_role("button", name="Record a step").click()
    await page.get_by_label("Record a penalty notice payment").check()
    await page.get_by_role("button", name="Continue").click()
    await page.get_by_label("Penalty notice reference").fill(notice_id)
    await page.get_by_label("Amount paid in pence").fill("8000")
    await page.get_by_role("button", name="Record step").click()
    await expect(page.locator(".govuk-notification-banner")).to_contain_text("The step has been recorded")
    await expect(main).to_contain_text(f"{notice_id}")
    await expect(main.get_by_text("Record a penalty notice payment")).to_have_count(0)
    await shoot(page, "penalty-notice-paid")
