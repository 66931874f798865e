"""Issue 15 item 3: two register instances and two journey workers against one PostgreSQL and one Temporal server.

The whole system starts as the end-to-end tests start it (scripts/embedded.py, fresh PostgreSQL databases, demo
data), plus a second register process on the same register database (another port: its outbox relay competes
with the first one's for the same events) and a second journey worker (same Temporal server, same task queue).
Pupils are admitted across the demo LA's three schools through the register's API (every other one with a
social worker; each pupil's parent and social worker have an address of their own, so a duplicated message
shows in the SMTP sink).

Two sessions of the same day are written, each as class-sized bulk-marks requests sent concurrently:

* AM with two registers and two workers (both running since the start, so the admitted pupils' journeys are
  spread over both workers), the requests split evenly between the two register instances: ours;
* PM with one register and one worker (the second ones stopped; the first worker takes over their journeys
  from the shared task queue): the floor.

Each is timed from the first request to drained: every outbox event of the session delivered and every
notification the journeys are expected to send recorded by the notifications service. Then, once the system is
quiet, every event is checked delivered once (register's outbox all delivered, casework's received events hold
each event id once, none missing) and every expected notification recorded once and e-mailed once (no
duplicated idempotency key and recipient, none missing, the sink's count per address equal to the N marks).

Run:  .venv/bin/python bench/run.py --only f          (never part of the test suite)
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rows import row

from scripts.embedded import SERVICES, EmbeddedSystem, SystemConfig
from scripts.smtp_sink import read_messages
from services.register.domain.upn import make_upn
from services.register.service.events import REGISTER_CHANGE
from shared import clock
from shared.auth import Role
from shared.contracts.notifications import TemplateName
from shared.demo import DEMO_LA_CODE, DEMO_SCHOOLS
from shared.settings import PlatformSettings
from tests.support.databases import DatabaseFactory
from tests.support.identities import bearer, token_for
from tests.support.net import free_port

SETTLE_TIMEOUT = 240.0
DRAIN_TIMEOUT = 300.0
CLASS_SIZE = 10  # marks per bulk request: a class's register
IN_FLIGHT = 6  # bulk requests at once
GOAL_RATIO = 1.0  # two instances at least as fast as one
PARENT = TemplateName.FIRST_DAY_ABSENCE_PARENT.value
SOCIAL_WORKER = TemplateName.UNEXPLAINED_ABSENCE_SOCIAL_WORKER.value


def officer_headers() -> dict[str, str]:
    settings = PlatformSettings(environment="test")
    return bearer(token_for(settings, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[s.urn for s in DEMO_SCHOOLS]))


def birth_date(year_group: str, today: date) -> date:
    """A date of birth that puts the pupil in `year_group` this school year (1 December of the right year)."""
    start = today.year if today.month >= 9 else today.year - 1
    year = 0 if year_group == "R" else int(year_group)
    return date(start - year - 6, 12, 1)


async def admit_pupils(base: str, headers: dict[str, str], per_school: int) -> list[dict[str, Any]]:
    """`per_school` pupils in each demo school, every other one with a social worker; addresses of their own.
    Register reports a same-day unexplained absence only for a pupil someone must tell (a social worker here), so
    those pupils' N marks are the session's events and notifications."""
    today = clock.today()
    limit = asyncio.Semaphore(IN_FLIGHT)
    pupils: list[dict[str, Any]] = []

    async def admit(client: httpx.AsyncClient, school_index: int, n: int) -> None:
        school = DEMO_SCHOOLS[school_index]
        year_group = school.year_groups[n % len(school.year_groups)]
        tag = f"b{school_index}p{n}"
        body: dict[str, Any] = {
            "legal_forename": f"Bench{n}", "legal_surname": f"Twoinstances{school_index}",
            "date_of_birth": birth_date(year_group, today).isoformat(), "sex": "F" if n % 2 else "M",
            "year_group": year_group, "address": f"{n} Bench Street, Northshire",
            "admission_date": (today - timedelta(days=70)).isoformat(),
            "parents": [{"name": f"Parent {tag}", "relationship": "Mother", "email": f"parent.{tag}@example.org",
                         "parental_responsibility": True, "lives_with_pupil": True}]}
        social_worker = n % 2 == 1  # the first pupil, the probe's, has none
        if social_worker:
            body["social_worker"] = {"name": f"Worker {tag}", "email": f"sw.{tag}@example.gov"}
        async with limit:
            for attempt in range(5):  # a UPN the demo already uses: take the next serial
                body["upn"] = make_upn(DEMO_LA_CODE, school.estab, "25", 500 + n + 100 * attempt)
                response = await client.post(f"{base}/api/v1/schools/{school.urn}/pupils", json=body)
                if response.status_code == 201:
                    pupils.append({"pupil_id": response.json()["id"], "urn": school.urn, "tag": tag,
                                   "social_worker": social_worker})
                    return
            raise RuntimeError(f"could not admit a pupil: {response.status_code} {response.text[:300]}")

    async with httpx.AsyncClient(timeout=120, headers=headers) as client:
        await asyncio.gather(*(admit(client, s, n) for s in range(len(DEMO_SCHOOLS)) for n in range(per_school)))
    return sorted(pupils, key=lambda p: p["tag"])


def markable_day(base: str, headers: dict[str, str], pupils: list[dict[str, Any]]) -> date:
    """The latest school day, today or before, on which every school takes both sessions' marks; the first
    pupil of each school is marked present on it (it is present in both timed sessions too, so nothing changes)."""
    first = {p["urn"]: p for p in reversed(pupils)}
    day = clock.today()
    for _ in range(60):
        if day.weekday() < 5:
            answers = [httpx.post(f"{base}/api/v1/schools/{urn}/sessions/{day.isoformat()}/{am_pm}/marks",
                                  json={"marks": [{"pupil_id": p["pupil_id"], "code": "/" if am_pm == "AM" else "\\"}]},
                                  headers=headers, timeout=60).status_code
                       for urn, p in first.items() for am_pm in ("AM", "PM")]
            if all(a == 200 for a in answers):
                return day
            if any(a not in (200, 422) for a in answers):
                raise RuntimeError(f"marking a probe pupil answered {answers}")
        day -= timedelta(days=1)
    raise RuntimeError("no school day in the last 60 days")


def session_requests(pupils: list[dict[str, Any]], am_pm: str) -> list[tuple[str, list[dict[str, str]]]]:
    """Class-sized bulk requests for one session: N for every pupil with a social worker and every fourth other
    pupil (the school's first pupil excepted: the probe marked it present), present for the rest."""
    present = "/" if am_pm == "AM" else "\\"
    by_school: dict[str, list[dict[str, Any]]] = {}
    for p in pupils:
        by_school.setdefault(p["urn"], []).append(p)
    requests = []
    for urn, members in by_school.items():
        marks = [{"pupil_id": p["pupil_id"],
                  "code": "N" if i > 0 and (p["social_worker"] or i % 4 == 1) else present}
                 for i, p in enumerate(members)]
        requests += [(urn, marks[i:i + CLASS_SIZE]) for i in range(0, len(marks), CLASS_SIZE)]
    return requests


async def post_session(bases: list[str], headers: dict[str, str], day: date, am_pm: str,
                       requests: list[tuple[str, list[dict[str, str]]]]) -> list[float]:
    """Every request, concurrently; the i-th goes to bases[i % len(bases)]. Each request's latency."""
    limit = asyncio.Semaphore(IN_FLIGHT)
    latencies: list[float] = []

    async def send(client: httpx.AsyncClient, index: int, urn: str, marks: list[dict[str, str]]) -> None:
        base = bases[index % len(bases)]
        async with limit:
            t0 = time.perf_counter()
            response = await client.post(f"{base}/api/v1/schools/{urn}/sessions/{day.isoformat()}/{am_pm}/marks",
                                         json={"marks": marks})
            latencies.append(time.perf_counter() - t0)
        if response.status_code != 200:
            raise RuntimeError(f"bulk marks answered {response.status_code}: {response.text[:300]}")

    async with httpx.AsyncClient(timeout=120, headers=headers) as client:
        await asyncio.gather(*(send(client, i, urn, marks) for i, (urn, marks) in enumerate(requests)))
    return latencies


class Databases:
    """Plain SQL on the services' databases: the checks read them, never the services' code."""

    def __init__(self, urls: dict[str, str]) -> None:
        self.engines: dict[str, Engine] = {s: create_engine(urls[s]) for s in ("register", "casework",
                                                                               "notifications")}

    def scalar(self, service: str, sql: str, **params: Any) -> Any:
        with self.engines[service].connect() as connection:
            return connection.execute(text(sql), params).scalar_one()

    def rows(self, service: str, sql: str, **params: Any) -> list[Any]:
        with self.engines[service].connect() as connection:
            return list(connection.execute(text(sql), params))

    def last_sequence(self) -> int:
        return int(self.scalar("register", "SELECT coalesce(max(sequence), 0) FROM outbox_event"))

    def events_after(self, sequence: int, upto: int | None = None) -> list[Any]:
        return self.rows("register", "SELECT id, event_type, pupil_id, payload, delivered_at, attempts "
                                     "FROM outbox_event WHERE sequence > :s AND sequence <= :upto ORDER BY sequence",
                         s=sequence, upto=2**62 if upto is None else upto)

    def undelivered_after(self, sequence: int) -> int:
        return int(self.scalar("register", "SELECT count(*) FROM outbox_event WHERE sequence > :s "
                                           "AND delivered_at IS NULL", s=sequence))

    def notification_keys(self, event_ids: set[str]) -> list[tuple[str, str, str]]:
        """(event id, template, recipient key) of every notification whose idempotency key names one of the
        events (the journey builds it as `<workflow id>:<event id>:<template>`)."""
        found = []
        for key, recipient in self.rows("notifications", "SELECT idempotency_key, recipient_key FROM notification"):
            parts = key.split(":")
            if len(parts) >= 3 and parts[1] in event_ids:
                found.append((parts[1], parts[2], recipient))
        return found

    def dispose(self) -> None:
        for engine in self.engines.values():
            engine.dispose()


def expected_notifications(events: list[Any]) -> set[tuple[str, str]]:
    """(event id, template) for every unexplained absence: the parents, and the social worker when there is one."""
    expected = set()
    for event in events:
        if event.event_type == "unexplained_absence":
            expected.add((str(event.id), PARENT))
            if event.payload["pupil"]["flags"]["has_social_worker"]:
                expected.add((str(event.id), SOCIAL_WORKER))
    return expected


def timed_session(system: EmbeddedSystem, dbs: Databases, bases: list[str], headers: dict[str, str], day: date,
                  am_pm: str, pupils: list[dict[str, Any]]) -> dict[str, Any]:
    """One session's requests, then until drained; the wall time and what was written."""
    requests = session_requests(pupils, am_pm)
    marks = sum(len(m) for _, m in requests)
    before = dbs.last_sequence()
    t0 = time.perf_counter()
    latencies = asyncio.run(post_session(bases, headers, day, am_pm, requests))
    posted_s = time.perf_counter() - t0
    events = dbs.events_after(before)
    expected = expected_notifications(events)
    ids = {str(e.id) for e in events}
    last = dbs.last_sequence()
    deadline = time.monotonic() + DRAIN_TIMEOUT
    while True:
        recorded = {(e, t) for e, t, _ in dbs.notification_keys(ids)}
        if dbs.undelivered_after(before) == 0 and expected <= recorded:
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"{am_pm}: not drained after {DRAIN_TIMEOUT:.0f}s: "
                               f"{dbs.undelivered_after(before)} undelivered, {len(expected - recorded)} "
                               "notifications missing")
        time.sleep(0.2)
    drained_s = time.perf_counter() - t0
    return {"am_pm": am_pm, "marks": marks, "requests": len(requests), "instances": len(bases),
            "n_marks": sum(m["code"] == "N" for _, ms in requests for m in ms),
            "events": sum(e.event_type != REGISTER_CHANGE for e in events),
            "expected_notifications": len(expected), "posted_s": round(posted_s, 2), "drained_s": round(drained_s, 2),
            "request_max_s": round(max(latencies), 2), "marks_per_s": marks / drained_s,
            "outbox_sequences": [before + 1, last]}


def check(system: EmbeddedSystem, dbs: Databases, session: dict[str, Any], pupils: list[dict[str, Any]],
          ) -> dict[str, Any]:
    """Once quiet: each event delivered and received once, each expected notification recorded once."""
    first, last = session["outbox_sequences"]
    rows = dbs.events_after(first - 1, last)
    # Register changes (case views to rebuild, one per bulk-marks request) go to another endpoint of casework and
    # are not stored there: only their delivery is checked.
    changes = [r for r in rows if r.event_type == REGISTER_CHANGE]
    events = [r for r in rows if r.event_type != REGISTER_CHANGE]
    ids = {str(e.id) for e in events}
    received = Counter(str(r.event_id) for r in dbs.rows(
        "casework", "SELECT event_id FROM received_event WHERE event_id = ANY(CAST(:ids AS uuid[]))",
        ids=sorted(ids)))
    keys = Counter(dbs.notification_keys(ids))
    expected = expected_notifications(events)
    recorded = {(e, t) for e, t, _ in keys}
    return {"events": len(events), "undelivered": sum(e.delivered_at is None for e in rows),
            "register_changes": len(changes),
            # More than one attempt: casework was sent the event again (after a failure) and kept it once.
            "delivered_after_retry": sum(e.attempts > 1 for e in events),
            "received": sum(received.values()), "received_duplicates": sum(c - 1 for c in received.values()),
            "lost_events": len(ids - set(received)),
            "notifications": sum(keys.values()), "expected_notifications": len(expected),
            "notification_duplicates": sum(c - 1 for c in keys.values()),
            "lost_notifications": len(expected - recorded)}


def mail_counts(system: EmbeddedSystem, pupils: list[dict[str, Any]], n_marks: Counter[str]) -> dict[str, Any]:
    """The sink's messages per pupil's parent and social worker against the N marks each pupil got (waits up to
    60 s for the sending to catch up with the records)."""
    expected: Counter[str] = Counter()
    for p in pupils:
        # Without a social worker an N is no event (nobody to tell the same day), so no message either.
        told = n_marks[p["pupil_id"]] if p["social_worker"] else 0
        expected[f"parent.{p['tag']}@example.org"] = told
        if p["social_worker"]:
            expected[f"sw.{p['tag']}@example.gov"] = told

    def count() -> Counter[str]:
        sent: Counter[str] = Counter()
        for message in read_messages(system.maildir):
            sent.update(a for a in expected if a in message["to"])
        return sent

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        sent = count()
        if all(sent[a] >= c for a, c in expected.items()):
            break
        time.sleep(1)
    time.sleep(3)  # a late duplicate shows in this last count
    sent = count()
    return {"emails_expected": sum(expected.values()), "emails_sent": sum(sent.values()),
            "email_duplicates": sum(max(0, sent[a] - c) for a, c in expected.items()),
            "emails_missing": sum(max(0, c - sent[a]) for a, c in expected.items())}


def work_by_process(system: EmbeddedSystem) -> dict[str, int]:
    """Lines of each process's log showing it did the work (bulk-marks requests served; notifications asked for
    by a journey activity), so that the second register and worker are seen to take their share. The first ones'
    counts cover the whole run (the demo's start-up and the probe marks too); the second ones ran only for ours."""
    def lines(name: str, needle: str) -> int:
        path = system.log_dir / f"{name}.log"
        return sum(needle in line for line in path.read_text(errors="replace").splitlines()) if path.exists() else 0

    return {"register_bulk_marks_requests": lines("register", "/marks 200"),
            "register_2_bulk_marks_requests": lines("register-2", "/marks 200"),
            "worker_notification_requests": lines("worker", "/internal/notifications"),
            "worker_2_notification_requests": lines("worker-2", "/internal/notifications")}


def bench_rows(dsn: str, pupils_per_school: int) -> list[dict[str, Any]]:
    from tests.e2e.conftest import wait_until_settled

    postgres_url = "postgresql+psycopg://" + dsn.split("://", 1)[1]
    headers = officer_headers()
    with tempfile.TemporaryDirectory(prefix="bench-two-") as tmp:
        databases = DatabaseFactory(Path(tmp), postgres_url)
        config = SystemConfig(
            data_dir=Path(tmp) / "system", environment="test", temporal_port=free_port(), temporal_ui=False,
            smtp_port=free_port(), smtp_web_port=free_port(), ports={s: free_port() for s in SERVICES},
            database_urls={s: databases.create(f"two_{s}") for s in SERVICES}, seed_demo=True,
            extra_register_ports=[free_port()], extra_workers=1)
        config.data_dir.mkdir()
        system = EmbeddedSystem(config)
        dbs = Databases(config.database_urls)
        second = f"http://127.0.0.1:{config.extra_register_ports[0]}"
        try:
            t0 = time.perf_counter()
            # All four from the start, so the admitted pupils' journeys spread over both workers.
            for stage in (["temporal", "smtp-sink"], list(SERVICES), ["worker"], ["register-2", "worker-2"]):
                system.start_together(stage)
            register = config.url("register")
            # Admitted while the demo's start-up work runs: the system settles once, before the timed sessions.
            pupils = asyncio.run(admit_pupils(register, headers, pupils_per_school))
            day = markable_day(register, headers, pupils)
            asyncio.run(wait_until_settled(system, timeout=SETTLE_TIMEOUT))
            setup_s = time.perf_counter() - t0
            two = timed_session(system, dbs, [register, second], headers, day, "AM", pupils)
            asyncio.run(wait_until_settled(system, timeout=SETTLE_TIMEOUT))
            died = system.exited()  # none should have: a process that died would explain a difference
            # The second worker's journeys go back to the shared task queue; the first one takes them on.
            system.stop("worker-2")
            system.stop("register-2")
            one = timed_session(system, dbs, [register], headers, day, "PM", pupils)
            asyncio.run(wait_until_settled(system, timeout=SETTLE_TIMEOUT))
            checks: dict[str, Any] = {"one": check(system, dbs, one, pupils), "two": check(system, dbs, two, pupils)}
            n_marks: Counter[str] = Counter()
            for am_pm in ("AM", "PM"):
                for _, marks in session_requests(pupils, am_pm):
                    n_marks.update(m["pupil_id"] for m in marks if m["code"] == "N")
            checks["mail"] = mail_counts(system, pupils, n_marks)
            checks["work_by_process"] = work_by_process(system)
            checks["exited_during_two"] = died
        finally:
            dbs.dispose()
            system.stop_all()
            databases.drop_all()
    return rows_of(one, two, checks, pupils, setup_s)


def rows_of(one: dict[str, Any], two: dict[str, Any], checks: dict[str, Any], pupils: list[dict[str, Any]],
            setup_s: float) -> list[dict[str, Any]]:
    size = (f"{len(pupils)} pupils admitted across the demo LA's {len(DEMO_SCHOOLS)} schools "
            f"({sum(p['social_worker'] for p in pupils)} with a social worker), one session each way: "
            f"{one['marks']} marks in {one['requests']} class requests, {one['n_marks']} N")
    duplicates = sum(checks[k]["received_duplicates"] + checks[k]["notification_duplicates"] for k in ("one", "two"))
    duplicates += checks["mail"]["email_duplicates"]
    lost = sum(checks[k]["lost_events"] + checks[k]["undelivered"] + checks[k]["lost_notifications"]
               for k in ("one", "two")) + checks["mail"]["emails_missing"]
    ratio = two["marks_per_s"] / one["marks_per_s"]
    detail = {"duplicates": duplicates, "lost": lost, "one_instance": one, "two_instances": two, "checks": checks,
              "setup_s": round(setup_s, 1),
              "note": "2 cores shared with the other sessions: two instances cannot be faster than one here, "
                      "the goal is that they are no slower and that nothing is duplicated or lost; the AM session "
                      "is timed with two registers and two workers, the PM session with one and one (the second "
                      "ones stopped between them)"}
    return [
        row("f. two register instances and two workers vs one", ours=two["marks_per_s"],
            floor=one["marks_per_s"], unit="marks/s to drained", ratio=ratio, goal=GOAL_RATIO, size=size,
            detail=detail),
        row("f. two register instances and two workers: correct (no event or notification duplicated or lost)",
            ours=duplicates + lost, floor=None, unit="duplicated or lost", ratio=None, goal=0.0,
            met=duplicates == 0 and lost == 0, size=size,
            detail={"duplicates": duplicates, "lost": lost, "checks": checks}),
    ]
