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
from tests.ui.pages.case_page import CasePage
from tests.ui.pages.dashboard import DashboardPage
from tests.ui.pages.sign_in import SignInPage

pytestmark = [pytest.mark.e2e, pytest.mark.ui,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")]

SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots" / "running-system"
SOCIAL_WORKER_EMAIL = "h.carter@northshire-childrens.example.gov"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


def pages(page: Page) -> SignInPage:
    """The running system's pages, checked with axe and kept under the running-system screenshots."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SignInPage(page, SCREENSHOTS)


async def sign_in(page: Page, system: EmbeddedSystem, who: str) -> DashboardPage:
    sign_in_page = await pages(page).open(system.config.url("casework"))
    await sign_in_page.check()
    return await sign_in_page.sign_in_as(who)


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
    dashboard = await sign_in(page, system, "Tom Whitfield, School attendance officer")
    await dashboard.check()
    cases = await dashboard.open_cases()
    await cases.check()
    await cases.show_list("newly_pa_sa")
    await cases.check("newly-pa-sa")
    case_page = await cases.open_case(case["display_name"])
    await expect(case_page.main).to_contain_text("Became persistently absent")
    await expect(case_page.main).to_contain_text("Persistent absence")
    await case_page.check()

    meeting = await case_page.record_a_step("Record an attendance meeting")
    await meeting.expect_shown()
    await meeting.check("attendance-meeting")
    # A record that may go to court is never blank: who attended, what was agreed and its next review are asked for.
    await meeting.submit()
    await expect(meeting.error_summary()).to_contain_text("say who attended")
    await expect(meeting.error_summary()).to_contain_text("Enter the next review date")
    await meeting.check("attendance-meeting-error")
    await meeting.fill_meeting(["parent", "pupil", "form tutor"],
                               summary="Mornings are hard; agreed a check-in with the tutor",
                               next_review=clock.today() + timedelta(days=14))
    case_page = await meeting.submit()
    await expect(case_page.banner()).to_contain_text("The step has been recorded")
    await case_page.check("after-meeting")

    review = school_day_on_or_after(system, "900002", clock.today() + timedelta(days=28))
    plan = await case_page.record_a_step("Agree an action plan")
    await plan.expect_shown()
    await plan.check("action-plan")
    await plan.fill_plan(["Morning check-in with tutor", "Weekly call home"], review=review)
    case_page = await plan.submit()
    await expect(case_page.banner()).to_contain_text("The step has been recorded")
    await expect(case_page.main).to_contain_text(f"{review.day} {review:%B %Y}")
    await expect(case_page.main).to_contain_text(f"Action plan agreed, review by {review.isoformat()}")
    await case_page.check("after-plan")


@pytest.mark.asyncio(loop_scope="session")
async def test_social_worker_sees_only_allocated_pupils(page: Page, system: EmbeddedSystem) -> None:
    allocated = httpx.get(f"{system.config.url('register')}/internal/pupils/allocated",
                          params={"worker_email": SOCIAL_WORKER_EMAIL},
                          headers=service_headers(PlatformSettings(environment="test"), "casework", "register"),
                          timeout=10).json()
    dashboard = await sign_in(page, system, "Helen Carter, Social worker")
    await dashboard.check("social-worker")
    cases = await dashboard.open_cases()
    hrefs = await cases.case_links()
    assert hrefs, "the social worker's pupils with open journeys are listed"
    listed = {href.rsplit("/", 1)[-1] for href in hrefs}
    # A case that followed an allocated pupil from an earlier admission keeps that admission's id.
    for case_id in listed - set(allocated):
        ewo = bearer(token_for(PlatformSettings(environment="test"), Role.LA_EWO, la_code="999"))
        case = httpx.get(f"{system.config.url('casework')}/api/v1/cases/{case_id}", headers=ewo, timeout=10).json()
        assert {s["pupil_id"] for s in case["schools"]} & set(allocated), case_id
    await cases.check("social-worker")


@pytest.mark.asyncio(loop_scope="session")
async def test_ewo_issues_a_penalty_notice_and_records_its_payment(page: Page, system: EmbeddedSystem) -> None:
    case = wait_for(lambda: case_over_penalty_threshold(system, plain=True), timeout=120)
    casework = system.config.url("casework")
    dashboard = await sign_in(page, system, "Daniel Price, Education welfare officer (LA)")
    await dashboard.check("la-officer")
    case_page = await dashboard.as_(CasePage).open(casework, case["pupil_id"])
    await expect(case_page.main).to_contain_text("Penalty notice threshold met")
    await case_page.check("penalty-threshold-met")

    decision = await case_page.open_decision_log()
    await decision.check()
    await decision.record("Issue a penalty notice", support_offered="Action plan reviewed twice, EWO home visits",
                          family_view="Parents say mornings are a struggle")
    await decision.save()
    await expect(decision.banner()).to_contain_text("decision log has been saved")
    await decision.as_(CasePage).check("decision-saved")

    # Support first: what was offered, by whom, and how the family responded.
    await case_page.open(casework, case["pupil_id"])
    support = await case_page.record_a_step("Record support offered, taken up or declined")
    await support.expect_shown()
    await support.check("support")
    await support.fill_support("EWO home visits", provider="Northshire education welfare service",
                               start=clock.today() - timedelta(days=30), response="Declined")
    case_page = await support.submit()
    await expect(case_page.banner()).to_contain_text("The step has been recorded")
    await case_page.check("after-support")

    notice = await case_page.record_a_step("Issue a penalty notice")
    await notice.expect_shown()
    await notice.check("penalty-notice")
    await notice.fill_penalty_notice("parent-1", served="By hand")
    case_page = await notice.submit()
    await expect(case_page.banner()).to_contain_text("The step has been recorded")
    await expect(case_page.main).to_contain_text("Legal intervention")
    notice_id = await case_page.penalty_notice_reference(1)
    await case_page.check("penalty-notice-issued")

    payment = await case_page.record_a_step("Record a penalty notice payment")
    await payment.expect_shown()
    await payment.check("penalty-notice-payment")
    await payment.fill_payment(notice_id, pence=8000)
    case_page = await payment.submit()
    await expect(case_page.banner()).to_contain_text("The step has been recorded")
    await expect(case_page.main).to_contain_text(f"{notice_id}")
    await expect(case_page.main).not_to_contain_text("Record a penalty notice payment")
    await case_page.check("penalty-notice-paid")
