"""The LA's compliance view and dashboard on the running system: an N mark for a pupil with a social worker
shows up as an N awaiting its reason and as a social worker told (on the day, or later when the suite marks an
earlier school day); replacing the N with a reason moves it to "resolved in time"; the dashboard page shows the
demo journeys by stage and the returns the schedules made."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import httpx
import pytest

from scripts.embedded import EmbeddedSystem
from shared import clock
from shared.auth import Role
from shared.demo import DEMO_LA_CODE, DEMO_USERS, DemoUser
from shared.settings import PlatformSettings
from tests.e2e.test_walking_skeleton import SCHOOL_URN, SOCIAL_WORKER_EMAIL, Register, messages_about, new_pupil
from tests.support.identities import bearer, token_for
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

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


@contextmanager
def _signed_in(system: EmbeddedSystem, subject: str) -> Iterator[httpx.Client]:
    """A browser-like client signed in to casework as a demo user (the development login)."""
    with httpx.Client(base_url=system.config.url("casework"), timeout=120) as client:
        signed = client.post("/sign-in", data={"user": subject})
        assert signed.status_code == 303, signed.text
        yield client


def test_la_dashboard_page_on_the_running_system(system: EmbeddedSystem) -> None:
    """The LA's page is casework's GOV.UK page, read from returns as the signed-in officer; returns' old HTML
    address sends a browser there."""
    with _signed_in(system, "demo-ewo") as ewo:
        page = ewo.get(f"/las/{DEMO_LA_CODE}/dashboard")
        assert page.status_code == 200, page.text
        html = page.text
        assert 'class="govuk-template__header"' in html
        assert "govuk-warning-text" not in html  # every service answered: no measure left out
        assert "DfE statistics cohort (aged 5 to 15)" in html
        assert html.count('<svg class="app-chart__svg"') == 3
        # The demo journeys, by stage (the seed leaves persistently absent pupils in every school).
        persistent = re.search(r'<td class="govuk-table__cell">Persistent absence</td>\s*'
                               r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>', html)
        assert persistent is not None
        assert int(persistent.group(1)) > 0
        for name in ("Millbrook Primary School", "Harbour View Academy", "Oakfield Special School"):
            assert name in html
    returns = system.config.url("returns")
    old = httpx.get(f"{returns}/api/v1/las/{DEMO_LA_CODE}/dashboard.html", timeout=30)
    assert old.status_code == 303
    assert old.headers["location"].endswith(f"/las/{DEMO_LA_CODE}/dashboard")


@pytest.mark.parametrize("user", DEMO_USERS, ids=[u.subject for u in DEMO_USERS])
def test_every_link_each_demo_role_is_shown_answers_200(system: EmbeddedSystem, user: DemoUser) -> None:
    """Navigation shows a person only what their role may open: every link in it and on their dashboard opens."""
    with _signed_in(system, user.subject) as browser:
        dashboard = browser.get("/")
        assert dashboard.status_code == 200, dashboard.text
        nav = re.findall(r'<a class="govuk-service-navigation__link" href="([^"]+)"', dashboard.text)
        main = re.search(r"<main.*?</main>", dashboard.text, re.S)
        assert main is not None
        links = sorted({href for href in nav + re.findall(r'href="(/[^"]*)"', main.group(0))
                        if href != "/sign-out"})
        for href in links:
            response = browser.get(href)
            assert response.status_code == 200, f"{user.subject}: {href} answered {response.status_code}"
        assert ("/cases" in nav) is (user.role is not Role.GOVERNOR)
