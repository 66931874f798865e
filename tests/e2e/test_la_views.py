"""The LA's compliance view and dashboard on the running system: an N mark for a pupil with a social worker
shows up as an N awaiting its reason and as a social worker told (on the day, or later when the suite marks an
earlier school day); replacing the N with a reason moves it to "resolved in time"; the dashboard page shows the
demo journeys by stage and the returns the schedules made."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import httpx
import pytest
from playwright.async_api import Page, expect

from scripts.embedded import EmbeddedSystem
from shared import clock
from shared.auth import Role
from shared.demo import DEMO_LA_CODE, DEMO_USERS, DemoUser
from shared.settings import PlatformSettings
from tests.conftest import REPO_ROOT
from tests.e2e.test_walking_skeleton import SCHOOL_URN, SOCIAL_WORKER_EMAIL, Register, messages_about, new_pupil
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.identities import bearer, token_for
from tests.support.waiting import wait_for
from tests.ui.pages.base import BasePage
from tests.ui.pages.dashboard import DashboardPage
from tests.ui.pages.la_dashboard import LaDashboardPage
from tests.ui.pages.sign_in import SignInPage

pytestmark = pytest.mark.e2e
browser = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots" / "running-system"

SETTINGS = PlatformSettings(environment="test")
EWO = bearer(token_for(SETTINGS, Role.LA_EWO, la_code=DEMO_LA_CODE, name="Daniel Price"))


def compliance(system: EmbeddedSystem, day: date) -> dict[str, Any]:
    response = httpx.get(f"{system.config.url('returns')}/api/v1/las/{DEMO_LA_CODE}/compliance",
                         params={"from": day.isoformat(), "to": day.isoformat()}, headers=EWO, timeout=60)
    assert response.status_code == 200, response.text
    view: dict[str, Any] = response.json()
    assert view["unavailable"] == []
    return view


def school_counts(view: dict[str, Any]) -> dict[str, int]:
    counts = dict.fromkeys(("resolved_in_time", "resolved_late", "open_in_time", "open_overdue", "told_same_day",
                            "told_later", "not_told"), 0)
    for row in view["n_codes"]:
        if row["school_urn"] == SCHOOL_URN:
            counts |= {k: row[k] for k in ("resolved_in_time", "resolved_late", "open_in_time", "open_overdue")}
    for row in view["same_day_alerts"]:
        if row["school_urn"] == SCHOOL_URN and row["recipient_role"] == "social_worker":
            counts |= {k: row[k] for k in ("told_same_day", "told_later", "not_told")}
    return counts


def test_compliance_follows_an_n_from_alert_to_reason(system: EmbeddedSystem) -> None:
    register = Register(system)
    pupil = new_pupil(system, "Imogen")
    # Which school day the suite marks decides what "same day" can be; read the counts of that day first.
    day = register.mark_latest_school_day(pupil, "PM", "/")
    before = school_counts(compliance(system, day))
    assert register.mark(pupil, day, "AM", "N").status_code == 200
    wait_for(lambda: messages_about(system, str(pupil["display_name"]), SOCIAL_WORKER_EMAIL))

    def alert_counted() -> dict[str, int] | None:
        after = school_counts(compliance(system, day))
        told = after["told_same_day"] + after["told_later"]
        return after if told > before["told_same_day"] + before["told_later"] else None

    after = wait_for(alert_counted)
    # The alert goes out within seconds, so it is on the session's own day when the suite marked today.
    sent_today = day == clock.today()
    assert after["told_same_day"] - before["told_same_day"] == (1 if sent_today else 0)
    assert after["told_later"] - before["told_later"] == (0 if sent_today else 1)
    assert after["open_in_time"] - before["open_in_time"] == 1

    token = token_for(SETTINGS, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[SCHOOL_URN])
    amended = httpx.post(f"{register.url}/api/v1/pupils/{pupil['pupil_id']}/marks/{day.isoformat()}/AM/amendments",
                         json={"new_code": "I", "reason": "Parent telephoned: pupil was ill"}, headers=bearer(token),
                         timeout=30)
    assert amended.status_code == 201, amended.text
    resolved = school_counts(compliance(system, day))
    assert resolved["open_in_time"] == before["open_in_time"]
    assert resolved["resolved_in_time"] - before["resolved_in_time"] == 1


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


async def _signed_in(page: Page, system: EmbeddedSystem, user: DemoUser) -> DashboardPage:
    """Signed in to casework in the browser as a demo user (the development sign-in), on their dashboard."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sign_in = await SignInPage(page, SCREENSHOTS).open(system.config.url("casework"))
    return await sign_in.sign_in_as(user.name)


class LinkedPage(BasePage):
    """Whichever page of the service a link opened."""

    name = "linked"


def _demo_user(subject: str) -> DemoUser:
    return next(u for u in DEMO_USERS if u.subject == subject)


@browser
@pytest.mark.asyncio(loop_scope="session")
async def test_la_dashboard_page_on_the_running_system(page: Page, system: EmbeddedSystem) -> None:
    """The LA's page is casework's GOV.UK page, read from returns as the signed-in officer; returns' old HTML
    address sends a browser there."""
    casework = system.config.url("casework")
    dashboard = await _signed_in(page, system, _demo_user("demo-ewo"))
    la_dashboard = dashboard.as_(LaDashboardPage)
    response = await la_dashboard.open(casework, DEMO_LA_CODE)
    assert response is not None
    assert response.status == 200, await response.text()
    await expect(la_dashboard.govuk_header).to_have_count(1)
    await expect(la_dashboard.warnings).to_have_count(0)  # every service answered: no measure left out
    await expect(la_dashboard.main).to_contain_text("DfE statistics cohort (aged 5 to 15)")
    await expect(la_dashboard.charts).to_have_count(3)
    # The demo journeys, by stage (the seed leaves persistently absent pupils in every school).
    assert await la_dashboard.cases_at_stage("Persistent absence") > 0
    for name in ("Millbrook Primary School", "Harbour View Academy", "Oakfield Special School"):
        await expect(la_dashboard.main).to_contain_text(name)
    await la_dashboard.check()

    returns = system.config.url("returns")
    old = httpx.get(f"{returns}/api/v1/las/{DEMO_LA_CODE}/dashboard.html", timeout=30)
    assert old.status_code == 303
    assert old.headers["location"].endswith(f"/las/{DEMO_LA_CODE}/dashboard")
    # And a browser that follows it lands on casework's page.
    await la_dashboard.goto(f"{returns}/api/v1/las/{DEMO_LA_CODE}/dashboard.html")
    await expect(page).to_have_url(f"{casework}/las/{DEMO_LA_CODE}/dashboard")
    await la_dashboard.expect_shown()


@browser
@pytest.mark.parametrize("user", DEMO_USERS, ids=[u.subject for u in DEMO_USERS])
@pytest.mark.asyncio(loop_scope="session")
async def test_every_link_each_demo_role_is_shown_answers_200(page: Page, system: EmbeddedSystem,
                                                              user: DemoUser) -> None:
    """Navigation shows a person only what their role may open: every link in it and on their dashboard opens,
    and the first page of each kind it opens passes axe (the case pages differ only in data)."""
    casework = system.config.url("casework")
    dashboard = await _signed_in(page, system, user)
    await dashboard.check(user.subject)
    nav = await dashboard.menu_links()
    links = sorted({href for href in nav + await dashboard.content_links() if href != "/sign-out"})
    linked = LinkedPage(page, SCREENSHOTS)
    photographed: set[str] = set()
    for href in links:
        url = href if href.startswith("http") else f"{casework}{href}"
        if href.rsplit("?", 1)[0].endswith((".pdf", ".csv", ".xlsx")):  # a download, not a page
            download = await page.request.get(url)
            assert download.status == 200, f"{user.subject}: {href} answered {download.status}"
            continue
        response = await linked.goto(url)
        assert response is not None
        assert response.status == 200, f"{user.subject}: {href} answered {response.status}"
        kind = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "id", href)
        # axe on the first page of each kind: the case pages differ only in data, and a run of axe on each of a
        # role's dozens of cases cost minutes of CI for no new finding.
        if kind not in photographed:
            await linked.check(f"{user.subject}-{re.sub(r'[^A-Za-z0-9]+', '-', kind).strip('-') or 'dashboard'}")
        photographed.add(kind)
    assert ("/cases" in nav) is (user.role is not Role.GOVERNOR)


def _register_list(system: EmbeddedSystem, role: Role, **params: str) -> dict[str, Any]:
    """The LA's list as register's JSON API gives it to a person of this role, with the whole list's count."""
    headers = bearer(token_for(SETTINGS, role, la_code=DEMO_LA_CODE))
    response = httpx.get(f"{system.config.url('register')}/api/v1/las/{DEMO_LA_CODE}/persistent-absentees",
                         params={"with_total": "true", **params}, headers=headers, timeout=30)
    assert response.status_code == 200, response.text
    listed: dict[str, Any] = response.json()
    return listed


async def _rows(page: Page) -> list[str]:
    """Each row's pupil link (the pupil's record), in the table's order."""
    links = page.locator("main table tbody tr td:first-child a")
    return [str(await links.nth(i).get_attribute("href")) for i in range(await links.count())]


@browser
@pytest.mark.asyncio(loop_scope="session")
async def test_the_las_absence_lists_page_through_registers_list(page: Page, system: EmbeddedSystem) -> None:
    """The EWO's absence lists show register's pages in register's order (50 a page, on by its cursor), each
    pupil linked to their record; the virtual school head's show looked-after pupils only; reading a page that
    names pupils is in the data protection lead's audit log."""
    casework = system.config.url("casework")
    dashboard = await _signed_in(page, system, _demo_user("demo-ewo"))
    lists = dashboard.as_(LinkedPage)
    for severity in ("persistent", "severe", "at_risk"):
        expected = _register_list(system, Role.LA_EWO, severity=severity)
        response = await lists.goto(f"{casework}/las/{DEMO_LA_CODE}/persistent-absentees?severity={severity}")
        assert response is not None
        assert response.status == 200
        assert await _rows(page) == [f"/pupils/{p['pupil_id']}" for p in expected["pupils"]]
        await expect(lists.main).to_contain_text(f"{expected['total']} pupil")
        if expected["next"]:
            await page.get_by_role("link", name="Next page").click()
            following = _register_list(system, Role.LA_EWO, severity=severity, after=expected["next"])
            assert await _rows(page) == [f"/pupils/{p['pupil_id']}" for p in following["pupils"]]
    persistent = _register_list(system, Role.LA_EWO)
    assert persistent["pupils"], "the demo leaves persistently absent pupils in every school"
    # A cursor register did not make is refused; the page says to start again rather than failing.
    refused = await lists.goto(f"{casework}/las/{DEMO_LA_CODE}/persistent-absentees?after=not-a-cursor")
    assert refused is not None
    assert refused.status == 422
    await expect(lists.main).to_contain_text("Start again from the first page")
    # Another LA's list is register's refusal, shown as such.
    other = await lists.goto(f"{casework}/las/998/persistent-absentees")
    assert other is not None
    assert other.status == 403

    await page.context.clear_cookies()
    vsh = (await _signed_in(page, system, _demo_user("demo-vsh"))).as_(LinkedPage)
    await vsh.goto(f"{casework}/las/{DEMO_LA_CODE}/persistent-absentees")
    looked_after = _register_list(system, Role.VIRTUAL_SCHOOL_HEAD)
    assert await _rows(page) == [f"/pupils/{p['pupil_id']}" for p in looked_after["pupils"]]
    assert looked_after["total"] < persistent["total"]
    await expect(vsh.main).to_contain_text("looked-after pupils only")

    await page.context.clear_cookies()
    dpo = (await _signed_in(page, system, _demo_user("demo-dpo"))).as_(LinkedPage)
    await dpo.goto(f"{casework}/audit")
    await expect(dpo.main).to_contain_text("la flagged pupils")
