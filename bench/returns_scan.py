"""Benchmark (e): the LA's statutory returns and the LA dashboard, as the returns service makes them, against a
plain SQL scan of the same marks computing the same figures.

The register is loaded as in api_session.py (its own migrations, COPY). The register and returns apps run in
this process; returns reads the register through its real internal API over an in-process transport (no
network hop): the returns from POST /internal/las/{la}/returns-extract (the pupils a return may name, summed in
register's database), the dashboard from GET /internal/las/{la}/attendance-figures (sessions summed by cohort
cell and by day). Casework is not running: the dashboard's "cases by stage" part answers 503 and the dashboard says
it is missing (not timed).

Ours:   POST /internal/returns/generate for the LA over the marked weeks (every school's attendance, sickness,
        new pupil and deletion returns), and GET /api/v1/las/{la}/dashboard over the same weeks. The detail also
        times the attendance and sickness returns alone (`generate_attendance_and_sickness_s`): every pupil of the
        bench is admitted on the first day, so the new pupil return names about 8 in 10 of them.
Floor:  SQL on the register's database over the same weeks: per-school possible, attended, authorised and
        unauthorised sessions and the PA and SA pupil counts (the dashboard's figures), and the pupils with a run
        of 10 whole school days of G/N/O/U, unauthorised absence of 10% or more, or 15 days of illness (the
        attendance and sickness returns' criteria).

Run:  .venv/bin/python bench/run.py --only e            (never part of the test suite)
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import api_session
from rows import row

from services.register.dependencies import today as register_today
from services.register.domain.codes import CODES
from services.register.domain.figures import TALLY_FIELDS, tally_delta
from services.register.main import create_app as create_register
from services.register.settings import RegisterSettings
from services.returns import dependencies as returns_dependencies
from services.returns.main import create_app as create_returns
from services.returns.settings import ReturnsSettings
from shared.auth import Identity, Role, Scope, issue_token, service_token
from shared.settings import PlatformSettings

GOAL = 1.0  # at least as fast as the scan
REPEATS = 2

FLOOR_FIGURES = """
WITH pupil AS (
    SELECT m.pupil_id, min(m.school_urn) AS school_urn, sum(c.possible) AS possible, sum(c.attended) AS attended,
           sum(c.authorised) AS authorised, sum(c.unauthorised) AS unauthorised
    FROM attendance_mark m JOIN bench_code c USING (code)
    WHERE m.session_date BETWEEN %(start)s AND %(end)s GROUP BY m.pupil_id)
SELECT school_urn, count(*), sum(possible), sum(attended), sum(authorised), sum(unauthorised),
       count(*) FILTER (WHERE possible > 0 AND (authorised + unauthorised) * 10 >= possible),
       count(*) FILTER (WHERE possible > 0 AND (authorised + unauthorised) * 2 >= possible)
FROM pupil GROUP BY school_urn ORDER BY school_urn
"""
FLOOR_RETURNS = """
WITH day AS (
    SELECT pupil_id, session_date, bool_and(code IN ('G', 'N', 'O', 'U')) AS absent, bool_and(code = 'I') AS ill
    FROM attendance_mark WHERE session_date BETWEEN %(start)s AND %(end)s GROUP BY pupil_id, session_date),
runs AS (
    SELECT pupil_id, absent,
           row_number() OVER (PARTITION BY pupil_id ORDER BY session_date)
           - row_number() OVER (PARTITION BY pupil_id, absent ORDER BY session_date) AS run
    FROM day),
continuous AS (SELECT DISTINCT pupil_id FROM runs WHERE absent GROUP BY pupil_id, run HAVING count(*) >= 10),
irregular AS (
    SELECT m.pupil_id FROM attendance_mark m JOIN bench_code c USING (code)
    WHERE m.session_date BETWEEN %(start)s AND %(end)s
    GROUP BY m.pupil_id HAVING sum(c.possible) > 0 AND sum(c.unauthorised) * 10 >= sum(c.possible)),
sick AS (SELECT pupil_id FROM day WHERE ill GROUP BY pupil_id HAVING count(*) >= 15)
SELECT (SELECT count(*) FROM (SELECT pupil_id FROM continuous UNION SELECT pupil_id FROM irregular) a),
       (SELECT count(*) FROM sick)
"""


def floor_scan(dsn: str, start: Any, end: Any) -> tuple[float, dict[str, Any]]:
    """Both floor queries on one connection (the code table is set up first, not timed)."""
    with psycopg.connect(dsn) as conn:
        conn.execute("CREATE TEMP TABLE bench_code (code text PRIMARY KEY, "
                     + ", ".join(f"{f} int" for f in TALLY_FIELDS) + ")")
        with conn.cursor().copy("COPY bench_code FROM STDIN") as copy:
            for code in CODES:
                delta = tally_delta(None, code)
                copy.write_row([code, *(delta[f] for f in TALLY_FIELDS)])
        params = {"start": start, "end": end}
        t0 = time.perf_counter()
        schools = conn.execute(FLOOR_FIGURES, params).fetchall()
        returns_row = conn.execute(FLOOR_RETURNS, params).fetchone()
        took = time.perf_counter() - t0
    assert returns_row is not None
    return took, {"schools": len(schools), "pupils": sum(s[1] for s in schools),
                  "possible_sessions": int(sum(s[2] for s in schools)), "pa_pupils": sum(s[6] for s in schools),
                  "attendance_return_pupils": returns_row[0], "sickness_return_pupils": returns_row[1]}


def _database(admin_dsn: str, name: str) -> tuple[str, str]:
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    dsn = psycopg.conninfo.make_conninfo(admin_dsn, dbname=name)
    url = f"postgresql+psycopg://{admin_dsn.split('://', 1)[1].rsplit('/', 1)[0]}/{name}"
    return dsn, url


async def measure(admin_dsn: str, schools: int, pupils: int, weeks: int) -> dict[str, Any]:
    names = [f"bench_ret_reg_{os.getpid()}", f"bench_ret_ret_{os.getpid()}"]
    register_dsn, register_url = _database(admin_dsn, names[0])
    _, returns_url = _database(admin_dsn, names[1])
    try:
        platform = PlatformSettings(log_level="WARNING")
        register = create_register(RegisterSettings(database_url=register_url, outbox_relay_enabled=False,
                                                    platform=platform))
        day = api_session.YEAR_START + timedelta(weeks=weeks + 1)
        register.dependency_overrides[register_today] = lambda: day
        returns = create_returns(
            ReturnsSettings(database_url=returns_url, platform=platform),
            register_transport=httpx.ASGITransport(app=register),
            casework_transport=httpx.MockTransport(lambda _r: httpx.Response(503, json={"detail": "not running"})))
        returns.dependency_overrides[returns_dependencies.now] = lambda: datetime.combine(
            day, datetime.min.time(), UTC) + timedelta(hours=12)
        start, end = api_session.YEAR_START, api_session.YEAR_START + timedelta(weeks=weeks, days=-3)
        results: dict[str, Any] = {}
        async with register.router.lifespan_context(register), returns.router.lifespan_context(returns):
            args = api_session.arguments(["--dsn", admin_dsn, "--schools", str(schools), "--pupils", str(pupils),
                                          "--weeks", str(weeks)])
            api_session.load_la(register_dsn, args, results)
            worker = {"Authorization": "Bearer " + service_token("returns-worker", "returns", platform)}
            la = {"Authorization": "Bearer " + issue_token(Identity(
                subject="bench-la", name="Bench LA Officer", role=Role.LA_EWO, scope=Scope(la_code="801")), platform)}
            generate_s, dashboard_s, floor_s, periodic_s = [], [], [], []
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=returns), base_url="http://bench",
                                         timeout=600) as client:
                for _ in range(REPEATS):
                    t0 = time.perf_counter()
                    made = await client.post("/internal/returns/generate", headers=worker, json={
                        "la_code": "801", "period_start": start.isoformat(), "period_end": end.isoformat()})
                    generate_s.append(time.perf_counter() - t0)
                    if made.status_code != 200:
                        raise RuntimeError(f"generate: {made.status_code} {made.text[:300]}")
                    # Not a row: the attendance and sickness returns alone (the kinds whose criteria the scan
                    # computes), without the new pupil return naming every pupil admitted in the period.
                    t0 = time.perf_counter()
                    periodic = await client.post("/internal/returns/generate", headers=worker, json={
                        "la_code": "801", "period_start": start.isoformat(), "period_end": end.isoformat(),
                        "kinds": ["attendance", "sickness"]})
                    periodic_s.append(time.perf_counter() - t0)
                    if periodic.status_code != 200:
                        raise RuntimeError(f"generate periodic: {periodic.status_code} {periodic.text[:300]}")
                    t0 = time.perf_counter()
                    board = await client.get("/api/v1/las/801/dashboard", headers=la,
                                             params={"from": start.isoformat(), "to": end.isoformat()})
                    dashboard_s.append(time.perf_counter() - t0)
                    if board.status_code != 200:
                        raise RuntimeError(f"dashboard: {board.status_code} {board.text[:300]}")
                    took, floor_figures = floor_scan(register_dsn, start, end)
                    floor_s.append(took)
            summaries = made.json()["returns"]
            results.update({
                "generate_s": generate_s, "dashboard_s": dashboard_s, "floor_scan_s": floor_s,
                "generate_attendance_and_sickness_s": periodic_s,
                "floor_figures": floor_figures,
                "ours_figures": {
                    "schools": made.json()["schools"],
                    "area_possible_sessions": [g.get("possible_sessions") for g in board.json()["area"]][:1],
                    "attendance_return_rows": sum(r["row_count"] for r in summaries if r["kind"] == "attendance"),
                    "sickness_return_rows": sum(r["row_count"] for r in summaries if r["kind"] == "sickness"),
                    "new_pupil_return_rows": sum(r["row_count"] for r in summaries if r["kind"] == "new_pupil"),
                    "returns": len(summaries), "dashboard_unavailable": board.json()["unavailable"]},
                "marks_rows": results.get("marks_rows_before"), "period": [start.isoformat(), end.isoformat()]})
        return results
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_rows(dsn: str, schools: int, pupils: int, weeks: int) -> list[dict[str, Any]]:
    results = asyncio.run(measure(dsn, schools, pupils, weeks))
    size = (f"{schools} schools, {pupils:,} pupils, {weeks} weeks ({results['marks_rows']:,} marks); the issue's "
            "size is 150 schools, 150,000 pupils")
    floor = min(results["floor_scan_s"])
    detail = {k: results[k] for k in ("generate_s", "dashboard_s", "floor_scan_s", "generate_attendance_and_sickness_s",
                                      "floor_figures", "ours_figures",
                                      "period", "load_roll_s", "load_marks_and_tallies_s")}
    detail = {k: [round(x, 3) for x in v] if k.endswith("_s") and isinstance(v, list) else v
              for k, v in detail.items()}
    rows = []
    for name, key in (("LA returns generated (every school, every kind)", "generate_s"),
                      ("LA dashboard", "dashboard_s")):
        ours = min(results[key])
        rows.append(row(f"e. {name} vs a SQL scan of the same marks computing the same figures", ours=ours,
                        floor=floor, unit="s", ratio=floor / ours, goal=GOAL, size=size,
                        detail=detail))
    return rows
