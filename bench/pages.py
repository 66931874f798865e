"""Benchmark (a): case pages under concurrent signed-in officers against casework's /healthz at the same
concurrency, on the whole system started as the end-to-end tests start it (embedded Temporal, four services,
worker, SMTP sink, demo data; a fresh PostgreSQL database per service).

Each page is asked for by `officers` clients at once, each in a loop for `seconds_per_page`; /healthz is timed the
same way before the pages and again after them, and its floor is the mean of the two p95s. The clients run in this
process, so they share the machine's two cores with the system, for the floor as for the pages.

Run:  .venv/bin/python bench/run.py --only a            (never part of the test suite)
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rows import row

from scripts.embedded import SERVICES, EmbeddedSystem, SystemConfig
from shared.auth import Role
from shared.demo import DEMO_LA_CODE
from shared.settings import PlatformSettings
from tests.support.databases import DatabaseFactory
from tests.support.identities import bearer, token_for
from tests.support.net import free_port

GOAL_RATIO = 0.25  # p95 at most 4 times /healthz's p95
GOAL_P95_MS = 100.0
SETTLE_TIMEOUT = 240.0
EWO_SUBJECT = "demo-ewo"  # Daniel Price, the demo LA's education welfare officer: sees every case of the LA


def p95(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[int(0.95 * (len(ordered) - 1))]


async def load(base: str, paths: list[str], clients: list[httpx.AsyncClient], seconds: float) -> dict[str, Any]:
    """Every client asks for the paths in turn, for `seconds`; latencies of the 200s, and the count of others."""
    latencies: list[float] = []
    failures: dict[int, int] = {}
    deadline = time.monotonic() + seconds

    async def officer(client: httpx.AsyncClient, offset: int) -> None:
        i = offset
        while time.monotonic() < deadline:
            t0 = time.perf_counter()
            response = await client.get(f"{base}{paths[i % len(paths)]}")
            took = time.perf_counter() - t0
            if response.status_code == 200:
                latencies.append(took)
            else:
                failures[response.status_code] = failures.get(response.status_code, 0) + 1
            i += 1

    await asyncio.gather(*(officer(c, n) for n, c in enumerate(clients)))
    if not latencies:
        raise RuntimeError(f"no page answered 200 ({failures})")
    return {"p95_ms": p95(latencies) * 1000, "p50_ms": statistics.median(latencies) * 1000,
            "requests": len(latencies), "non_200": failures}


async def measure(system: EmbeddedSystem, officers: int, seconds: float) -> dict[str, Any]:
    base = system.config.url("casework")
    token = token_for(PlatformSettings(environment="test"), Role.LA_EWO, la_code=DEMO_LA_CODE, name="Bench EWO")
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    web = [httpx.AsyncClient(timeout=60, limits=limits) for _ in range(officers)]
    api = [httpx.AsyncClient(timeout=60, limits=limits, headers=bearer(token)) for _ in range(officers)]
    try:
        for client in web:  # the development sign-in: a session cookie per officer
            signed = await client.post(f"{base}/sign-in", data={"user": EWO_SUBJECT})
            if signed.status_code not in (200, 303) or not client.cookies:
                raise RuntimeError(f"sign-in answered {signed.status_code}")
        listed = (await api[0].get(f"{base}/api/v1/cases", params={"limit": 100})).json()["items"]
        case_ids = [item["pupil_id"] for item in listed]
        if not case_ids:
            raise RuntimeError("the demo has no cases")
        results: dict[str, Any] = {"cases": len(case_ids)}
        results["healthz_before"] = await load(base, ["/healthz"], web, seconds)
        pages = {
            "web case list": (web, ["/cases"]),
            "web case page": (web, [f"/cases/{c}" for c in case_ids]),
            "API case file": (api, [f"/api/v1/cases/{c}" for c in case_ids]),
            "API case list": (api, ["/api/v1/cases"]),
        }
        for name, (clients, paths) in pages.items():
            results[name] = await load(base, paths, clients, seconds)
        results["healthz_after"] = await load(base, ["/healthz"], web, seconds)
        return results
    finally:
        for client in web + api:
            await client.aclose()


def bench_rows(dsn: str, officers: int, seconds_per_page: float) -> list[dict[str, Any]]:
    """Start the system, let the demo's start-up work settle, load the pages; one row per page."""
    from tests.e2e.conftest import wait_until_settled

    postgres_url = "postgresql+psycopg://" + dsn.split("://", 1)[1]
    with tempfile.TemporaryDirectory(prefix="bench-system-") as tmp:
        databases = DatabaseFactory(Path(tmp), postgres_url)
        config = SystemConfig(
            data_dir=Path(tmp) / "system", environment="test", temporal_port=free_port(), temporal_ui=False,
            smtp_port=free_port(), smtp_web_port=free_port(), ports={s: free_port() for s in SERVICES},
            database_urls={s: databases.create(s) for s in SERVICES}, seed_demo=True)
        config.data_dir.mkdir()
        system = EmbeddedSystem(config)
        try:
            t0 = time.perf_counter()
            system.start_all()
            started_s = time.perf_counter() - t0
            settled = True
            try:
                asyncio.run(wait_until_settled(system, timeout=SETTLE_TIMEOUT))
            except TimeoutError:
                settled = False  # measured anyway, with the demo's start-up work still running (noted in the row)
            settle_s = time.perf_counter() - t0 - started_s
            results = asyncio.run(measure(system, officers, seconds_per_page))
        finally:
            system.stop_all()
            databases.drop_all()
    floor = (results["healthz_before"]["p95_ms"] + results["healthz_after"]["p95_ms"]) / 2
    size = (f"{officers} concurrent signed-in officers (LA EWO), {seconds_per_page:g} s per page, demo data "
            f"({results['cases']} cases)")
    context = {"system_start_s": round(started_s, 1), "settle_s": round(settle_s, 1), "settled": settled,
               "healthz_p95_ms": [round(results[k]["p95_ms"], 1) for k in ("healthz_before", "healthz_after")],
               "healthz_requests": results["healthz_before"]["requests"] + results["healthz_after"]["requests"]}
    rows = []
    for name in ("web case list", "web case page", "API case file", "API case list"):
        page = results[name]
        ratio = floor / page["p95_ms"]
        rows.append(row(
            f"a. {name}: p95 under {officers} officers vs casework /healthz p95", ours=page["p95_ms"],
            floor=floor, unit="ms (p95)", ratio=ratio, goal=GOAL_RATIO, size=size,
            met=ratio >= GOAL_RATIO and page["p95_ms"] <= GOAL_P95_MS,
            absolute_goal_p95_ms=GOAL_P95_MS, absolute_met=page["p95_ms"] <= GOAL_P95_MS,
            detail={"p50_ms": round(page["p50_ms"], 1), "requests": page["requests"],
                    "non_200": page["non_200"], **context}))
    return rows
