"""The returns service app: `uv run uvicorn --factory services.returns.main:create_app --port 8003`."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from services.returns.api import ROUTERS
from services.returns.models import RetentionRun
from services.returns.service.retention import run_returns_retention
from services.returns.settings import ReturnsSettings
from shared.app import HealthCheck, configure_logging, create_service_app
from shared.auth import service_token
from shared.clients.casework import CaseworkClient
from shared.clients.notifications import NotificationsClient
from shared.clients.register_extract import RegisterExtractClient
from shared.db import create_engine, database_is_reachable, run_migrations, session_factory
from shared.http import Transport
from shared.retention import Removal, retention_router
from shared.unit_of_work import Db

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


async def _migrated_engine(url: str) -> AsyncEngine:
    """The database brought up to the latest migration (in a thread: alembic runs its own event loop)."""
    await asyncio.to_thread(run_migrations, MIGRATIONS_DIR, url)
    return create_engine(url)


def create_app(settings: ReturnsSettings | None = None, *,
               register_transport: Transport | None = None,
               casework_transport: Transport | None = None,
               notifications_transport: Transport | None = None) -> FastAPI:
    """The app; the transports let tests answer for register, casework and notifications in process."""
    settings = settings or ReturnsSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.platform.log_level)
        engine = await _migrated_engine(settings.resolved_database_url)
        platform = settings.platform
        app.state.settings, app.state.engine, app.state.session_factory = settings, engine, session_factory(engine)
        app.state.register_source = RegisterExtractClient(
            platform.register_url, service_token("returns", "register", platform),
            # Extracts of a large school over a school year take longer than an ordinary call.
            timeout=max(platform.http_timeout_seconds, 60.0), transport=register_transport)
        # The LA's dashboard and compliance view also read casework (cases by stage) and notifications (when
        # same-day alerts went out).
        app.state.casework = CaseworkClient(platform.casework_url, service_token("returns", "casework", platform),
                                            timeout=platform.http_timeout_seconds, transport=casework_transport)
        app.state.notifications = NotificationsClient(
            platform.notifications_url, service_token("returns", "notifications", platform),
            timeout=platform.http_timeout_seconds, transport=notifications_transport)
        try:
            yield
        finally:
            await app.state.register_source.aclose()
            await app.state.casework.aclose()
            await app.state.notifications.aclose()
            await engine.dispose()

    def health_checks(app: FastAPI) -> dict[str, HealthCheck]:
        return {"database": lambda: database_is_reachable(app.state.engine)}

    app = create_service_app("returns", lifespan=lifespan, health_checks=health_checks, platform=settings.platform,
                             description="Statutory returns to the local authority, built from the registers.")
    for router in ROUTERS:
        app.include_router(router)

    async def retention_job(db: Db, as_of: date, pupil_ids: list[uuid.UUID] | None) -> Removal:
        return await run_returns_retention(db, as_of, pupil_ids, years=settings.retention_years)

    app.include_router(retention_router("returns", RetentionRun, retention_job,
                                        lambda request: request.app.state.session_factory))
    # Tokens are verified with the platform settings the app was created with.
    return app
