"""Fixtures of the returns tests: a known register (world.py) and the returns app in process, with register
answered by the stand-in serving that register."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import delete

from services.returns import dependencies
from services.returns.main import create_app
from services.returns.models import DfeCollection, LaReturn
from services.returns.settings import ReturnsSettings
from shared.auth import Role
from shared.settings import PlatformSettings
from tests.services.returns.world import World, fake_register
from tests.support.databases import DatabaseFactory
from tests.support.identities import bearer, service_headers, token_for

__all__ = ["World"]

NOV: dict[str, Any] = {"la_code": "999", "period_start": "2026-11-01", "period_end": "2026-11-30"}
IN_NOVEMBER = datetime(2026, 11, 30, 12, tzinfo=UTC)


class Harness:
    def __init__(self, app: FastAPI, client: httpx.AsyncClient, settings: PlatformSettings,
                 worlds: dict[str, World]) -> None:
        self.app, self.client, self.settings, self.worlds = app, client, settings, worlds
        self.register: FastAPI | None = None

    def headers(self, role: Role, **scope: Any) -> dict[str, str]:
        return bearer(token_for(self.settings, role, **scope))

    def at(self, moment: datetime) -> None:
        self.app.dependency_overrides[dependencies.now] = lambda: moment

    async def generate(self, body: dict[str, Any] = NOV) -> httpx.Response:
        return await self.client.post("/internal/returns/generate", json=body,
                                      headers=service_headers(self.settings, "returns-worker", "returns"))


@pytest.fixture(scope="session")
def returns_database_url(databases: DatabaseFactory) -> str:
    """One database for the returns API tests (creating and dropping one per test is slow on PostgreSQL);
    each test starts from an empty la_return table."""
    return databases.create("returns")


@pytest.fixture
async def harness(returns_database_url: str, platform_settings: PlatformSettings) -> AsyncIterator[Harness]:
    worlds = {"900001": World("900001"), "900002": World("900002", junior="7", senior="11")}
    settings = ReturnsSettings(database_url=returns_database_url, platform=platform_settings)
    register = fake_register(worlds)
    app = create_app(settings, register_transport=httpx.ASGITransport(app=register))
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        async with app.state.engine.begin() as connection:
            await connection.execute(delete(LaReturn))
            await connection.execute(delete(DfeCollection))
        harness = Harness(app, client, platform_settings, worlds)
        harness.register = register
        harness.at(IN_NOVEMBER)
        yield harness


@pytest.fixture
def world() -> World:
    return World()
