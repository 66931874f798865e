"""The walking skeleton through the running system: an N mark for a pupil with a social worker reaches
that social worker by email exactly once, also when the worker or casework crashes on the way."""

from __future__ import annotations

import random
import time
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest

from scripts.embedded import SERVICES, EmbeddedSystem
from scripts.smtp_sink import read_messages
from services.register.domain.upn import make_upn
from shared import clock
from shared.auth import Role
from shared.contracts.journey import Stage
from shared.demo import DEMO_LA_CODE
from shared.settings import PlatformSettings
from tests.support.identities import bearer, token_for
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

SOCIAL_WORKER_EMAIL = "h.carter@northshire-childrens.example.gov"
SCHOOL_URN = "900002"
SETTINGS = PlatformSettings(environment="test")


def messages_about(system: EmbeddedSystem, pupil_name: str, recipient: str) -> list[dict[str, str]]:
    return [m for m in read_messages(system.maildir) if recipient in m["to"] and pupil_name in m["text"]]


class Register:
    def __init__(self, system: EmbeddedSystem) -> None:
        self.url = system.config.url("register")

    def admit_pupil_with_social_worker(self, name: str, admitted: date) -> dict[str, object]:
        """A new pupil of Harbour View whose social worker is the demo social worker, with no marks yet (so the
        test does not depend on which days the demo seed marked)."""
        token = token_for(SETTINGS, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[SCHOOL_URN])
        for _ in range(20):
            upn = make_upn("999", "4001", "26", f"{random.randint(10, 99)}{random.choice('ABCDEFGH')}")
            response = httpx.post(f"{self.url}/api/v1/schools/{SCHOOL_URN}/pupils", headers=bearer(token), json={
                "upn": upn, "legal_forename": name, "legal_surname": "Skeleton", "date_of_birth": "2013-03-14",
                "sex": "F", "year_group": "8", "address": "2 Quay Street, Northshire",
                "admission_date": admitted.isoformat(),
                "parents": [{"name": "Pat Skeleton", "relationship": "Mother", "email": "pat.skeleton@example.org",
                             "parental_responsibility": True, "lives_with_pupil": True}],
                "social_worker": {"name": "Helen Carter", "email": SOCIAL_WORKER_EMAIL}}, timeout=30)
            if response.status_code == 201:
                return {"pupil_id": response.json()["id"], "school_urn": SCHOOL_URN,
                        "display_name": response.json()["display_name"]}
        raise AssertionError(f"could not admit a pupil: {response.text}")

    def mark(self, pupil: dict[str, object], session_date: date, session: str, code: str) -> httpx.Response:
        token = token_for(SETTINGS, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[str(pupil["school_urn"])])
        return httpx.post(
            f"{self.url}/api/v1/schools/{pupil['school_urn']}/sessions/{session_date.isoformat()}/{session}/marks",
            json={"marks": [{"pupil_id": str(pupil["pupil_id"]), "code": code}]}, headers=bearer(token), timeout=30)

    def mark_latest_school_day(self, pupil: dict[str, object], session: str, code: str) -> date:
        """Marks today, or the school day before it, whatever day the suite runs on (weekend or holiday)."""
        day = clock.today()
        for _ in range(60):
            if day.weekday() < 5:
                response = self.mark(pupil, day, session, code)
                if response.status_code == 200:
                    return day
                fields = [e.get("field") for e in response.json().get("errors", [])]
                assert response.status_code == 422, response.text
                assert fields == ["session_date"], response.text
            day -= timedelta(days=1)
        raise AssertionError("no school day in the last 60 days")


def new_pupil(system: EmbeddedSystem, name: str) -> dict[str, object]:
    return Register(system).admit_pupil_with_social_worker(name, clock.today() - timedelta(days=70))


def test_every_service_answers_healthz(system: EmbeddedSystem) -> None:
    for service in SERVICES:
        response = httpx.get(f"{system.config.url(service)}/healthz", timeout=10)
        assert response.status_code == 200, (service, response.text)
        assert response.json()["status"] == "ok"


def test_unexplained_absence_reaches_the_social_worker_once(system: EmbeddedSystem) -> None:
    pupil = new_pupil(system, "Ada")
    day = Register(system).mark_latest_school_day(pupil, "AM", "N")

    found = wait_for(lambda: messages_about(system, str(pupil["display_name"]), SOCIAL_WORKER_EMAIL))
    assert len(found) == 1
    # The same request again changes nothing and sends nothing.
    again = Register(system).mark(pupil, day, "AM", "N")
    assert again.status_code in (200, 201)
    time.sleep(3)
    assert len(messages_about(system, str(pupil["display_name"]), SOCIAL_WORKER_EMAIL)) == 1

    # The case file shows the event, the notification and the current stage.
    token = token_for(SETTINGS, Role.LA_EWO, la_code=DEMO_LA_CODE)
    case_file = wait_for(lambda: _case_with_notification(system, UUID(str(pupil["pupil_id"])), token))
    assert case_file["case"]["stage"] in {stage.value for stage in Stage}
    sent = [n for n in case_file["notifications"] if n["template"] == "unexplained_absence_social_worker"]
    assert [n["status"] for n in sent] == ["sent"]


def _case_with_notification(system: EmbeddedSystem, pupil_id: UUID, token: str) -> dict[str, Any] | None:
    response = httpx.get(f"{system.config.url('casework')}/api/v1/cases/{pupil_id}", headers=bearer(token),
                         timeout=10)
    if response.status_code != 200:
        return None
    body = response.json()
    kinds = {entry["kind"] for entry in body.get("timeline", [])}
    return body if {"register_event", "notification"} <= kinds else None


@pytest.mark.parametrize("crashing", ["worker", "casework"])
def test_a_crash_between_mark_and_notification_still_sends_exactly_one(system: EmbeddedSystem,
                                                                      crashing: str) -> None:
    pupil = new_pupil(system, "Bea" if crashing == "worker" else "Cai")
    name = str(pupil["display_name"])
    system.kill(crashing)
    try:
        Register(system).mark_latest_school_day(pupil, "PM", "N")
        time.sleep(3)
        assert messages_about(system, name, SOCIAL_WORKER_EMAIL) == []
    finally:
        system.start(crashing)
    wait_for(lambda: messages_about(system, name, SOCIAL_WORKER_EMAIL))
    time.sleep(3)
    assert len(messages_about(system, name, SOCIAL_WORKER_EMAIL)) == 1
