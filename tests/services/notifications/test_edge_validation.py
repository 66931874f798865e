"""Notifications at its edge: each internal endpoint answers only the service it is for, before anything about
the body; tokens for another service are refused; bodies over the limit are refused unread."""

from __future__ import annotations

import pytest

from shared.auth import Role
from tests.services.notifications.conftest import NotificationsHarness, make_pupil, n_request
from tests.support.identities import bearer, service_headers, token_for

pytestmark = pytest.mark.services


async def test_only_the_journey_worker_sends_and_others_learn_nothing_of_the_body(
        harness: NotificationsHarness) -> None:
    pupil = harness.register.add(make_pupil())
    officer = bearer(token_for(harness.settings.platform, Role.LA_EWO, la_code="999"))
    for headers in (harness.as_("casework"), officer):
        for body in (n_request(pupil), {"unknown": 1}):
            response = await harness.send(body, headers=headers)
            assert response.status_code == 403, response.text
            assert "errors" not in response.json()
    assert harness.sink.messages == []
    assert (await harness.send(n_request(pupil))).status_code == 200


async def test_a_token_for_another_service_is_refused(harness: NotificationsHarness) -> None:
    for_register = service_headers(harness.settings.platform, "journey-worker", "register")
    response = await harness.send(n_request(harness.register.add(make_pupil())), headers=for_register)
    assert response.status_code == 401
    assert (await harness.client.get("/internal/templates", headers=for_register)).status_code == 401


async def test_a_body_over_the_limit_is_refused_unread(harness: NotificationsHarness) -> None:
    limit = harness.settings.platform.max_body_bytes
    response = await harness.client.post("/internal/notifications", content=b"{" + b" " * limit + b"}",
                                          headers={**harness.headers, "content-type": "application/json"})
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
