"""The notifications service app: `uvicorn --factory services.notifications.main:create_app --port 8002`."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

from fastapi import FastAPI

from services.notifications.api import ROUTERS
from services.notifications.models import RetentionRun
from services.notifications.providers import Sender
from services.notifications.providers.smtp import SmtpSender
from services.notifications.service.rendering import TemplateRenderer
from services.notifications.service.retention import run_notifications_retention
from services.notifications.settings import NotificationsSettings
from shared.app import HealthCheck, configure_logging, create_service_app
from shared.clients.register import RegisterClient
from shared.contracts.notifications import Channel
from shared.db import create_engine, database_is_reachable, run_migrations, session_factory
from shared.retention import Removal, retention_router
from shared.unit_of_work import Db

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SERVICE_NAME = "notifications"


def build_senders(settings: NotificationsSettings) -> dict[Channel, Sender]:
    """GOV.UK Notify for every channel when its key is set; otherwise SMTP email (letters are printed)."""
    if settings.notify_api_key:
        from services.notifications.providers.notify import NotifySender

        notify = NotifySender(settings)
        return dict.fromkeys(notify.channels, notify)
    return {Channel.EMAIL: SmtpSender(settings)}


def create_app(settings: NotificationsSettings | None = None) -> FastAPI:
    settings = settings or NotificationsSettings()
    configure_logging(settings.platform.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        url = settings.resolved_database_url
        await asyncio.to_thread(run_migrations, MIGRATIONS_DIR, url)
        engine = create_engine(url)
        sessions = session_factory(engine)
        register = RegisterClient.for_caller(SERVICE_NAME, settings.platform.register_url, settings.platform)
        assert isinstance(register, RegisterClient)
        # What every request's Notifier (dependencies.py) shares: the database, the register, templates, channels.
        app.state.engine, app.state.sessions, app.state.settings = engine, sessions, settings
        app.state.register, app.state.renderer = register, TemplateRenderer()
        app.state.senders = build_senders(settings)
        try:
            yield
        finally:
            await register.aclose()
            await engine.dispose()

    def health_checks(app: FastAPI) -> dict[str, HealthCheck]:
        return {"database": lambda: database_is_reachable(app.state.engine)}

    app = create_service_app(SERVICE_NAME, description="Tells parents, social workers, virtual school heads and "
                             "LA staff what the attendance guidance expects, once, and keeps the history.",
                             lifespan=lifespan, health_checks=health_checks, platform=settings.platform)
    for router in ROUTERS:
        app.include_router(router)

    async def retention_job(db: Db, as_of: date, pupil_ids: list[uuid.UUID] | None) -> Removal:
        return await run_notifications_retention(db, as_of, pupil_ids, years=settings.retention_years)

    app.include_router(retention_router(SERVICE_NAME, RetentionRun, retention_job,
                                        lambda request: request.app.state.sessions))
    return app
