"""An officer and a social worker in the browser: sign in, dashboard, case list, case page, a step recorded,
a rejection on the form; every page checked with axe and kept as a screenshot."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from shared import clock
from tests.ui.conftest import LiveCasework
from tests.ui.pages.case_page import CasePage
from tests.ui.pages.decision_form import DecisionFormPage
from tests.ui.pages.error_page import NO_ACCESS, ErrorPage
from tests.ui.pages.sign_in import SignInPage, sign_in
from tests.ui.pages.step_form import StepFormPage

pytestmark = [pytest.mark.ui, pytest.mark.asyncio(loop_scope="session")]


def absence_period() -> str:
    """The period a penalty notice is for, as the officer types it: the last ten weeks or so."""
    today = clock.today()
    return f"{(today - timedelta(days=90)).isoformat()} to {(today - timedelta(days=23)).isoformat()}"


async def test_sign_in_page(page: Page, live_casework: LiveCasework, screenshots: Path) -> None:
    sign_in_page = SignInPage(page, screenshots)
    await sign_in_page.goto(live_casework.url)
    await expect(page).to_have_url(f"{live_casework.url}/sign-in")
    await sign_in_page.expect_shown()
    await sign_in_page.check()
    await sign_in_page.submit()
    await expect(sign_in_page.error_summary()).to_contain_text("Select who you are")
    await sign_in_page.check("error")


async def test_officer_works_a_case(page: Page, live_casework: LiveCasework, screenshots: Path) -> None:
    live = live_casework
    dashboard = await sign_in(page, screenshots, live.url, "Priya Shah, School attendance officer")
    await expect(dashboard.main).to_contain_text("Sophie Allocated")
    await expect(dashboard.main).not_to_contain_text("Harry Harbour")
    await dashboard.check()

    cases = await dashboard.open_cases()
    await cases.expect_shown()
    await cases.check()
    await cases.show_list("newly_pa_sa")
    await expect(cases.main).to_contain_text("Leo Unallocated")
    await expect(cases.main).not_to_contain_text("Sophie Allocated")
    await cases.check("newly-pa-sa")

    dashboard = await cases.open_dashboard()
    tsm_pack = await dashboard.open_tsm_pack("Millbrook Primary School")
    await tsm_pack.expect_shown_for("Millbrook Primary School")
    await tsm_pack.check()
    cases = await tsm_pack.open_cases()

    case = await cases.open_case("Leo Unallocated")
    await expect(case.heading_named("Leo Unallocated")).to_be_visible()
    await expect(case.main).to_contain_text("Became persistently absent")
    await expect(case.main).to_contain_text("Unexplained absence today")  # notifications
    assert "Leo" not in case.url
    await case.check()

    choose = await case.record_a_step()
    await choose.expect_shown()
    await choose.check()
    await choose.continue_()
    await expect(choose.error_summary()).to_contain_text("Select the step you are recording")
    await expect(choose.error_summary()).to_be_focused()
    await choose.check("error")

    plan = await choose.choose("Agree an action plan")
    await plan.expect_shown()
    await plan.check("action-plan")
    await plan.submit()
    await expect(plan.error_summary()).to_contain_text("Review date: is required")
    await expect(plan.error_summary()).to_be_focused()
    await plan.check("action-plan-error")

    await plan.fill_plan(["Walk to school with a friend", "Weekly check-in"], review=clock.today() + timedelta(days=28),
                         note="Plan agreed with parents at school")
    case = await plan.submit()
    await expect(case.banner()).to_contain_text("The step has been recorded")
    await expect(case.main).to_contain_text("Review the action plan")
    await expect(case.main).to_contain_text("Formal support")
    await case.check("after-step")
    legal_steps = await case.open_legal_steps()
    await legal_steps.expect_shown()
    await expect(legal_steps.task_list).to_contain_text("Issue a penalty notice")
    await legal_steps.check()
    await legal_steps.go_back()

    # Penalty notices are for a headteacher or the LA: the school's attendance officer is told so, not shown a form.
    penalty = StepFormPage(page, screenshots)
    refused = await penalty.open(live.url, live.unallocated, "issue_penalty_notice")
    assert refused is not None
    assert refused.status == 403
    await expect(penalty.error_summary()).to_contain_text(
        "Issuing a penalty notice needs a headteacher or an LA officer")
    await penalty.check("penalty-notice-refused")
    dashboard = await sign_in(page, screenshots, live.url, "Daniel Price, Education welfare officer (LA)")
    await dashboard.check("la-officer")

    await penalty.open(live.url, live.unallocated, "issue_penalty_notice")
    await expect(penalty.heading_named("Issue a penalty notice")).to_be_visible()
    await penalty.check("penalty-notice")
    await penalty.fill_penalty_notice("parent-1", absence_period=absence_period())
    await penalty.submit()
    await expect(penalty.error_summary()).to_contain_text("Record the decision factors")
    await penalty.check("penalty-notice-error")

    decision = await DecisionFormPage(page, screenshots).open(live.url, live.unallocated)
    await decision.check()
    await decision.record("Issue a penalty notice", support_offered="Action plan and EWO home visits",
                          family_view="Parents say the bus is unreliable")
    await decision.save()
    case = decision.as_(CasePage)
    await expect(case.banner()).to_contain_text("decision log has been saved")
    await case.check("decision-saved")

    await penalty.open(live.url, live.unallocated, "issue_penalty_notice")
    await penalty.fill_penalty_notice("parent-1", absence_period=absence_period())
    case = await penalty.submit()
    await expect(case.main).to_contain_text("Legal intervention")
    await case.check("legal")


async def test_social_worker_sees_only_their_pupil(page: Page, live_casework: LiveCasework,
                                                   screenshots: Path) -> None:
    live = live_casework
    dashboard = await sign_in(page, screenshots, live.url, "Helen Carter, Social worker")
    await dashboard.check("social-worker")
    cases = await dashboard.open_cases()
    await expect(cases.main).to_contain_text("Sophie Allocated")
    await expect(cases.main).not_to_contain_text("Leo Unallocated")
    await expect(cases.main).not_to_contain_text("Harry Harbour")
    await cases.check("social-worker")
    refused = ErrorPage(page, screenshots)
    response = await refused.goto(f"{live.url}/cases/{live.unallocated}")
    assert response is not None
    assert response.status == 403
    await refused.expect_titled(NO_ACCESS)
    await refused.check("out-of-scope")


async def test_data_protection_lead_reads_the_audit_log(page: Page, live_casework: LiveCasework,
                                                        screenshots: Path) -> None:
    dashboard = await sign_in(page, screenshots, live_casework.url, "Ruth Moss, Data protection lead (LA)")
    await dashboard.check("data-protection-lead")
    audit = await dashboard.open_audit_log()
    await audit.expect_shown()
    await audit.check()


async def test_an_empty_meeting_record_names_each_missing_answer(page: Page, live_casework: LiveCasework,
                                                                 screenshots: Path) -> None:
    """An attendance meeting's record is evidence: who attended, what was agreed and when it is next reviewed are
    each named in the error summary, whose links go to the fields (a date input's to its day box)."""
    live = live_casework
    await sign_in(page, screenshots, live.url, "Priya Shah, School attendance officer")
    case = await CasePage(page, screenshots).open(live.url, live.allocated)
    meeting = await case.record_a_step("Record an attendance meeting")
    await meeting.expect_shown()
    await meeting.submit()
    summary = meeting.error_summary()
    await expect(summary).to_be_focused()
    for message in ("Who attended: say who attended", "Summary of the discussion: say what was discussed and agreed",
                    "Enter the next review date"):
        await expect(summary).to_contain_text(message)
    await meeting.check("meeting-error")
    await meeting.follow_error("Enter the next review date")
    await expect(page.locator("#next_review_date-day")).to_be_focused()
    case = await CasePage(page, screenshots).open(live.url, live.allocated)
    await expect(case.main).not_to_contain_text("Record meeting")  # the fake journey's title for a recorded meeting
