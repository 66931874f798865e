"""The case file says whether the pupil meets the fast track entry criterion now, from register's figures over
the last school weeks of the school's calendar (the period start_fast_track takes)."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import httpx
import pytest

from services.casework import repository
from services.casework.service.fast_track import school_weeks_back
from shared import clock
from shared.auth import SESSION_COOKIE, Role, service_token
from shared.clients.notifications import NotificationsClient
from shared.clients.register import RegisterClient
from shared.contracts.journey import JourneyPolicy
from tests.services.casework.conftest import Harness, register_event
from tests.services.casework.fakes import fake_notifications, fake_register, weekdays
from tests.support.identities import token_for

MONDAY = date(2026, 11, 2)


@pytest.mark.unit
def test_the_last_school_weeks_skip_holiday_weeks() -> None:
    days = [d for d in weekdays(MONDAY - timedelta(weeks=12), MONDAY + timedelta(days=4))
            if not MONDAY - timedelta(weeks=1) <= d < MONDAY]  # half term: the week before
    # From Wednesday: this week (to today), then five weeks before half term.
    wednesday = MONDAY + timedelta(days=2)
    assert school_weeks_back(days, wednesday, 6) == (MONDAY - timedelta(weeks=6), wednesday)
    assert school_weeks_back(days, wednesday, 1) == (MONDAY, wednesday)
    assert school_weeks_back(days[-3:], wednesday, 6) is None


async def _case(harness: Harness, stage: str) -> UUID:
    event = register_event(event_type="became_persistently_absent")
    assert (await harness.http.post("/internal/events", json=event, headers=harness.service())).status_code == 200
    pupil_id = UUID(event["pupil"]["pupil_id"])
    # The stage as the journey would have projected it (the fake journey here projects none).
    async with harness.app.state.casework.sessions.begin() as session:
        case = await repository.get_case(session, pupil_id, for_update=True)
        case.stage = stage
    token = service_token("casework", "register", harness.platform)
    cw = harness.app.state.casework
    cw.register = RegisterClient("http://register", token, transport=httpx.ASGITransport(app=fake_register({}, {})))
    cw.notifications = NotificationsClient("http://notifications", token,
                                           transport=httpx.ASGITransport(app=fake_notifications()))
    return pupil_id


@pytest.mark.services
async def test_the_case_file_shows_the_fast_track_figures_and_whether_they_meet_it(harness: Harness) -> None:
    pupil_id = await _case(harness, "persistent_absence")
    ewo = harness.as_(Role.LA_EWO, la_code="999")

    body = (await harness.http.get(f"/api/v1/cases/{pupil_id}", headers=ewo)).json()
    check = body["fast_track"]
    start, end = date.fromisoformat(check["period_start"]), date.fromisoformat(check["period_end"])
    assert end <= clock.today()
    assert (end - start).days < 6 * 7  # six Monday-Sunday weeks, first to last school day
    assert check["possible_sessions"] == 2 * len(weekdays(start, end))
    assert check["unauthorised_sessions"] == 14
    assert check["meets"] is (14 * 100 / check["possible_sessions"] >= 15)
    assert check["criterion"] == "at least 15% unauthorised absence over the last 6 school weeks"

    # The criterion is the LA's setting.
    harness.app.state.casework.settings.journey_policy = JourneyPolicy(fast_track_unauthorised_percent=50)
    stricter = (await harness.http.get(f"/api/v1/cases/{pupil_id}", headers=ewo)).json()["fast_track"]
    assert stricter["meets"] is False
    assert stricter["criterion"].startswith("at least 50%")
    token = token_for(harness.platform, Role.LA_EWO, la_code="999")
    page = await harness.http.get(f"/cases/{pupil_id}", headers={"Cookie": f"{SESSION_COOKIE}={token}"})
    assert page.status_code == 200, page.text
    assert "Fast track entry criterion" in page.text
    assert "Not met: " in page.text


@pytest.mark.services
async def test_no_fast_track_figures_before_a_concern(harness: Harness) -> None:
    pupil_id = await _case(harness, "monitoring")
    body = (await harness.http.get(f"/api/v1/cases/{pupil_id}",
                                   headers=harness.as_(Role.LA_EWO, la_code="999"))).json()
    assert body["case"]["stage"] == "monitoring"
    assert body["fast_track"] is None
