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

from scripts.embedded import EmbeddedSystem
from shared import clock
from shared.auth import Role
from shared.demo import DEMO_LA_CODE
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


def test_la_dashboard_page_on_the_running_system(system: EmbeddedSystem) -> None:
    returns = system.config.url("returns")
    page = httpx.get(f"{returns}/api/v1/las/{DEMO_LA_CODE}/dashboard.html", headers=EWO, timeout=120)
    assert page.status_code == 200, page.text
    html = page.text
    assert "Not shown:" not in html
    assert len(re.findall(r'<img src="data:image/svg\+xml;base64,', html)) == 3
    # The demo journeys, by stage (the seed leaves persistently absent pupils in every school).
    persistent = re.search(r"<td>Persistent absence</td><td>(\d+)</td>", html)
    assert persistent is not None
    assert int(persistent.group(1)) > 0
    for name in ("Millbrook Primary School", "Harbour View Academy", "Oakfield Special School"):
        assert name in html
