"""LA-scale benchmark (b) through the register's real API: one LA-wide session written as bulk-mark requests
(validation, marks, tallies, crossings and outbox events) against a raw COPY of the same rows, same database.

The register app runs in-process (httpx ASGITransport, no network hop) against a throw-away PostgreSQL
database created by its own migrations; the LA is loaded into the register's own tables with COPY and
server-side INSERT ... SELECT, with --weeks of earlier marks and matching tallies.

Run:  uv run python bench/api_session.py --weeks 4            (never part of the test suite)
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib
import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg
from sqlalchemy import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from la_scale import ABSENCE_CODES, propensity

from services.register.dependencies import today
from services.register.domain.codes import CODES
from services.register.domain.figures import TALLY_FIELDS, tally_delta
from services.register.domain.upn import make_upn
from services.register.main import create_app
from services.register.models import Base
from services.register.settings import RegisterSettings
from shared.auth import Identity, Role, Scope, issue_token
from shared.settings import PlatformSettings

YEAR_START = date(2024, 9, 2)
ACADEMIC_YEAR = 2024
TERMS = [
    ("Autumn", date(2024, 9, 2), date(2024, 12, 20)),
    ("Spring", date(2025, 1, 6), date(2025, 4, 4)),
    ("Summer", date(2025, 4, 22), date(2025, 7, 22)),
]


def table(name: str) -> Table:
    """A register table from its own metadata."""
    return Base.metadata.tables[name]


def filled(tbl: Table, given: dict[str, Any]) -> dict[str, Any]:
    """A full row: given values, then the model's Python defaults; refuse a required column we cannot fill."""
    row: dict[str, Any] = {}
    for col in tbl.columns:
        if col.name in given:
            row[col.name] = given[col.name]
        elif col.default is not None and getattr(col.default, "is_scalar", False):
            row[col.name] = col.default.arg  # type: ignore[attr-defined]
        elif col.default is not None and getattr(col.default, "is_callable", False):
            row[col.name] = col.default.arg(None)  # type: ignore[attr-defined]
        elif col.nullable or col.server_default is not None:
            continue
        else:
            raise SystemExit(
                f"the bench does not know how to fill {tbl.name}.{col.name}: update bench/api_session.py"
            )
    return row


def _check_columns(name: str, written: set[str]) -> None:
    """Stop if the bench's SQL no longer fills every required column of a register table."""
    tbl = table(name)
    missing = written - {c.name for c in tbl.columns}
    unfilled = [
        c.name for c in tbl.columns if c.name not in written and not c.nullable and c.server_default is None
    ]
    if missing or unfilled:
        raise SystemExit(f"{name} changed (missing {sorted(missing)}, unfilled {unfilled}): update the bench")


def copy_rows(cur: psycopg.Cursor[Any], tbl: Table, rows: list[dict[str, Any]]) -> None:
    """COPY complete rows into a register table."""
    if not rows:
        return
    columns = list(rows[0])
    with cur.copy(f"COPY {tbl.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for r in rows:
            copy.write_row([r[c] for c in columns])


def load_la(
    dsn: str, args: argparse.Namespace, results: dict[str, Any]
) -> list[tuple[uuid.UUID, str, float]]:
    """Schools, pupils, terms, earlier marks and tallies in the register's tables; return (pupil, urn, p)."""
    rng = random.Random(args.seed)
    pupils: list[tuple[uuid.UUID, str, float]] = []
    start = time.perf_counter()
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        copy_rows(
            cur,
            table("local_authority"),
            [filled(table("local_authority"), {"code": "801", "name": "Bench LA"})],
        )
        schools, terms, pupil_rows = [], [], []
        per_school = -(-args.pupils // args.schools)
        if per_school > 1000:
            raise SystemExit("at most 1000 pupils a school (three-digit UPN serials)")
        for s in range(args.schools):
            urn = str(800001 + s)
            schools.append(
                filled(
                    table("school"),
                    {
                        "urn": urn,
                        "name": f"Bench school {s + 1}",
                        "phase": "secondary",
                        "la_code": "801",
                        "estab": str(4000 + s),
                        "am_register_opens": "08:40",
                        "am_register_closes": "09:10",
                        "pm_register_opens": "13:10",
                        "pm_register_closes": "13:30",
                    },
                )
            )
            for name, first, last in TERMS:
                terms.append(
                    filled(
                        table("school_term"),
                        {
                            "school_urn": urn,
                            "academic_year": ACADEMIC_YEAR,
                            "name": name,
                            "start_date": first,
                            "end_date": last,
                        },
                    )
                )
        contacts = []
        # A separate stream, so the default run (no professionals) draws the same pupils and codes as before.
        extra = random.Random(args.seed + 7)
        for i in range(args.pupils):
            s = i % args.schools
            urn = str(800001 + s)
            year_group = rng.randrange(7, 12)
            dob = date(2024 - 5 - year_group, 9, 1) + timedelta(days=rng.randrange(365))
            pid = uuid.UUID(int=rng.getrandbits(128), version=4)
            pupils.append((pid, urn, propensity(rng)))
            looked_after = extra.random() < args.looked_after_share
            for kind in ("social_worker", "youth_justice_worker"):
                if extra.random() < args.professionals_share:
                    contacts.append(filled(table("pupil_contact"), {
                        "id": uuid.UUID(int=extra.getrandbits(128), version=4), "pupil_id": pid, "kind": kind,
                        "name": "Bench Worker", "relationship": kind.replace("_", " ")}))
            pupil_rows.append(
                filled(
                    table("pupil"),
                    {
                        "id": pid,
                        "school_urn": urn,
                        "upn": make_upn(801, 4000 + s, 24, i // args.schools),
                        "legal_forename": "Bench",
                        "legal_surname": f"Pupil {i}",
                        "date_of_birth": dob,
                        "sex": rng.choice("FM"),
                        "year_group": str(year_group),
                        "address": "1 Bench Street",
                        "admission_date": YEAR_START,
                        "on_roll": True,
                        "looked_after": looked_after,
                    },
                )
            )
        copy_rows(cur, table("school"), schools)
        copy_rows(cur, table("school_term"), terms)
        copy_rows(cur, table("pupil"), pupil_rows)
        copy_rows(cur, table("pupil_contact"), contacts)
        conn.commit()
        results["load_roll_s"] = round(time.perf_counter() - start, 2)

        start = time.perf_counter()
        cur.execute("CREATE TEMP TABLE bench_p (pupil_id uuid, school_urn text, p real)")
        with cur.copy("COPY bench_p FROM STDIN") as copy:
            for pupil in pupils:
                copy.write_row(pupil)
        cur.execute(
            "CREATE TEMP TABLE bench_code (code text PRIMARY KEY, "
            + ", ".join(f"{f} int" for f in TALLY_FIELDS)
            + ")"
        )
        with cur.copy("COPY bench_code FROM STDIN") as copy:
            for code in CODES:
                delta = tally_delta(None, code)
                copy.write_row([code, *(delta[f] for f in TALLY_FIELDS)])
        days = [YEAR_START + timedelta(weeks=w, days=d) for w in range(args.weeks) for d in range(5)]
        cur.execute("CREATE TEMP TABLE bench_s (session_date date, session text)")
        with cur.copy("COPY bench_s FROM STDIN") as copy:
            for d in days:
                copy.write_row([d, "AM"])
                copy.write_row([d, "PM"])
        _check_columns(
            "attendance_mark",
            {
                "id",
                "pupil_id",
                "school_urn",
                "session_date",
                "session",
                "code",
                "recorded_by_name",
                "recorded_by_role",
                "recorded_at",
                "amendment_count",
            },
        )
        # Bulk load only: skip per-row foreign-key triggers (the rows are generated consistent).
        cur.execute("SET session_replication_role = replica")
        cur.execute("SELECT setseed(0.5)")
        cur.execute(
            """INSERT INTO attendance_mark (id, pupil_id, school_urn, session_date, session, code,
                   recorded_by_name, recorded_by_role, recorded_at, amendment_count)
               SELECT gen_random_uuid(), b.pupil_id, b.school_urn, s.session_date, s.session,
                      CASE WHEN random() < b.p THEN (%(absence)s::text[])[1 + floor(random() * %(n)s)::int]
                           WHEN s.session = 'AM' THEN '/' ELSE '\\' END,
                      'Bench', 'School attendance officer', now(), 0
               FROM bench_p b CROSS JOIN bench_s s""",
            {"absence": ABSENCE_CODES, "n": len(ABSENCE_CODES)},
        )
        _check_columns(
            "pupil_tally",
            {
                "pupil_id",
                "academic_year",
                "school_urn",
                *TALLY_FIELDS,
                "persistent_absence",
                "severe_absence",
            },
        )
        cur.execute(
            f"""INSERT INTO pupil_tally (pupil_id, academic_year, school_urn, {", ".join(TALLY_FIELDS)},
                    persistent_absence, severe_absence)
                SELECT m.pupil_id, {ACADEMIC_YEAR}, min(m.school_urn),
                       {", ".join(f"sum(c.{f})" for f in TALLY_FIELDS)}, false, false
                FROM attendance_mark m JOIN bench_code c USING (code) GROUP BY m.pupil_id"""
        )
        cur.execute(
            """UPDATE pupil_tally SET
                   persistent_absence = possible >= %(m)s AND (authorised + unauthorised) * 10 >= possible,
                   severe_absence = possible >= %(m)s AND (authorised + unauthorised) * 2 >= possible""",
            {"m": args.min_possible},
        )
        cur.execute("SET session_replication_role = DEFAULT")
        conn.commit()
        cur.execute("SELECT count(*) FROM attendance_mark")
        count = cur.fetchone()
        results["marks_rows_before"] = count[0] if count else 0
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    results["load_marks_and_tallies_s"] = round(time.perf_counter() - start, 2)
    return pupils


def codes_for_session(pupils: list[tuple[uuid.UUID, str, float]], rng: random.Random) -> list[str]:
    """One code per pupil, drawn from each pupil's absence propensity."""
    return [rng.choice(ABSENCE_CODES) if rng.random() < p else "/" for _pid, _urn, p in pupils]


def raw_copy(dsn: str, pupils: list[tuple[uuid.UUID, str, float]], codes: list[str], day: date) -> float:
    """COPY the session's rows straight into attendance_mark (no validation, tallies or events)."""
    start = time.perf_counter()
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        with cur.copy(
            "COPY attendance_mark (id, pupil_id, school_urn, session_date, session, code, recorded_by_name,"
            " recorded_by_role, recorded_at, amendment_count) FROM STDIN"
        ) as copy:
            now = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime())
            for (pid, urn, _p), code in zip(pupils, codes, strict=True):
                copy.write_row(
                    (uuid.uuid4(), pid, urn, day, "AM", code, "Bench", "School attendance officer", now, 0)
                )
        conn.commit()
    return time.perf_counter() - start


async def through_api(
    client: httpx.AsyncClient,
    platform: PlatformSettings,
    pupils: list[tuple[uuid.UUID, str, float]],
    codes: list[str],
    day: date,
    concurrency: int,
) -> tuple[float, list[float], int]:
    """POST one bulk-marks request per school for the PM session; return wall time, request times, created."""
    by_school: dict[str, list[dict[str, str]]] = {}
    for (pid, urn, _p), code in zip(pupils, codes, strict=True):
        by_school.setdefault(urn, []).append({"pupil_id": str(pid), "code": code})
    tokens = {
        urn: issue_token(
            Identity(
                subject=f"bench-{urn}",
                name="Bench Officer",
                role=Role.SCHOOL_ATTENDANCE_OFFICER,
                scope=Scope(school_urns=[urn]),
            ),
            platform,
        )
        for urn in by_school
    }
    latencies: list[float] = []
    created = [0]
    gate = asyncio.Semaphore(concurrency)

    async def post(urn: str, marks: list[dict[str, str]]) -> None:
        async with gate:
            t0 = time.perf_counter()
            r = await client.post(
                f"/api/v1/schools/{urn}/sessions/{day.isoformat()}/PM/marks",
                json={"marks": marks},
                headers={"Authorization": f"Bearer {tokens[urn]}"},
            )
            latencies.append(time.perf_counter() - t0)
            if r.status_code != 200:
                raise SystemExit(f"school {urn}: {r.status_code} {r.text[:500]}")
            created[0] += r.json()["created"]

    start = time.perf_counter()
    await asyncio.gather(*(post(urn, marks) for urn, marks in by_school.items()))
    return time.perf_counter() - start, latencies, created[0]


# Steps of the bulk-marks request timed by --phases (module, attribute); nested steps count in their callers too.
PHASES = [
    ("services.register.service.marks", "record_session"),
    ("services.register.service.marks", "check_school_session"),
    ("services.register.repository.pupils", "pupils_by_id"),
    ("services.register.repository.marks", "session_codes"),
    ("services.register.repository.marks", "insert_session_marks"),
    ("services.register.service.tallies", "apply_changes"),
    ("services.register.service.marks", "_emit_for_new_codes"),
    ("services.register.repository.pupils", "professionals_of"),
    ("services.register.service.thresholds", "evaluate"),
    ("services.register.repository.marks", "marks_for_pupils_between"),
    ("services.register.service.arrival", "report_did_not_arrive"),
    ("shared.unit_of_work", "UnitOfWork.commit"),
]


def time_phases() -> dict[str, float]:
    """Wrap the request's steps so each adds its wall time (requests run one at a time) to the returned dict."""
    spent: dict[str, float] = {}
    for module_name, path in PHASES:
        owner: Any = importlib.import_module(module_name)
        *parents, name = path.split(".")
        for parent in parents:
            owner = getattr(owner, parent)
        original = getattr(owner, name, None)
        if original is None or not asyncio.iscoroutinefunction(original):
            continue

        def wrapper(*a: Any, _original: Any = original, _key: str = name, **kw: Any) -> Any:
            async def timed() -> Any:
                t0 = time.perf_counter()
                try:
                    return await _original(*a, **kw)
                finally:
                    spent[_key] = spent.get(_key, 0.0) + time.perf_counter() - t0
            return timed()

        setattr(owner, name, wrapper)
    return spent


async def freshness(
    client: httpx.AsyncClient,
    platform: PlatformSettings,
    pupils: list[tuple[uuid.UUID, str, float]],
    rng: random.Random,
    day: date,
) -> dict[str, Any]:
    """From one school's register closing (its bulk-marks POST) to the LA's PA/SA list showing it: the tallies
    are written in the request's transaction, so the LA figures read straight after must already count it."""
    la = {"Authorization": "Bearer " + issue_token(
        Identity(subject="bench-la", name="Bench LA Officer", role=Role.LA_EWO, scope=Scope(la_code="801")),
        platform)}
    school = [p for p in pupils if p[1] == pupils[0][1]]
    codes = codes_for_session(school, rng)
    figures_url = f"/api/v1/las/801/figures?academic_year={ACADEMIC_YEAR}"
    before = await client.get(figures_url, headers=la)
    if before.status_code != 200:
        raise SystemExit(f"LA figures: {before.status_code} {before.text[:300]}")
    start = time.perf_counter()
    _, _, created = await through_api(client, platform, school, codes, day, 1)
    closed = time.perf_counter()
    after = await client.get(figures_url, headers=la)
    seen = time.perf_counter()
    possible = sum(1 for c in codes if CODES[c].counts_as_possible)
    grew = after.json()["overall"]["possible_sessions"] - before.json()["overall"]["possible_sessions"]
    return {
        "c_freshness_s": round(seen - start, 3),
        "c_freshness_register_request_s": round(closed - start, 3),
        "c_freshness_list_read_s": round(seen - closed, 3),
        "c_freshness_list_shows_session": created == len(school) and grew == possible,
        "c_la_pa_list_rows": len(after.json()["persistent_absentees"]),
    }


def written_state(dsn: str) -> dict[str, Any]:
    """What the API wrote, without ids and clocks: every outbox event and every tally, in a stable order.

    Two runs with the same arguments on different register code must give the same state (a before/after check
    of behaviour, not only of speed)."""
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("SELECT event_type, pupil_id, payload FROM outbox_event").fetchall()
        tallies = conn.execute("SELECT * FROM pupil_tally ORDER BY pupil_id, academic_year")
        columns = [c.name for c in tallies.description or []]
        tally_rows = [dict(zip(columns, t, strict=True)) for t in tallies.fetchall()]
    events = []
    for event_type, pupil_id, payload in rows:
        payload = dict(payload)
        for volatile in ("event_id", "occurred_at"):
            payload.pop(volatile, None)
        events.append({"event_type": event_type, "pupil_id": str(pupil_id), "payload": payload})
    events.sort(key=lambda e: json.dumps(e, sort_keys=True))
    return {"events": events, "tallies": tally_rows}


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """Create the database, start the app (migrations), load the LA and time both write paths."""
    db_name = args.db_name or f"bench_api_{os.getpid()}"
    results: dict[str, Any] = {
        "schools": args.schools,
        "pupils": args.pupils,
        "weeks": args.weeks,
        "database": db_name,
        "concurrency": args.concurrency,
    }
    with psycopg.connect(args.dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{db_name}"')
    dsn = psycopg.conninfo.make_conninfo(args.dsn, dbname=db_name)
    url = f"postgresql+psycopg://{args.dsn.split('://', 1)[1].rsplit('/', 1)[0]}/{db_name}"
    platform = PlatformSettings(log_level="WARNING")
    settings = RegisterSettings(
        database_url=url,
        outbox_relay_enabled=False,
        platform=platform,
        min_possible_sessions_for_flags=args.min_possible,
    )
    app = create_app(settings)
    app.dependency_overrides[today] = lambda: date(2025, 7, 22)
    spent = time_phases() if args.phases else None
    try:
        async with app.router.lifespan_context(app):
            pupils = load_la(dsn, args, results)
            rng = random.Random(args.seed + 1)
            copy_times, api_times, p50, p95, events = [], [], [], [], []
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=600) as client:
                for r in range(args.session_runs):
                    day = YEAR_START + timedelta(weeks=args.weeks, days=r)
                    codes = codes_for_session(pupils, rng)
                    copy_times.append(raw_copy(dsn, pupils, codes, day))
                    with psycopg.connect(dsn) as conn:
                        before = conn.execute("SELECT count(*) FROM outbox_event").fetchone()
                    if spent is not None:
                        spent.clear()
                    profiler = cProfile.Profile() if args.profile else None
                    if profiler:
                        profiler.enable()
                    cpu = time.process_time()
                    wall, lat, created = await through_api(
                        client, platform, pupils, codes, day, args.concurrency
                    )
                    # The app's own CPU time (this process): less disturbed by other load than the wall time.
                    results.setdefault("b_api_app_cpu_s", []).append(round(time.process_time() - cpu, 3))
                    if profiler and args.profile:
                        profiler.disable()
                        profiler.dump_stats(f"{args.profile}.run{r + 1}.prof")
                    if created != len(pupils):
                        raise SystemExit(f"the API created {created} marks, expected {len(pupils)}")
                    api_times.append(wall)
                    if spent is not None:
                        results.setdefault("b_api_phases_s", []).append(
                            {k: round(v, 3) for k, v in spent.items()})
                    lat.sort()
                    p50.append(statistics.median(lat))
                    p95.append(lat[int(0.95 * (len(lat) - 1))])
                    with psycopg.connect(dsn) as conn:
                        after = conn.execute("SELECT count(*) FROM outbox_event").fetchone()
                    events.append((after[0] if after else 0) - (before[0] if before else 0))
                # A repeated identical request changes nothing.
                first_school = [i for i, p in enumerate(pupils) if p[1] == pupils[0][1]]
                _, _, created = await through_api(
                    client,
                    platform,
                    [pupils[i] for i in first_school],
                    [codes[i] for i in first_school],
                    day,
                    1,
                )
                results["b_repeat_request_created"] = created
                if args.freshness:
                    results.update(await freshness(
                        client, platform, pupils, rng, day + timedelta(days=1)))
            results["b_raw_copy_s"] = [round(t, 3) for t in copy_times]
            results["b_api_wall_s"] = [round(t, 3) for t in api_times]
            results["b_api_request_p50_ms"] = [round(t * 1000, 1) for t in p50]
            results["b_api_request_p95_ms"] = [round(t * 1000, 1) for t in p95]
            results["b_api_requests_per_session"] = args.schools
            results["b_outbox_events"] = events
            with psycopg.connect(dsn) as conn:
                mismatched = conn.execute(
                    f"""SELECT count(*) FROM pupil_tally t JOIN (
                            SELECT m.pupil_id, count(*) FILTER (WHERE m.code <> ALL (%s)) AS possible
                            FROM attendance_mark m
                            WHERE NOT (m.session = 'AM' AND m.session_date >= %s) GROUP BY m.pupil_id) r
                        USING (pupil_id)
                        WHERE t.academic_year = {ACADEMIC_YEAR} AND t.possible <> r.possible""",
                    [
                        [c for c, e in CODES.items() if not e.counts_as_possible],
                        YEAR_START + timedelta(weeks=args.weeks),
                    ],
                ).fetchone()
            results["b_tallies_equal_recount"] = mismatched is not None and mismatched[0] == 0
            if args.dump:
                args.dump.write_text(json.dumps(written_state(dsn), indent=1, default=str) + "\n")
    finally:
        if not args.keep:
            with psycopg.connect(args.dsn, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
    return results


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line's arguments (bench/run.py passes its own list)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--dsn", default=os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
    )
    parser.add_argument("--schools", type=int, default=150)
    parser.add_argument("--pupils", type=int, default=150_000)
    parser.add_argument("--weeks", type=int, default=4, help="school weeks of earlier marks (max 15)")
    parser.add_argument("--session-runs", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=1, help="requests in flight at once")
    parser.add_argument("--min-possible", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--db-name", help="name of the throw-away database (default bench_api_<pid>)")
    parser.add_argument("--profile", help="cProfile each timed session into <PROFILE>.run<N>.prof")
    parser.add_argument("--phases", action="store_true", help="time the steps of the request (wall, summed)")
    parser.add_argument("--dump", type=Path, help="write every event and tally written (no ids or clocks)")
    parser.add_argument("--professionals-share", type=float, default=0.0,
                        help="share of pupils given a social worker (and, separately, a youth justice worker)")
    parser.add_argument("--looked-after-share", type=float, default=0.0, help="share of pupils looked after")
    parser.add_argument("--freshness", action="store_true",
                        help="time one school's register closing to the LA's PA/SA list showing it")
    args = parser.parse_args(argv)
    if args.weeks + 1 > 15:
        raise SystemExit("--weeks must leave the sessions inside the autumn term (at most 14)")
    return args


def bench_rows(dsn: str, schools: int, pupils: int, weeks: int, session_runs: int = 2) -> list[dict[str, Any]]:
    """Rows for bench/run.py: (b) one session through the API against COPY, and (c) freshness of the list."""
    from rows import row

    args = arguments(["--dsn", dsn, "--schools", str(schools), "--pupils", str(pupils), "--weeks", str(weeks),
                      "--session-runs", str(session_runs), "--freshness"])
    results = asyncio.run(run(args))
    size = f"{schools} schools, {pupils:,} pupils, {weeks} weeks of earlier marks"
    # Steady state: the last session (the first one after loading fires every newer crossing flag at once).
    api_s, copy_s = results["b_api_wall_s"][-1], results["b_raw_copy_s"][-1]
    ours, floor = pupils / api_s, pupils / copy_s
    checks = {"repeat_request_created": results["b_repeat_request_created"],
              "tallies_equal_recount": results["b_tallies_equal_recount"]}
    return [
        row("b. register session through the API vs COPY of the same rows", ours=ours, floor=floor,
            unit="marks/s", ratio=ours / floor, goal=0.25, size=size,
            detail={"api_wall_s": results["b_api_wall_s"], "copy_s": results["b_raw_copy_s"],
                    "request_p95_ms": results["b_api_request_p95_ms"],
                    "app_cpu_s": results["b_api_app_cpu_s"], "outbox_events": results["b_outbox_events"], **checks}),
        row("c. PA/SA list freshness: a school's register closing to the LA list showing it",
            ours=results["c_freshness_s"], floor=None, unit="s", ratio=None, goal=60.0, size=size,
            met=results["c_freshness_s"] <= 60 and results["c_freshness_list_shows_session"],
            detail={k: v for k, v in results.items() if k.startswith("c_")}),
    ]


def main() -> None:
    """Parse arguments, run the API benchmark and print the results."""
    args = arguments()
    results = asyncio.run(run(args))
    print(json.dumps(results, indent=2, default=str))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
