"""Benchmark (a): case pages under concurrent signed-in officers against casework's /healthz at the same
concurrency, on the whole system started as the end-to-end tests start it (embedded Temporal, four services,
worker, SMTP sink, demo data; a fresh PostgreSQL database per service).

Each page is asked for by `officers` connections at once, each in a loop for `seconds_per_page` with no pause
between requests (a harder load than 20 people reading pages); /healthz is timed the same way before the pages and
again after them, and its floor is the mean of the two p95s. The load comes from wrk (bench/officers.lua), a C
load generator, so the clients take little of the two cores the system runs on; every page is asked for once
before timing, so the officers read the case views casework keeps (the first read of a case builds its view).
All connections present one signed-in officer's credentials (the demo LA's EWO, who sees every case).

Run:  .venv/bin/python bench/run.py --only a            (never part of the test suite)
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
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
from tests.support.identities import token_for
from tests.support.net import free_port

GOAL_RATIO = 0.25  # p95 at most 4 times /healthz's p95
GOAL_P95_MS = 100.0
SETTLE_TIMEOUT = 240.0
LUA = Path(__file__).resolve().parent / "officers.lua"
WRK = shutil.which("wrk") or "wrk"  # Debian package wrk (`make bench` installs it)
EWO_SUBJECT = "demo-ewo"  # Daniel Price, the demo LA's education welfare officer: sees every case of the LA


def wrk(base: str, paths: list[str], header: tuple[str, str], officers: int, seconds: float) -> dict[str, Any]:
    """`officers` connections (one each) asking for the paths in turn for `seconds`, driven by wrk: a C load
    generator, so the clients' own work takes little of the two cores the system runs on."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listed:
        listed.write("".join(f"{p}\n" for p in paths))
    try:
        done = subprocess.run(
            [WRK, "-t1", f"-c{officers}", f"-d{seconds:g}s", "--timeout", "60s", "-s", str(LUA), base],
            capture_output=True, text=True, check=True, timeout=seconds + 120,
            env={**os.environ, "PATHS_FILE": listed.name, "HEADER_NAME": header[0], "HEADER_VALUE": header[1]})
    finally:
        os.unlink(listed.name)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if result["requests"] == 0 or result["non_2xx"] or result["socket_errors"]:
        raise RuntimeError(f"the load was not all answered: {result}")
    return result


async def warm(base: str, paths: list[str], header: tuple[str, str]) -> None:
    """Every page asked for once before timing: the first read of a case builds its case view (a cold start,
    timed in the API case file test's own run, not here); the officers then read what casework keeps."""
    async with httpx.AsyncClient(timeout=120, headers={header[0]: header[1]}) as client:
        for path in paths:
            answered = await client.get(f"{base}{path}")
            if answered.status_code != 200:
                raise RuntimeError(f"{path} answered {answered.status_code} while warming up")


async def measure(system: EmbeddedSystem, officers: int, seconds: float) -> dict[str, Any]:
    base = system.config.url("casework")
    token = token_for(PlatformSettings(environment="test"), Role.LA_EWO, la_code=DEMO_LA_CODE, name="Bench EWO")
    api = ("Authorization", f"Bearer {token}")
    async with httpx.AsyncClient(timeout=60) as client:  # the development sign-in: the officer's session cookie
        signed = await client.post(f"{base}/sign-in", data={"user": EWO_SUBJECT})
        if signed.status_code not in (200, 303) or not client.cookies:
            raise RuntimeError(f"sign-in answered {signed.status_code}")
        web = ("Cookie", "; ".join(f"{name}={value}" for name, value in client.cookies.items()))
        listed = (await client.get(f"{base}/api/v1/cases", params={"limit": 100},
                                   headers={api[0]: api[1]})).json()["items"]
    case_ids = [item["pupil_id"] for item in listed]
    if not case_ids:
        raise RuntimeError("the demo has no cases")
    pages = {
        "web case list": (web, ["/cases"]),
        "web case page": (web, [f"/cases/{c}" for c in case_ids]),
        "API case file": (api, [f"/api/v1/cases/{c}" for c in case_ids]),
        "API case list": (api, ["/api/v1/cases"]),
    }
    for header, paths in pages.values():
        await warm(base, paths, header)
    results: dict[str, Any] = {"cases": len(case_ids)}
    results["healthz_before"] = wrk(base, ["/healthz"], web, officers, seconds)
    for name, (header, paths) in pages.items():
        results[name] = wrk(base, paths, header, officers, seconds)
    results["healthz_after"] = wrk(base, ["/healthz"], web, officers, seconds)
    return results


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
            detail={"p50_ms": round(page["p50_ms"], 1), "p99_ms": round(page["p99_ms"], 1),
                    "requests": page["requests"], "load_generator": "wrk, 1 thread", **context}))
    return rows
