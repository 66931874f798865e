"""Register fixtures: the app on a fresh database, a school, identities and an admission helper."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, time
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import create_engine, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.register.dependencies import today
from services.register.domain.upn import make_upn
from services.register.main import MIGRATIONS_DIR, create_app
from services.register.models import Base, LocalAuthority, School
from services.register.settings import RegisterSettings
from shared.auth import Role
from shared.db import run_migrations, sync_url
from shared.settings import PlatformSettings
from tests.support.databases import DatabaseFactory
from tests.support.identities import bearer, service_headers, token_for

TODAY = date(2026, 11, 20)  # a Friday
SCHOOL_URN = "100001"
OTHER_URN = "100002"
LA_CODE = "998"


@dataclass
class RegisterHarness:
    app: FastAPI
    client: httpx.AsyncClient
    settings: RegisterSettings
    platform: PlatformSettings
    serial: int = 0

    @property
    def factory(self) -> async_sessionmaker[AsyncSession]:
        factory: async_sessionmaker[AsyncSession] = self.app.state.session_factory
        return factory

    def officer(self, urn: str = SCHOOL_URN) -> dict[str, str]:
        return bearer(token_for(self.platform, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[urn],
                                name="Priya Officer"))

    def service(self, caller: str) -> dict[str, str]:
        """Headers of `caller`'s token for register (its internal endpoints each answer named services)."""
        return service_headers(self.platform, caller, "register")

    def next_upn(self, temporary: bool = False) -> str:
        self.serial += 1
        serial: int | str = f"{self.serial % 100:02d}A" if temporary else self.serial
        return make_upn(LA_CODE, "2001", 26, serial)

    def admission(self, **overrides: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "upn": self.next_upn(), "legal_forename": "Amelia", "legal_surname": "Stone",
            "date_of_birth": "2016-05-04", "sex": "F", "year_group": "5", "address": "1 Mill Lane, Northshire",
            "admission_date": "2026-09-03",
            "parents": [{"name": "Jo Stone", "relationship": "Mother", "email": "jo.stone@example.org",
                         "phone": "07700 900123", "parental_responsibility": True, "lives_with_pupil": True}],
            "emergency_contacts": [{"name": "Sam Stone", "relationship": "Uncle", "phone": "07700 900456"}],
        }
        body.update(overrides)
        return body

    async def admit(self, urn: str = SCHOOL_URN, **overrides: Any) -> dict[str, Any]:
        response = await self.client.post(f"/api/v1/schools/{urn}/pupils", json=self.admission(**overrides),
                                          headers=self.officer(urn))
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    async def mark(self, pupil_id: str, code: str, day: date, session: str = "AM",
                   urn: str = SCHOOL_URN) -> httpx.Response:
        return await self.client.post(f"/api/v1/schools/{urn}/sessions/{day.isoformat()}/{session}/marks",
                                      json={"marks": [{"pupil_id": pupil_id, "code": code}]},
                                      headers=self.officer(urn))


async def add_school(factory: async_sessionmaker[AsyncSession], urn: str, la_code: str = LA_CODE) -> None:
    async with factory() as session, session.begin():
        if await session.get(LocalAuthority, la_code) is None:
            session.add(LocalAuthority(code=la_code, name="Testshire", virtual_school_head_name="Vera Head",
                                       virtual_school_head_email="vsh@testshire.example.gov"))
            await session.flush()
        session.add(School(urn=urn, name=f"School {urn}", phase="primary", la_code=la_code, estab="2001",
                           am_register_opens=time(8, 40), am_register_closes=time(9, 0),
                           pm_register_opens=time(13, 10), pm_register_closes=time(13, 25),
                           attendance_lead_name="Priya Officer", attendance_lead_email="lead@school.example.org"))


@pytest.fixture(scope="session")
def register_database(databases: DatabaseFactory) -> str:
    """One migrated database for the register tests; each test starts from empty tables."""
    url = databases.create("register")
    run_migrations(MIGRATIONS_DIR, url)
    return url


def empty_tables(url: str) -> None:
    engine = create_engine(sync_url(url))
    try:
        with engine.begin() as connection:
            tables = [t.name for t in Base.metadata.sorted_tables]
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for name in reversed(tables):
                    connection.execute(text(f"DELETE FROM {name}"))
    finally:
        engine.dispose()


@pytest.fixture
def register_settings(register_database: str, platform_settings: PlatformSettings) -> RegisterSettings:
    empty_tables(register_database)
    # The fixture's schools have no calendar, so every weekday is a school day for them; the rule that marks need
    # the school year's calendar is tested on its own (test_edge_validation).
    return RegisterSettings(database_url=register_database, outbox_relay_enabled=False,
                            platform=platform_settings, min_possible_sessions_for_flags=4,
                            marks_need_school_calendar=False)


@pytest.fixture
async def register(register_settings: RegisterSettings,
                   platform_settings: PlatformSettings) -> AsyncIterator[RegisterHarness]:
    app = create_app(register_settings)
    app.dependency_overrides[today] = lambda: TODAY
    async with app.router.lifespan_context(app):
        await add_school(app.state.session_factory, SCHOOL_URN)
        await add_school(app.state.session_factory, OTHER_URN)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            yield RegisterHarness(app, client, register_settings, platform_settings)
