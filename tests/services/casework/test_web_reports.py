"""Returns' reports as casework pages (the LA's dashboard, the governor report) against a stand-in returns:
GOV.UK pages called as the signed-in person, returns' refusals as GOV.UK error pages (never JSON), figures
labelled with what they count and the same number on every page; and, for every demo role, every link in the
navigation and on the dashboard answers 200."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from shared.auth import SESSION_COOKIE, Identity, Role, Scope, issue_token, service_token
from shared.clients.notifications import NotificationsClient
from shared.clients.register import RegisterClient
from shared.clients.register_lists import RegisterListsClient
from shared.clients.returns_reports import ReturnsReportsClient
from shared.contracts.register import SchoolSummary
from shared.demo import DEMO_USERS, DemoUser
from tests.services.casework import fakes
from tests.services.casework.conftest import Harness
from tests.services.casework.fake_register_lists import FakeRegisterLists
from tests.services.casework.fake_reports import FakeReports, figures
from tests.services.casework.fakes import fake_notifications, fake_register
from tests.support.identities import token_for

pytestmark = pytest.mark.services

NAV = re.compile(r'<a class="govuk-service-navigation__link" href="([^"]+)"')
MAIN = re.compile(r'<main.*?</main>', re.S)
LINK = re.compile(r'href="(/[^"]*)"')


def _cookie(harness: Harness, role: Role, **scope: Any) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={token_for(harness.platform, role, **scope)}"}


@pytest.fixture
async def reports(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> FakeReports:
    fake = FakeReports(harness.platform)
    await harness.app.state.returns_reports.aclose()
    harness.app.state.returns_reports = ReturnsReportsClient("http://returns",
                                                             transport=httpx.ASGITransport(app=fake.app()))
    # And register's paged LA lists, linked from the LA officers' and the virtual school head's menus.
    await harness.app.state.register_lists.aclose()
    harness.app.state.register_lists = RegisterListsClient(
        "http://register", transport=httpx.ASGITransport(app=FakeRegisterLists(harness.platform).app()))
    # Register knows the demo's three schools (the school pages read it).
    monkeypatch.setattr(fakes, "SCHOOLS", [*fakes.SCHOOLS, SchoolSummary(
        urn="900003", name="Oakfield Special School", phase="special", la_code="999")])
    token = service_token("casework", "register", harness.platform)
    cw = harness.app.state.casework
    cw.register = RegisterClient("http://register", token, transport=httpx.ASGITransport(app=fake_register({}, {})))
    cw.notifications = NotificationsClient("http://notifications", token,
                                           transport=httpx.ASGITransport(app=fake_notifications()))
    return fake


async def test_the_la_dashboard_is_a_govuk_page_read_as_the_officer(harness: Harness, reports: FakeReports) -> None:
    ewo = _cookie(harness, Role.LA_EWO, la_code="999")
    page = await harness.http.get("/las/999/dashboard", headers=ewo)
    assert page.status_code == 200, page.text
    html = page.text
    assert 'class="govuk-template__header"' in html
    assert "govuk-service-navigation" in html
    assert reports.callers == ["test-la_ewo"]  # the officer's own token, not casework's
    assert "Local authority attendance dashboard" in html
    assert "DfE statistics cohort (aged 5 to 15)" in html
    assert re.search(r"Each school.s figures, DfE statistics cohort \(aged 5 to 15\), 1 September \d{4} to", html)
    assert html.count('<svg class="app-chart__svg"') == 3
    for name in ("Millbrook Primary School", "Harbour View Academy", "Oakfield Special School"):
        assert name in html
    assert "Elsewhere School" not in html
    assert "Persistent absence" in html
    assert "Legal intervention" in html
    assert "Still N, overdue" in html
    assert "Told the same day" in html
    assert "Not shown: fewer than 5 pupils" in html  # the suppressed area group
    # Downloads are returns' own CSV and XLSX, at returns' address.
    downloads = re.findall(r'href="(http://[^"]+/api/v1/returns/[0-9a-f-]+\.(?:csv|xlsx))"', html)
    assert len(downloads) == 2
    assert all(d.startswith(harness.platform.returns_url) for d in downloads)
    # The active navigation item is the LA dashboard.
    assert re.search(r'govuk-service-navigation__item--active">\s*<a[^>]+href="/las/999/dashboard"', html)


async def test_the_period_form_fills_in_the_dates_and_refuses_bad_ones_on_the_form(harness: Harness,
                                                                                  reports: FakeReports) -> None:
    ewo = _cookie(harness, Role.LA_EWO, la_code="999")
    chosen = await harness.http.get("/las/999/dashboard?from-day=2&from-month=11&from-year=2026"
                                    "&to-day=30&to-month=11&to-year=2026", headers=ewo)
    assert chosen.status_code == 200
    assert "Figures from 2 November 2026 to 30 November 2026" in chosen.text
    # Returns' old page address carries ISO dates: they are read too.
    kept = await harness.http.get("/las/999/dashboard?from=2026-11-02&to=2026-11-30", headers=ewo)
    assert "Figures from 2 November 2026 to 30 November 2026" in kept.text
    unreal = await harness.http.get("/las/999/dashboard?from-day=31&from-month=2&from-year=2026", headers=ewo)
    assert unreal.status_code == 422
    assert "govuk-error-summary" in unreal.text
    assert 'href="#from-day"' in unreal.text
    assert "The start date must be a real date" in unreal.text
    backwards = await harness.http.get("/las/999/dashboard?from-day=30&from-month=11&from-year=2026"
                                       "&to-day=2&to-month=11&to-year=2026", headers=ewo)
    assert backwards.status_code == 422
    assert "The end date must not be before the start date." in backwards.text
    assert 'href="#to-day"' in backwards.text


async def test_refusals_and_silence_are_govuk_error_pages_not_json(harness: Harness, reports: FakeReports) -> None:
    governor = _cookie(harness, Role.GOVERNOR, school_urns=["900001"])
    for path, headers in [("/las/999/dashboard", governor),
                          ("/las/999/dashboard", _cookie(harness, Role.LA_EWO, la_code="888")),
                          ("/schools/900002/governor-report", governor)]:
        refused = await harness.http.get(path, headers=headers)
        assert refused.status_code == 403, path
        assert refused.headers["content-type"].startswith("text/html")
        assert "You do not have access to this page" in refused.text
        assert 'class="govuk-template__header"' in refused.text
    missing = await harness.http.get("/schools/900009/governor-report",
                                     headers=_cookie(harness, Role.LA_EWO, la_code="999"))
    assert missing.status_code == 404
    assert "Page not found" in missing.text
    reports.down = True
    down = await harness.http.get("/schools/900001/governor-report", headers=governor)
    assert down.status_code == 503
    assert down.headers["content-type"].startswith("text/html")
    assert "Sorry, there is a problem" in down.text
    assert (await harness.http.get("/las/999/dashboard")).status_code == 303  # not signed in: to sign-in


async def test_the_governor_report_page_labels_its_figures_and_links_the_pdf(harness: Harness,
                                                                            reports: FakeReports) -> None:
    governor = _cookie(harness, Role.GOVERNOR, school_urns=["900001"])
    page = await harness.http.get("/schools/900001/governor-report", headers=governor)
    assert page.status_code == 200, page.text
    html = page.text
    assert "Attendance report for governors" in html
    assert "Millbrook Primary School" in html
    assert "DfE statistics cohort (aged 5 to 15): 31 pupils with 3100 possible sessions in the period" in html
    assert html.count('<svg class="app-chart__svg"') == 3
    assert "2023/24; DfE pupil absence in schools in England (published)" in html
    assert re.search(r'href="http://[^"]+/api/v1/schools/900001/governor-report\.pdf\?term_start=\d{4}-09-01', html)
    nav = NAV.findall(html)
    assert "/cases" not in nav  # governors never see Cases
    assert "/schools/900001/governor-report" in nav


async def test_a_figure_is_the_same_number_on_every_page_and_both_counts_are_named(harness: Harness,
                                                                                 reports: FakeReports) -> None:
    """The school page shows register's count of all pupils on roll beside returns' DfE cohort, each named with
    its period; the DfE cohort's attendance there is the governor report's and the LA dashboard's."""
    ewo = _cookie(harness, Role.LA_EWO, la_code="999")
    dfe_rate = f"{float(figures('900001').attendance_rate or 0):.1f}%"
    school = (await harness.http.get("/schools/900001", headers=ewo)).text
    assert "All pupils on roll" in school
    assert "DfE statistics cohort (aged 5 to 15)" in school
    assert re.search(r"Academic year 2026 to 2027, every session recorded so far", school)
    assert re.search(r"1 September \d{4} to \d+ \w+ \d{4}", school)
    assert "90.0%" in school  # register: 7200 of 8000 sessions, all pupils on roll
    governor_report = (await harness.http.get("/schools/900001/governor-report", headers=ewo)).text
    la = (await harness.http.get("/las/999/dashboard", headers=ewo)).text
    for html in (school, governor_report, la):
        assert dfe_rate in html
    reports.down = True
    degraded = await harness.http.get("/schools/900001", headers=ewo)
    assert degraded.status_code == 200
    assert "The returns service did not answer" in degraded.text


def _demo_cookie(harness: Harness, user: DemoUser) -> dict[str, str]:
    if user.role is Role.SOCIAL_WORKER:
        harness.allocations[user.email] = []
    identity = Identity(subject=user.subject, name=user.name, role=user.role, email=user.email,
                        scope=Scope(school_urns=user.school_urns, la_code=user.la_code))
    return {"Cookie": f"{SESSION_COOKIE}={issue_token(identity, harness.platform)}"}


@pytest.mark.parametrize("user", DEMO_USERS, ids=[u.subject for u in DEMO_USERS])
async def test_every_link_a_demo_role_is_shown_answers_200(harness: Harness, reports: FakeReports,
                                                           user: DemoUser) -> None:
    headers = _demo_cookie(harness, user)
    dashboard = await harness.http.get("/", headers=headers)
    assert dashboard.status_code == 200
    nav = NAV.findall(dashboard.text)
    main = MAIN.search(dashboard.text)
    assert main is not None
    links = sorted({href for href in nav + LINK.findall(main.group(0)) if href != "/sign-out"})
    assert links
    for href in links:
        response = await harness.http.get(href, headers=headers)
        assert response.status_code == 200, f"{user.subject}: {href} answered {response.status_code}"
    if user.role in {Role.LA_EWO, Role.DATA_PROTECTION_LEAD}:
        assert f"/las/{user.la_code}/dashboard" in nav
    else:
        assert not any(href.endswith("/dashboard") and href.startswith("/las/") for href in links)
    lists = f"/las/{user.la_code}/persistent-absentees"
    assert (lists in nav) is (user.role in {Role.LA_EWO, Role.DATA_PROTECTION_LEAD, Role.VIRTUAL_SCHOOL_HEAD})
    assert not any(href.startswith("/las/") and href not in (lists, f"/las/{user.la_code}/dashboard")
                   for href in links)
    if user.role in {Role.GOVERNOR, Role.HEADTEACHER}:
        assert f"/schools/{user.school_urns[0]}/governor-report" in nav
    else:
        assert not any(href.endswith("/governor-report") for href in nav)
    assert ("/cases" in nav) is (user.role is not Role.GOVERNOR)
