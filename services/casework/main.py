"""The casework process: `uvicorn --factory services.casework.main:create_app`."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

from fastapi import FastAPI

from services.casework.api import routers
from services.casework.models import RetentionRun
from services.casework.service import CaseworkApp
from services.casework.service.case_view import case_views
from services.casework.service.journeys import Journeys
from services.casework.service.retention import run_casework_retention
from services.casework.settings import CaseworkSettings, get_settings
from services.casework.web import install_web
from shared.app import HealthCheck, configure_logging, create_service_app
from shared.auth import service_token
from shared.clients.notifications import NotificationsClient
from shared.clients.register import RegisterClient
from shared.clients.register_lists import RegisterListsClient
from shared.clients.returns_expectations import SicknessExpectationsClient
from shared.clients.returns_reports import ReturnsReportsClient
from shared.db import create_engine, database_is_reachable, run_migrations, session_factory
from shared.retention import Removal, retention_router
from shared.unit_of_work import Db

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def create_app(settings: CaseworkSettings | None = None, journeys: Journeys | None = None) -> FastAPI:
    """The casework app; tests may pass a Journeys bound to their own Temporal client."""
    settings = settings or get_settings()
    platform = settings.platform
    configure_logging(platform.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        url = settings.resolved_database_url
        await asyncio.to_thread(run_migrations, MIGRATIONS_DIR, url)
        # Enough connections for the officers reading at once (each request holds one at a time) and the case
        # views' refresh; SQLite keeps its own pool.
        pool = {"pool_size": settings.db_pool_size, "max_overflow": settings.db_max_overflow} \
            if url.startswith("postgresql") else {}
        engine = create_engine(url, **pool)
        timeout = settings.upstream_timeout_seconds
        gateway = journeys or Journeys(platform.temporal_address, platform.temporal_namespace,
                                       settings.temporal_retry_seconds, settings=platform)
        gateway.start()
        register = RegisterClient(platform.register_url, service_token("casework", "register", platform), timeout)
        notifications = NotificationsClient(platform.notifications_url,
                                            service_token("casework", "notifications", platform), timeout)
        casework = CaseworkApp(settings=settings, sessions=session_factory(engine), journeys=gateway,
                               register=register, notifications=notifications)
        app.state.engine = engine
        app.state.casework = casework
        # Called with the officer's own token, so returns applies its scope to the officer, not to casework.
        app.state.sickness_expectations = SicknessExpectationsClient(platform.returns_url, timeout)
        app.state.returns_reports = ReturnsReportsClient(platform.returns_url, settings.reports_timeout_seconds)
        app.state.register_lists = RegisterListsClient(platform.register_url, settings.reports_timeout_seconds)
        case_views(casework).start()
        try:
            yield
        finally:
            await case_views(casework).stop()
            await gateway.stop()
            await casework.register.aclose()
            await casework.notifications.aclose()
            await app.state.sickness_expectations.aclose()
            await app.state.returns_reports.aclose()
            await app.state.register_lists.aclose()
            await engine.dispose()

    def health_checks(app: FastAPI) -> dict[str, HealthCheck]:
        async def database() -> bool:
            return await database_is_reachable(app.state.engine)

        async def temporal() -> bool:
            return await app.state.casework.journeys.is_available()

        return {"database": database, "temporal": temporal}

    app = create_service_app("casework", description="Case files, officer actions and the officer UI",
                             lifespan=lifespan, health_checks=health_checks, platform=platform)
    for router in routers:
        app.include_router(router)

    async def retention_job(db: Db, as_of: date, pupil_ids: list[uuid.UUID] | None) -> Removal:
        return await run_casework_retention(db, as_of, pupil_ids,
                                            case_file_years=settings.retention_case_file_years,
                                            audit_years=settings.retention_audit_years)

    app.include_router(retention_router("casework", RetentionRun, retention_job,
                                        lambda request: request.app.state.casework.sessions))
    install_web(app, settings)
    return app
