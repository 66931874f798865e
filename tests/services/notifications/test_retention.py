"""Notifications' retention job: a message and its delivery history go once the last thing that happened to it is
older than the LA's period; each run is recorded and reported."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from shared import clock
from shared.auth import Role
from shared.retention import RETENTION_CALLER
from tests.services.notifications.conftest import NotificationsHarness, make_pupil, n_request
from tests.support.identities import bearer, token_for

pytestmark = pytest.mark.services

PREFIX = "/internal"


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


async def run(harness: NotificationsHarness, as_of: date, pupil_id: str) -> dict[str, Any]:
    response = await harness.client.post("/internal/retention/run", headers=harness.as_(RETENTION_CALLER),
                                         json={"as_of": as_of.isoformat(), "pupil_ids": [pupil_id]})
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


async def test_delivery_records_go_after_the_period(harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())
    sent = await harness.send(n_request(pupil))
    assert sent.status_code in (200, 201), sent.text
    pupil_id = str(pupil.pupil_id)
    report = await run(harness, years_after(clock.today(), 6), pupil_id)
    assert report["removed"] == {"notifications": 0, "delivery_status_events": 0}
    report = await run(harness, years_after(clock.today(), 6) + timedelta(days=1), pupil_id)
    assert report["removed"]["notifications"] == 1
    assert report["removed"]["delivery_status_events"] >= 2
    listed = await harness.client.get(f"{PREFIX}/pupils/{pupil_id}/notifications", headers=harness.as_("casework"))
    assert listed.status_code == 200
    assert listed.json() == []
    dpl = bearer(token_for(harness.settings.platform, Role.DATA_PROTECTION_LEAD, la_code="999"))
    runs = (await harness.client.get("/api/v1/retention/runs", headers=dpl)).json()
    assert runs[0]["service"] == "notifications"
    assert runs[0]["removed"]["notifications"] == 1
