"""The walking skeleton through the running system: an N mark for a pupil with a social worker reaches
that social worker by email exactly once, also when the worker or casework crashes on the way."""

from __future__ import annotations

import time
from datetime import date, timedelta
from uuid import UUID

import httpx
import pytest

from scripts.embedded import SERVICES, EmbeddedSystem
from scripts.smtp_sink import read_messages
from shared.auth import Role
from shared.contracts.journey import Stage
from shared.demo import DEMO_LA_CODE
from shared.settings import PlatformSettings
from tests.support.identities import bearer, service_headers, token_for

pytestmark = pytest.mark.e2e

SOCIAL_WORKER_EMAIL = "h.carter@northshire-childrens.example.gov"
SETTINGS = PlatformSettings(environment="test")


def latest_weekday(today: date) -> date:
    while today.weekday() >= 5:
        today -= timedelta(days=1)
    return today


def wait_for(predicate, timeout: float = 45.0, interval: float = 0.25):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


def messages_about(system: EmbeddedSystem, pupil_name: str, recipient: str) -> list[dict[str, str]]:
    return [m for m in read_messages(system.maildir) if recipient in m["to"] and pupil_name in m["text"]]


class Register:
    def __init__(self, system: EmbeddedSystem) -> None:
        self.url = system.config.url("register")

    def social_worker_pupils(self) -> list[dict[str, object]]:
        ids = httpx.get(f"{self.url}/internal/pupils/allocated", params={"worker_email": SOCIAL_WORKER_EMAIL},
                        headers=service_headers(SETTINGS), timeout=10).json()
        pupils = []
        for pupil_id in ids:
            contacts = httpx.get(f"{self.url}/internal/pupils/{pupil_id}/contacts",
                                 headers=service_headers(SETTINGS), timeout=10).json()
            pupils.append(contacts)
        return pupils

    def mark(self, pupil: dict[str, object], session_date: date, session: str, code: str) -> httpx.Response:
        token = token_for(SETTINGS, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[str(pupil["school_urn"])])
        return httpx.post(
            f"{self.url}/api/v1/schools/{pupil['school_urn']}/sessions/{session_date.isoformat()}/{session}/marks",
            json={"marks": [{"pupil_id": str(pupil["pupil_id"]), "code": code}]}, headers=bearer(token), timeout=30)


@pytest.fixture(scope="module")
def social_worker_pupils(system: EmbeddedSystem) -> list[dict[str, object]]:
    pupils = Register(system).social_worker_pupils()
    assert len(pupils) >= 3, "the demo data gives the demo social worker several pupils"
    return pupils


def test_every_service_answers_healthz(system: EmbeddedSystem) -> None:
    for service in SERVICES:
        response = httpx.get(f"{system.config.url(service)}/healthz", timeout=10)
        assert response.status_code == 200, (service, response.text)
        assert response.json()["status"] == "ok"


def test_unexplained_absence_reaches_the_social_worker_once(
        system: EmbeddedSystem, social_worker_pupils: list[dict[str, object]]) -> None:
    pupil = social_worker_pupils[0]
    response = Register(system).mark(pupil, latest_weekday(date.today()), "AM", "N")
    assert response.status_code in (200, 201), response.text

    found = wait_for(lambda: messages_about(system, str(pupil["display_name"]), SOCIAL_WORKER_EMAIL))
    assert len(found) == 1
    # The same request again changes nothing and sends nothing.
    again = Register(system).mark(pupil, latest_weekday(date.today()), "AM", "N")
    assert again.status_code in (200, 201)
    time.sleep(3)
    assert len(messages_about(system, str(pupil["display_name"]), SOCIAL_WORKER_EMAIL)) == 1

    # The case file shows the event, the notification and the current stage.
    token = token_for(SETTINGS, Role.LA_EWO, la_code=DEMO_LA_CODE)
    case_file = wait_for(lambda: _case_with_notification(system, UUID(str(pupil["pupil_id"])), token))
    assert case_file["case"]["stage"] in {stage.value for stage in Stage}
    sent = [n for n in case_file["notifications"] if n["template"] == "unexplained_absence_social_worker"]
    assert [n["status"] for n in sent] == ["sent"]


def _case_with_notification(system: EmbeddedSystem, pupil_id: UUID, token: str) -> dict[str, object] | None:
    response = httpx.get(f"{system.config.url('casework')}/api/v1/cases/{pupil_id}", headers=bearer(token),
                         timeout=10)
    if response.status_code != 200:
        return None
    body = response.json()
    kinds = {entry["kind"] for entry in body.get("timeline", [])}
    return body if {"register_event", "notification"} <= kinds else None


@pytest.mark.parametrize("crashing", ["worker", "casework"])
def test_a_crash_between_mark_and_notification_still_sends_exactly_one(
        system: EmbeddedSystem, social_worker_pupils: list[dict[str, object]], crashing: str) -> None:
    pupil = social_worker_pupils[1 if crashing == "worker" else 2]
    name = str(pupil["display_name"])
    system.kill(crashing)
    try:
        response = Register(system).mark(pupil, latest_weekday(date.today()), "PM", "N")
        assert response.status_code in (200, 201), response.text
        time.sleep(3)
        assert messages_about(system, name, SOCIAL_WORKER_EMAIL) == []
    finally:
        system.start(crashing)
    wait_for(lambda: messages_about(system, name, SOCIAL_WORKER_EMAIL))
    time.sleep(3)
    assert len(messages_about(system, name, SOCIAL_WORKER_EMAIL)) == 1
