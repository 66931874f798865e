"""Times shown to officers are England's (GMT in winter, BST in summer), GOV.UK style, whatever the database
hands back: aware datetimes, or naive ones that SQLite stores as UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from uuid import UUID

import pytest

from services.casework.service.england_time import day as _day
from services.casework.service.england_time import england_time
from shared.auth import SESSION_COOKIE, Role
from tests.services.casework.conftest import Harness, register_event
from tests.support.identities import token_for


@pytest.mark.parametrize(("moment", "shown"), [
    (datetime(2026, 11, 25, 9, 5, tzinfo=UTC), "25 November 2026 at 9:05am"),  # GMT: UTC itself
    (datetime(2026, 6, 25, 8, 5, tzinfo=UTC), "25 June 2026 at 9:05am"),  # BST: an hour ahead
    (datetime(2026, 6, 25, 8, 5), "25 June 2026 at 9:05am"),  # naive, as SQLite returns it: UTC
    (datetime(2026, 6, 25, 10, 5, tzinfo=timezone(timedelta(hours=2))), "25 June 2026 at 9:05am"),
    (datetime(2026, 11, 25, 17, 30, tzinfo=UTC), "25 November 2026 at 5:30pm"),
    (datetime(2026, 11, 25, 10, 0, tzinfo=UTC), "25 November 2026 at 10am"),
    (datetime(2026, 6, 25, 11, 0, tzinfo=UTC), "25 June 2026 at midday"),
    (datetime(2026, 11, 25, 0, 0, tzinfo=UTC), "25 November 2026 at midnight"),
    (datetime(2026, 11, 25, 0, 40, tzinfo=UTC), "25 November 2026 at 12:40am"),
    (datetime(2026, 6, 30, 23, 30, tzinfo=UTC), "1 July 2026 at 12:30am"),  # the next day in England
    # The clocks change: 01:00 UTC on 29 March 2026 and on 25 October 2026.
    (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), "29 March 2026 at 12:59am"),
    (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "29 March 2026 at 2am"),
    (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "25 October 2026 at 1:30am"),
    (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), "25 October 2026 at 1:30am"),
    (None, ""),
])
def test_moments_are_shown_in_englands_time(moment: datetime | None, shown: str) -> None:
    assert england_time(moment) == shown


def test_the_day_of_a_moment_is_englands_and_a_date_is_itself() -> None:
    assert _day(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == "1 July 2026"
    assert _day(datetime(2026, 6, 30, 23, 30)) == "1 July 2026"
    assert _day(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "31 December 2026"
    assert _day(date(2026, 6, 30)) == "30 June 2026"
    assert _day(None) == ""


@pytest.mark.services
async def test_the_case_page_shows_register_events_in_englands_time(harness: Harness) -> None:
    summer = register_event()
    summer["occurred_at"] = "2026-06-30T23:30:00+00:00"  # BST: 12:30am on 1 July in England
    pupil_id = UUID(summer["pupil"]["pupil_id"])
    winter = register_event(pupil_id, event_type="became_persistently_absent")
    winter["occurred_at"] = "2026-11-25T09:05:00+00:00"  # GMT
    for event in (summer, winter):
        response = await harness.http.post("/internal/events", json=event, headers=harness.service())
        assert response.status_code == 200, response.text
    officer = {"Cookie": f"{SESSION_COOKIE}="
                         f"{token_for(harness.platform, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=['900001'])}"}
    page = await harness.http.get(f"/cases/{pupil_id}", headers=officer)
    assert page.status_code == 200
    assert "1 July 2026 at 12:30am" in page.text
    assert "25 November 2026 at 9:05am" in page.text
    assert "30 June 2026" not in page.text
    listing = await harness.http.get("/cases", headers=officer)
    assert "25 November 2026" in listing.text  # the last event's day
