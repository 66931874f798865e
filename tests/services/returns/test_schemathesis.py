"""Schemathesis on returns' OpenAPI document as an authorised caller: no 5xx, responses as documented."""

from __future__ import annotations

import httpx
import pytest

from services.returns.main import create_app
from services.returns.settings import ReturnsSettings
from shared.auth import Role
from shared.settings import PlatformSettings
from tests.services.returns.conftest import NOV
from tests.services.returns.world import World, fake_register
from tests.support.api_fuzz import LiveApp, fuzz
from tests.support.databases import DatabaseFactory
from tests.support.identities import bearer, service_headers, token_for

pytestmark = pytest.mark.services


def test_returns_answer_every_operation_as_documented(databases: DatabaseFactory,
                                                      platform_settings: PlatformSettings) -> None:
    worlds = {"900001": World("900001")}
    for _ in range(6):
        worlds["900001"].pupil()
    with LiveApp(fake_register(worlds)) as register:
        # Casework and notifications are not running: the LA's views say so rather than fail.
        platform = platform_settings.model_copy(update={"register_url": register.url})
        # A database of its own: what the fuzzing writes stays out of the other tests' way.
        settings = ReturnsSettings(database_url=databases.create("returns_fuzz"), platform=platform)
        ewo = bearer(token_for(platform, Role.LA_EWO, la_code="999"))
        schedule = service_headers(platform, "returns-worker", "returns")

        def headers_for(method: str, path: str) -> dict[str, str]:
            return schedule if path.startswith("/internal/") else ewo

        app = create_app(settings)
        with LiveApp(app) as live:
            generated = httpx.post(f"{live.url}/internal/returns/generate", json=NOV, headers=schedule, timeout=60)
            assert generated.status_code == 200, generated.text
            failures = fuzz(app, live.url, headers_for, examples=8,
                            path_parameters={"urn": "900001", "la_code": "999"})
    assert not failures, "\n".join(failures)
