"""Register service process: `uv run uvicorn --factory services.register.main:create_app --port 8001`."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import cast

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from services.register.api import ROUTERS
from services.register.models import RetentionRun
from services.register.service.outbox import OutboxRelay
from services.register.service.retention import run_register_retention
from services.register.settings import RegisterSettings, get_settings
from shared.app import HealthCheck, configure_logging, create_service_app
from shared.clients.casework import CaseworkClient
from shared.db import create_engine, database_is_reachable, run_migrations, session_factory
from shared.errors import problem
from shared.retention import Removal, retention_router
from shared.unit_of_work import Db

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
logger = logging.getLogger("register")

DESCRIPTION = """The statutory admission and attendance registers (School Attendance (Pupil Registration)
(England) Regulations 2024): admissions, whole-session marking with the 2024 national codes, amendments that
keep the original entry, figures, and the events casework needs, delivered through a transactional outbox.
Errors are problem+json documents whose `errors` name each bad field."""


def create_app(settings: RegisterSettings | None = None, *, casework: CaseworkClient | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_logging(settings.platform.log_level)
        url = settings.resolved_database_url
        await asyncio.to_thread(run_migrations, MIGRATIONS_DIR, url)
        engine = create_engine(url)
        factory = session_factory(engine)
        app.state.settings = settings
        app.state.engine = engine
        app.state.session_factory = factory
        if settings.seed_demo:
            from scripts.demo_register import seed_demo

            await seed_demo(factory, settings)
        client = casework or cast(CaseworkClient, CaseworkClient.for_caller(
            "register", settings.platform.casework_url, settings.platform))
        relay = None
        if settings.outbox_relay_enabled:
            relay = OutboxRelay(factory, client, poll_interval=settings.outbox_poll_interval_seconds,
                                batch_size=settings.outbox_batch_size,
                                max_backoff=settings.outbox_max_backoff_seconds,
                                lease_seconds=settings.outbox_lease_seconds)
            relay.start()
        app.state.outbox_relay = relay
        try:
            yield
        finally:
            if relay is not None:
                await relay.stop()
            if casework is None:
                await client.aclose()
            await engine.dispose()

    def health_checks(app: FastAPI) -> dict[str, HealthCheck]:
        return {"database": lambda: database_is_reachable(app.state.engine)}

    app = create_service_app("register", description=DESCRIPTION, lifespan=lifespan, health_checks=health_checks,
                             platform=settings.platform, upload_paths=[r"^/api/v1/schools/[^/]+/imports/"])

    @app.exception_handler(IntegrityError)
    async def _concurrent_write(request: Request, exc: IntegrityError) -> JSONResponse:
        # Two requests wrote the same mark at once: the unique constraint kept one; this one wrote nothing.
        return problem(409, "Conflict", "Someone else recorded the same entries at the same time; nothing was "
                       "recorded. Read them again and retry.", "Conflict", instance=request.url.path)

    for router in ROUTERS:
        app.include_router(router)

    async def retention_job(db: Db, as_of: date, pupil_ids: list[uuid.UUID] | None) -> Removal:
        return await run_register_retention(db, as_of, pupil_ids, years=settings.retention_years)

    app.include_router(retention_router("register", RetentionRun, retention_job,
                                        lambda request: request.app.state.session_factory))
    return app
