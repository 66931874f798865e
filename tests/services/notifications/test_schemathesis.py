"""Schemathesis on notifications' OpenAPI document as its authorised callers: no 5xx, responses as documented."""

from __future__ import annotations

import pytest

from services.notifications.main import create_app
from services.notifications.settings import NotificationsSettings
from shared.settings import PlatformSettings
from tests.services.notifications.conftest import FakeRegister, make_pupil
from tests.support.api_fuzz import LiveApp, fuzz
from tests.support.databases import DatabaseFactory
from tests.support.identities import bearer, service_headers
from tests.support.smtp import SmtpSink

pytestmark = pytest.mark.services

CALLBACK_TOKEN = "fuzz-callback-token-0123456789"


def test_notifications_answer_every_operation_as_documented(databases: DatabaseFactory, smtp_sink: SmtpSink,
                                                            platform_settings: PlatformSettings) -> None:
    register = FakeRegister(platform_settings)
    pupil = register.add(make_pupil())
    with LiveApp(register.app) as live_register:
        platform = platform_settings.model_copy(update={"register_url": live_register.url})
        # A database of its own: what the fuzzing writes stays out of the other tests' way.
        settings = NotificationsSettings(database_url=databases.create("notifications_fuzz"), smtp_port=smtp_sink.port,
                                         platform=platform, notify_callback_token=CALLBACK_TOKEN)

        def headers_for(method: str, path: str) -> dict[str, str]:
            if path.startswith("/callbacks/"):
                return bearer(CALLBACK_TOKEN)
            caller = {("POST", "/internal/notifications"): "journey-worker",
                      ("POST", "/internal/notifications/timings"): "returns"}.get((method, path), "casework")
            return service_headers(platform, caller, "notifications")

        app = create_app(settings)
        with LiveApp(app) as live:
            failures = fuzz(app, live.url, headers_for, examples=8, path_parameters={"pupil_id": pupil.pupil_id})
    assert not failures, "\n".join(failures)
