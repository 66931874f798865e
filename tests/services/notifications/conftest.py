"""Fixtures for the notifications service: a fake register over real HTTP, the app on a real database."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI, Header
from fastapi.responses import JSONResponse

from services.notifications.main import create_app
from services.notifications.settings import NotificationsSettings
from shared.auth import verify_token
from shared.contracts.register import Contact, PupilContacts, PupilFlags
from shared.settings import PlatformSettings
from tests.support.databases import DatabaseFactory
from tests.support.identities import service_headers
from tests.support.net import free_port
from tests.support.smtp import SmtpSink


class FakeRegister:
    """Answers GET /internal/pupils/{id}/contacts as register does, from contacts a test registers."""

    def __init__(self, settings: PlatformSettings) -> None:
        self.contacts: dict[uuid.UUID, PupilContacts] = {}
        self.calls = 0
        self.url = ""
        self.app = FastAPI()

        @self.app.get("/internal/pupils/{pupil_id}/contacts")
        async def contacts(pupil_id: uuid.UUID, authorization: str = Header()) -> Any:
            self.calls += 1
            if not verify_token(authorization.removeprefix("Bearer "), settings, "register").is_service:
                return JSONResponse({"detail": "services only"}, status_code=403)
            found = self.contacts.get(pupil_id)
            if found is None:
                return JSONResponse({"type": "/problems/NotFound", "title": "Not found", "status": 404,
                                     "detail": "no such pupil"}, status_code=404)
            return found.model_dump(mode="json")

    def add(self, contacts: PupilContacts) -> PupilContacts:
        self.contacts[contacts.pupil_id] = contacts
        return contacts


def make_pupil(*, social_worker: bool = True, youth_justice_worker: bool = False, looked_after: bool = False,
               parents: list[Contact] | None = None, attendance_lead: bool = True,
               social_worker_email: str = "h.carter@northshire-childrens.example.gov") -> PupilContacts:
    """A realistic pupil of Harbour View Academy with the contacts a test needs."""
    return PupilContacts(
        pupil_id=uuid.uuid4(), display_name="Ava Thompson", legal_name="Ava Grace Thompson",
        school_urn="900002", school_name="Harbour View Academy", la_code="999", year_group="8",
        flags=PupilFlags(has_social_worker=social_worker, has_youth_justice_worker=youth_justice_worker,
                         looked_after=looked_after),
        parents=parents if parents is not None else [
            Contact(name="Jane Thompson", relationship="mother", email="jane.thompson@example.com",
                    phone="07700900123", address="12 Quay Street\nNorthtown\nNT2 4QP",
                    parental_responsibility=True, lives_with_pupil=True),
            Contact(name="Mark Thompson", relationship="father", email="mark.thompson@example.net",
                    address="3 Mill Lane\nEastby\nEB1 7RT", parental_responsibility=True),
            Contact(name="Sue Baker", relationship="grandmother", email="sue.baker@example.org",
                    parental_responsibility=False),
        ],
        social_worker=Contact(name="Helen Carter", relationship="social worker", email=social_worker_email)
        if social_worker else None,
        youth_justice_worker=Contact(name="Omar Fielding", relationship="youth justice worker",
                                     email="o.fielding@northshire-yjs.example.gov")
        if youth_justice_worker else None,
        virtual_school_head=Contact(name="Samuel Adeyemi", relationship="virtual school head",
                                    email="s.adeyemi@northshire.example.gov") if looked_after else None,
        attendance_lead=Contact(name="Grace Okafor", relationship="senior attendance champion",
                                email="g.okafor@harbourview.example.org") if attendance_lead else None,
    )


@pytest.fixture(scope="session")
async def fake_register(platform_settings: PlatformSettings) -> AsyncIterator[FakeRegister]:
    register = FakeRegister(platform_settings)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(register.app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    register.url = f"http://127.0.0.1:{port}"
    yield register
    server.should_exit = True
    await task


@pytest.fixture(scope="session")
def notifications_db(databases: DatabaseFactory) -> str:
    """One database for the service's tests: each test uses its own pupils and idempotency keys."""
    return databases.create("notifications")


@dataclass
class NotificationsHarness:
    client: httpx.AsyncClient
    settings: NotificationsSettings
    register: FakeRegister
    sink: SmtpSink
    # The journey worker's token: it is the service that sends.
    headers: dict[str, str]
    app: FastAPI

    def as_(self, caller: str) -> dict[str, str]:
        """Another service's token for notifications: casework reads and previews, returns asks for timings."""
        return service_headers(self.settings.platform, caller, "notifications")

    async def send(self, body: dict[str, Any], headers: dict[str, str] | None = None) -> httpx.Response:
        return await self.client.post("/internal/notifications", json=body,
                                      headers=self.headers if headers is None else headers)


def n_request(pupil: PupilContacts, template: str = "unexplained_absence_social_worker",
              role: str = "social_worker", **context: Any) -> dict[str, Any]:
    """The request the journey's activity makes for an N code, with a fresh idempotency key."""
    return {"idempotency_key": f"journey-{pupil.pupil_id}:n:{uuid.uuid4().hex[:8]}", "template": template,
            "recipient_role": role, "pupil_id": str(pupil.pupil_id),
            "context": context or {"session_date": "2026-11-25", "session": "AM", "code": "N",
                                   "school_urn": pupil.school_urn}}


@pytest.fixture
async def harness(notifications_db: str, fake_register: FakeRegister, smtp_sink: SmtpSink,
                  platform_settings: PlatformSettings) -> AsyncIterator[NotificationsHarness]:
    platform = platform_settings.model_copy(update={"register_url": fake_register.url})
    settings = NotificationsSettings(database_url=notifications_db, smtp_port=smtp_sink.port, platform=platform,
                                     in_flight_wait_seconds=5, delivery_lease_seconds=30)
    app = create_app(settings)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        yield NotificationsHarness(client=client, settings=settings, register=fake_register, sink=smtp_sink,
                                   headers=service_headers(platform_settings, "journey-worker", "notifications"),
                                       app=app)


def bodies(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML parts of a captured email."""
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    return str(text.get_content()), str(html.get_content())
