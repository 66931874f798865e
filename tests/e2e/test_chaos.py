"""Chaos: while N marks flow from register into journeys, the worker, casework and the Temporal dev server are
SIGKILLed in turn and nothing but the supervisor brings them back; every social worker is told exactly once.

Notifications is not among the killed: a kill between its SMTP send and the commit that records it is its one
documented at-least-once window (services/notifications/service/delivery.py), so killing it could duplicate honestly.
"""

from __future__ import annotations

import os
import random
import signal
import time
from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest

from scripts.embedded import SERVICES, EmbeddedSystem, SystemConfig
from scripts.smtp_sink import read_messages
from scripts.supervisor import RestartPolicy, Supervisor
from services.register.domain.upn import make_upn
from shared import clock
from shared.auth import Role
from shared.settings import PlatformSettings
from tests.support.databases import DatabaseFactory
from tests.support.identities import bearer, token_for
from tests.support.net import free_port
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

SOCIAL_WORKER_EMAIL = "h.carter@northshire-childrens.example.gov"
SCHOOL_URN = "900002"
SETTINGS = PlatformSettings(environment="test")
OFFICER = bearer(token_for(SETTINGS, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[SCHOOL_URN]))
VICTIMS = ("worker", "casework", "temporal")
PUPILS_PER_KILL = 2


class Chaos:
    def __init__(self, system: EmbeddedSystem, supervisor: Supervisor, log: list[str]) -> None:
        self.system = system
        self.supervisor = supervisor
        self.log = log


@pytest.fixture(scope="module")
def chaos(databases: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chaos]:
    # Its own system, so that the kills below disturb no other test.
    config = SystemConfig(
        data_dir=tmp_path_factory.mktemp("chaos"), environment="test", temporal_port=free_port(),
        temporal_ui=False, smtp_port=free_port(), smtp_web_port=free_port(),
        ports={service: free_port() for service in SERVICES},
        database_urls={service: databases.create(f"chaos_{service}") for service in SERVICES}, seed_demo=True)
    system = EmbeddedSystem(config)
    log: list[str] = []
    supervisor = Supervisor(system, RestartPolicy(), log=log.append)
    try:
        supervisor.start_all()
        supervisor.start_watching()
        yield Chaos(system, supervisor, log)
    finally:
        supervisor.stop()


def admit(system: EmbeddedSystem, name: str) -> dict[str, str]:
    url = system.config.url("register")
    admitted = clock.today() - timedelta(days=70)
    for _ in range(20):
        upn = make_upn("999", "4001", "26", f"{random.randint(10, 99)}{random.choice('ABCDEFGH')}")
        response = httpx.post(f"{url}/api/v1/schools/{SCHOOL_URN}/pupils", headers=OFFICER, json={
            "upn": upn, "legal_forename": name, "legal_surname": "Chaos", "date_of_birth": "2013-05-02",
            "sex": "M", "year_group": "8", "address": "9 Quay Street, Northshire",
            "admission_date": admitted.isoformat(),
            "parents": [{"name": "Sam Chaos", "relationship": "Father", "email": "sam.chaos@example.org",
                         "parental_responsibility": True, "lives_with_pupil": True}],
            "social_worker": {"name": "Helen Carter", "email": SOCIAL_WORKER_EMAIL}}, timeout=60)
        if response.status_code == 201:
            body = response.json()
            return {"pupil_id": body["id"], "display_name": body["display_name"]}
    raise AssertionError(f"could not admit a pupil: {response.text}")


def mark_n(system: EmbeddedSystem, pupils: list[dict[str, str]], day: date) -> httpx.Response:
    return httpx.post(
        f"{system.config.url('register')}/api/v1/schools/{SCHOOL_URN}/sessions/{day.isoformat()}/AM/marks",
        json={"marks": [{"pupil_id": p["pupil_id"], "code": "N"} for p in pupils]}, headers=OFFICER, timeout=60)


def latest_markable_day(system: EmbeddedSystem, pupil: dict[str, str]) -> date:
    """Today, or the school day before it, whatever day the suite runs on; marks the pupil N on it."""
    day = clock.today()
    for _ in range(60):
        if day.weekday() < 5:
            response = mark_n(system, [pupil], day)
            if response.status_code == 200:
                return day
            assert response.status_code == 422, response.text
        day -= timedelta(days=1)
    raise AssertionError("no school day in the last 60 days")


def messages_to_social_worker(system: EmbeddedSystem, pupil: dict[str, str]) -> list[dict[str, str]]:
    return [m for m in read_messages(system.maildir)
            if SOCIAL_WORKER_EMAIL in m["to"] and pupil["display_name"] in m["text"]]


def sigkill(chaos: Chaos, name: str) -> int:
    pid = chaos.system.pid(name)
    assert pid is not None, f"{name} is not running"
    os.kill(pid, signal.SIGKILL)
    return pid


def back(chaos: Chaos, name: str, old_pid: int) -> bool:
    pid = chaos.system.pid(name)
    return pid is not None and pid != old_pid and chaos.system.is_ready(name)


def test_killed_processes_come_back_by_themselves_and_every_social_worker_is_told_once(chaos: Chaos) -> None:
    system = chaos.system
    pupils = [admit(system, f"Kit{index}") for index in range(1 + 2 * PUPILS_PER_KILL * len(VICTIMS))]
    day = latest_markable_day(system, pupils[0])
    waves = [pupils[1 + i * PUPILS_PER_KILL:1 + (i + 1) * PUPILS_PER_KILL]
             for i in range(2 * len(VICTIMS))]

    for index, victim in enumerate(VICTIMS):
        # One wave just before the kill (in flight as it dies), one while it is down or coming back.
        assert mark_n(system, waves[2 * index], day).status_code == 200
        old_pid = sigkill(chaos, victim)
        response = mark_n(system, waves[2 * index + 1], day)
        assert response.status_code == 200, response.text
        wait_for(lambda v=victim, o=old_pid: back(chaos, v, o), timeout=60)
        assert any(line.startswith(f"! {victim} exited (killed by SIGKILL); restart ") for line in chaos.log)

    for pupil in pupils:
        # A worker killed mid-activity hands it on only after the activity's 30 s timeout.
        wait_for(lambda p=pupil: messages_to_social_worker(system, p), timeout=90)
    # Give any repeat the time a retried delivery takes to surface before counting.
    time.sleep(3)
    counts = {p["display_name"]: len(messages_to_social_worker(system, p)) for p in pupils}
    assert counts == {p["display_name"]: 1 for p in pupils}

    assert chaos.supervisor.gave_up is None, chaos.log
    for service in SERVICES:
        assert httpx.get(f"{system.config.url(service)}/healthz", timeout=30).status_code == 200, service
    assert system.exited() == [], chaos.log
