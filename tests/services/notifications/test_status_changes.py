"""Casework follows the statuses notifications moves (GET /internal/status-changes): the pupils whose messages'
status moved after a position, oldest first, a page at a time, with where the page ends; an event only once a few
seconds old (one stamped inside a transaction not yet committed could otherwise be passed over); casework only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from services.notifications.service import reading
from shared import clock
from shared.auth import service_token
from shared.clients.notifications import NotificationsClient
from shared.contracts.notifications import StatusPosition

from .conftest import NotificationsHarness, make_pupil, n_request

pytestmark = pytest.mark.services


async def changes_after(harness: NotificationsHarness, position: dict[str, Any]) -> dict[str, Any]:
    response = await harness.client.get("/internal/status-changes", headers=harness.as_("casework"),
                                        params={"after_time": position["occurred_at"],
                                                "after_event": position["event_id"]})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_the_pupils_whose_messages_moved_after_a_position_a_page_at_a_time(
        harness: NotificationsHarness, monkeypatch: pytest.MonkeyPatch) -> None:
    start = {"occurred_at": clock.now().isoformat(), "event_id": 0}
    first, second = harness.register.add(make_pupil()), harness.register.add(make_pupil())
    for pupil in (first, second, first):
        assert (await harness.send(n_request(pupil))).status_code == 200

    # Just now: not yet (a later commit could still carry an earlier time).
    assert await changes_after(harness, start) == {"pupil_ids": [], "through": None, "more": False}
    monkeypatch.setattr(reading, "STATUS_SETTLE", timedelta(0))
    everything = await changes_after(harness, start)
    # Each email was queued then sent: six events, about two pupils, the first pupil's first.
    assert everything["pupil_ids"] == [str(first.pupil_id), str(second.pupil_id)]
    assert everything["more"] is False
    assert await changes_after(harness, everything["through"]) == {"pupil_ids": [], "through": None, "more": False}

    monkeypatch.setattr(reading, "STATUS_CHANGES_PAGE", 2)
    pages, position = [], start
    while True:
        page = await changes_after(harness, position)
        pages.append(page["pupil_ids"])
        if not page["more"]:
            break
        position = page["through"]
    # Two events a page: the first pupil's two, the second's two, the first's second message's two.
    assert pages == [[str(first.pupil_id)], [str(second.pupil_id)], [str(first.pupil_id)]]
    assert page["through"] == everything["through"]


async def test_only_casework_may_ask_and_a_bad_position_names_its_field(harness: NotificationsHarness) -> None:
    now = clock.now().isoformat()
    assert (await harness.client.get("/internal/status-changes", params={"after_time": now},
                                     headers=harness.as_("returns"))).status_code == 403
    for params, field in (({"after_time": "yesterday"}, "after_time"),
                          ({"after_time": "2026-12-08T10:00:00"}, "after_time"),  # no time zone
                          ({"after_time": now, "after_event": "-1"}, "after_event"), ({}, "after_time")):
        response = await harness.client.get("/internal/status-changes", params=params,
                                            headers=harness.as_("casework"))
        assert response.status_code == 422, params
        assert field in response.text


async def test_caseworks_client_reads_them_from_the_real_app(harness: NotificationsHarness,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The typed client casework follows the statuses with, against the app itself (names and shapes agree)."""
    monkeypatch.setattr(reading, "STATUS_SETTLE", timedelta(0))
    start = StatusPosition(occurred_at=clock.now(), event_id=0)
    pupil = harness.register.add(make_pupil())
    assert (await harness.send(n_request(pupil))).status_code == 200
    client = NotificationsClient("http://test", service_token("casework", "notifications", harness.settings.platform),
                                 transport=httpx.ASGITransport(app=harness.app))

    changes = await client.status_changes(start)

    assert changes.pupil_ids == [pupil.pupil_id]
    assert changes.through is not None
    assert (await client.status_changes(changes.through)).pupil_ids == []
