"""GOV.UK Notify as the channel (email, SMS, letter) against a local fake of the Notify API."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import jwt
import pytest
import uvicorn
from fastapi import FastAPI, Header, Request
from fastapi.responses import JSONResponse

from services.notifications.main import create_app
from services.notifications.settings import NotificationsSettings
from shared.contracts.register import Contact
from shared.settings import PlatformSettings
from tests.support.identities import service_headers
from tests.support.net import free_port

from .conftest import FakeRegister, make_pupil, n_request

pytestmark = pytest.mark.services
SERVICE_ID, SECRET = str(uuid.uuid4()), str(uuid.uuid4())
API_KEY = f"attendance_test-{SERVICE_ID}-{SECRET}"
CALLBACK_TOKEN = "notify-callback-token-for-tests"


class FakeNotify:
    """Answers the three v2 send endpoints as Notify does and keeps what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.next_failure: tuple[int, dict[str, Any]] | None = None
        self.url = ""
        self.app = FastAPI()

        @self.app.post("/v2/notifications/{kind}")
        async def send(kind: str, request: Request, authorization: str = Header()) -> Any:
            claims = jwt.decode(authorization.removeprefix("Bearer "), SECRET, algorithms=["HS256"])
            assert claims["iss"] == SERVICE_ID
            if self.next_failure:
                status, body = self.next_failure
                self.next_failure = None
                return JSONResponse(body, status_code=status)
            payload = await request.json()
            self.sent.append((kind, payload))
            return JSONResponse({"id": str(uuid.uuid4()), "reference": payload.get("reference"),
                                 "content": {}, "template": {"id": payload["template_id"], "version": 1}},
                                status_code=201)


@pytest.fixture(scope="module")
async def fake_notify() -> AsyncIterator[FakeNotify]:
    notify = FakeNotify()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(notify.app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    notify.url = f"http://127.0.0.1:{port}"
    yield notify
    server.should_exit = True
    await task


@pytest.fixture
async def notify_client(notifications_db: str, fake_register: FakeRegister, fake_notify: FakeNotify,
                        platform_settings: PlatformSettings) -> AsyncIterator[httpx.AsyncClient]:
    fake_notify.sent.clear()
    settings = NotificationsSettings(
        database_url=notifications_db, notify_api_key=API_KEY, notify_base_url=fake_notify.url,
        notify_email_template_id="email-template", notify_sms_template_id="sms-template",
        notify_letter_template_id="letter-template", notify_callback_token=CALLBACK_TOKEN,
        platform=platform_settings.model_copy(update={"register_url": fake_register.url}))
    app = create_app(settings)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://test",
            headers=service_headers(platform_settings, "journey-worker", "notifications")) as client:
        yield client


async def test_email_goes_through_notify_with_our_wording_and_reference(
        notify_client: httpx.AsyncClient, fake_register: FakeRegister, fake_notify: FakeNotify) -> None:
    pupil = fake_register.add(make_pupil())

    response = await notify_client.post("/internal/notifications", json=n_request(pupil))

    assert response.status_code == 200, response.text
    [record] = response.json()["notifications"]
    [(kind, payload)] = fake_notify.sent
    assert kind == "email"
    assert payload["email_address"] == "h.carter@northshire-childrens.example.gov"
    assert payload["template_id"] == "email-template"
    assert payload["reference"] == record["notification_id"]
    assert payload["personalisation"]["subject"].startswith("Unexplained absence: Ava Thompson")
    assert "Dear Helen Carter" in payload["personalisation"]["body"]


async def test_sms_reaches_each_parent_with_a_phone_and_a_missing_number_escalates(
        notify_client: httpx.AsyncClient, fake_register: FakeRegister, fake_notify: FakeNotify) -> None:
    pupil = fake_register.add(make_pupil())
    body = n_request(pupil, "first_day_absence_parent", "parents", session_date="2026-11-25", session="AM")

    response = await notify_client.post("/internal/notifications", json=body | {"channel": "sms"})

    records = {r["recipient_name"]: r for r in response.json()["notifications"]}
    assert records["Jane Thompson"]["status"] == "sent"
    assert records["Mark Thompson"]["failure_reason"] == "no phone number recorded for the parent"
    kinds = sorted((kind, p.get("phone_number") or p.get("email_address")) for kind, p in fake_notify.sent)
    assert kinds == [("email", "g.okafor@harbourview.example.org"), ("sms", "07700900123")]
    sms = next(p for kind, p in fake_notify.sent if kind == "sms")
    assert "Ava Thompson is not in school this morning" in sms["personalisation"]["body"]


async def test_a_letter_goes_to_notify_with_the_address_lines(
        notify_client: httpx.AsyncClient, fake_register: FakeRegister, fake_notify: FakeNotify) -> None:
    parent = Contact(name="Mark Thompson", relationship="father", address="3 Mill Lane\nEastby\nEB1 7RT",
                     parental_responsibility=True)
    pupil = fake_register.add(make_pupil(parents=[parent]))
    context = {"notice_reference": "PN-999-2027-0007", "issue_date": "2027-01-15", "unauthorised_sessions": 12,
               "period_start": "2026-11-02", "period_end": "2027-01-14", "amount_pence": 16000,
               "discounted_amount_pence": 8000, "discount_by_date": "2027-02-05", "pay_by_date": "2027-02-12",
               "how_to_pay": "online at northshire.example.gov/penalty",
               "signatory": {"name": "Joanna Hale", "role": "headteacher", "on_behalf_of": "school",
                             "title": "Headteacher"}}

    response = await notify_client.post("/internal/notifications",
                                        json=n_request(pupil, "penalty_notice_parent", "parents", **context))

    assert response.json()["notifications"][0]["status"] == "sent"
    [(kind, payload)] = fake_notify.sent
    assert kind == "letter"
    personalisation = payload["personalisation"]
    assert [personalisation[f"address_line_{i}"] for i in range(1, 5)] == ["Mark Thompson", "3 Mill Lane", "Eastby",
                                                                        "EB1 7RT"]
    assert "Pay £80.00 by Friday 5 February 2027, or £160.00 by Friday 12 February 2027." in personalisation["body"]


async def test_notify_down_keeps_it_queued_and_a_rejected_address_fails_and_escalates(
        notify_client: httpx.AsyncClient, fake_register: FakeRegister, fake_notify: FakeNotify) -> None:
    pupil = fake_register.add(make_pupil())
    body = n_request(pupil)

    fake_notify.next_failure = (500, {"status_code": 500, "errors": [{"error": "Exception",
                                                                      "message": "Internal server error"}]})
    down = await notify_client.post("/internal/notifications", json=body)
    assert down.status_code == 503
    retried = await notify_client.post("/internal/notifications", json=body)
    assert retried.json()["notifications"][0]["status"] == "sent"
    assert len(fake_notify.sent) == 1

    other = fake_register.add(make_pupil())
    fake_notify.next_failure = (400, {"status_code": 400, "errors": [
        {"error": "ValidationError", "message": "email_address Not a valid email address"}]})
    rejected = await notify_client.post("/internal/notifications", json=n_request(other))
    records = {r["recipient_role"]: r for r in rejected.json()["notifications"]}
    assert records["social_worker"]["failure_reason"] == "GOV.UK Notify rejected the recipient's contact details"
    assert records["attendance_lead"]["status"] == "sent"


async def test_delivery_receipts_complete_the_history_and_failures_escalate(
        notify_client: httpx.AsyncClient, fake_register: FakeRegister, fake_notify: FakeNotify) -> None:
    pupil = fake_register.add(make_pupil())
    [record] = (await notify_client.post("/internal/notifications", json=n_request(pupil))).json()["notifications"]
    receipt = {"id": str(uuid.uuid4()), "reference": record["notification_id"], "status": "delivered",
               "to": "h.carter@northshire-childrens.example.gov", "notification_type": "email"}
    callback = "/callbacks/notify/delivery-status"
    notify_auth = {"Authorization": f"Bearer {CALLBACK_TOKEN}"}

    assert (await notify_client.post(callback, json=receipt, headers={"Authorization": "Bearer wrong"})
            ).status_code == 401
    assert (await notify_client.post(callback, json=receipt, headers=notify_auth)).status_code == 204
    assert (await notify_client.post(callback, json=receipt | {"status": "permanent-failure"},
                                     headers=notify_auth)).status_code == 204  # too late: changes nothing
    casework = service_headers(PlatformSettings(environment="test"), "casework", "notifications")
    detail = (await notify_client.get(f"/internal/notifications/{record['notification_id']}",
                                      headers=casework)).json()
    assert detail["status"] == "delivered"
    assert [h["status"] for h in detail["history"]] == ["queued", "sent", "delivered"]
    unknown = await notify_client.post(callback, json=receipt | {"reference": str(uuid.uuid4())},
                                       headers=notify_auth)
    assert unknown.status_code == 404

    other = fake_register.add(make_pupil())
    [bounced] = (await notify_client.post("/internal/notifications", json=n_request(other))).json()["notifications"]
    fake_notify.sent.clear()
    failed = receipt | {"reference": bounced["notification_id"], "status": "permanent-failure"}
    assert (await notify_client.post(callback, json=failed, headers=notify_auth)).status_code == 204

    listed = (await notify_client.get(f"/internal/pupils/{other.pupil_id}/notifications",
                                      headers=casework)).json()
    by_role = {r["recipient_role"]: r for r in listed}
    assert by_role["social_worker"]["status"] == "failed"
    assert "does not exist" in by_role["social_worker"]["failure_reason"]
    assert by_role["attendance_lead"]["escalates_notification_id"] == bounced["notification_id"]
    assert [p["email_address"] for _, p in fake_notify.sent] == ["g.okafor@harbourview.example.org"]
