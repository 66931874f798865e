"""LA-scale benchmark: PA/SA lists from per-pupil tallies vs a full scan, and writing one LA-wide session.

Generates a throw-away PostgreSQL database holding an LA of --schools schools and --pupils pupils with
--weeks school weeks of marks (two sessions a day), then times:

  (a) the LA-wide persistent/severe absence list read from per-pupil tallies, against the same list
      computed by scanning every mark (the two lists are checked to be identical);
  (b) writing one LA-wide session (one mark per pupil) as a raw COPY into the marks table, against the
      register's write path done in SQL: staged COPY, idempotent insert, tally increments, PA/SA crossing
      detection and outbox events, all in one transaction.

Run:  uv run python bench/la_scale.py --weeks 4            (see --help; never part of the test suite)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from services.register.domain.codes import CODES
from services.register.domain.figures import TALLY_FIELDS, tally_delta

ACADEMIC_YEAR = 2024
LA_CODE = "801"  # every bench school's LA
YEAR_START = date(2024, 9, 2)  # a Monday: the bench year runs whole weeks from here
ABSENCE_CODES = ["I", "I", "I", "I", "M", "C", "O", "O", "N", "G", "U", "E"]

SCHEMA = """
CREATE TABLE attendance_code (
    code text PRIMARY KEY, possible int NOT NULL, attended int NOT NULL, authorised int NOT NULL,
    unauthorised int NOT NULL, not_counted int NOT NULL, illness int NOT NULL, not_established int NOT NULL
);
CREATE TABLE school (urn text PRIMARY KEY, la_code text NOT NULL, name text NOT NULL);
CREATE TABLE pupil (
    id uuid PRIMARY KEY, school_urn text NOT NULL REFERENCES school, year_group text NOT NULL,
    has_social_worker boolean NOT NULL, absence_propensity real NOT NULL
);
CREATE TABLE bench_session (session_date date NOT NULL, session text NOT NULL);
CREATE TABLE attendance_mark (
    id uuid NOT NULL DEFAULT gen_random_uuid(), pupil_id uuid NOT NULL, school_urn text NOT NULL,
    session_date date NOT NULL, session text NOT NULL, code text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE pupil_tally (
    pupil_id uuid NOT NULL, academic_year int NOT NULL, school_urn text NOT NULL,
    possible int NOT NULL, attended int NOT NULL, authorised int NOT NULL, unauthorised int NOT NULL,
    not_counted int NOT NULL, illness int NOT NULL, not_established int NOT NULL,
    persistent_absence boolean NOT NULL, severe_absence boolean NOT NULL,
    PRIMARY KEY (pupil_id, academic_year)
);
CREATE TABLE outbox_event (
    sequence bigserial PRIMARY KEY, id uuid NOT NULL DEFAULT gen_random_uuid(), event_type text NOT NULL,
    pupil_id uuid, payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now()
);
"""

# Indexes the register keeps on marks: built after the bulk load, present for every timed write.
MARK_INDEXES = """
ALTER TABLE attendance_mark ADD PRIMARY KEY (id);
CREATE UNIQUE INDEX attendance_mark_pupil_session ON attendance_mark (pupil_id, session_date, session);
CREATE INDEX attendance_mark_school_date ON attendance_mark (school_urn, session_date);
-- The register's own index for its paged LA lists (services/register/models.py, migration 5d2b9e7f4a10).
CREATE INDEX ix_pupil_tally_persistent_by_attendance ON pupil_tally
    (academic_year, (CAST(attended AS FLOAT) / NULLIF(possible, 0)), pupil_id) WHERE persistent_absence;
"""

GENERATE_MARKS = """
INSERT INTO attendance_mark (pupil_id, school_urn, session_date, session, code)
SELECT p.id, p.school_urn, s.session_date, s.session,
       CASE WHEN random() < p.absence_propensity
            THEN (%(absence)s::text[])[1 + floor(random() * %(n_absence)s)::int]
            WHEN s.session = 'AM' THEN '/' ELSE '\\' END
FROM pupil p CROSS JOIN bench_session s
"""

BUILD_TALLIES = """
INSERT INTO pupil_tally
SELECT m.pupil_id, %(year)s, min(m.school_urn), sum(c.possible), sum(c.attended), sum(c.authorised),
       sum(c.unauthorised), sum(c.not_counted), sum(c.illness), sum(c.not_established), false, false
FROM attendance_mark m JOIN attendance_code c USING (code)
GROUP BY m.pupil_id
"""
SET_FLAGS = """
UPDATE pupil_tally SET
    persistent_absence = possible >= %(min_possible)s AND (authorised + unauthorised) * 10 >= possible,
    severe_absence = possible >= %(min_possible)s AND (authorised + unauthorised) * 2 >= possible;
"""

# (a) The LA-wide PA/SA list three ways; each returns (pupil_id, school_urn, possible, absent, severe).
LIST_FROM_TALLY_FLAGS = """
SELECT pupil_id, school_urn, possible, authorised + unauthorised, severe_absence
FROM pupil_tally WHERE academic_year = %(year)s AND persistent_absence ORDER BY pupil_id
"""
LIST_FROM_TALLY_COUNTS = """
SELECT pupil_id, school_urn, possible, authorised + unauthorised,
       possible >= %(min_possible)s AND (authorised + unauthorised) * 2 >= possible
FROM pupil_tally
WHERE academic_year = %(year)s AND possible >= %(min_possible)s
  AND (authorised + unauthorised) * 10 >= possible
ORDER BY pupil_id
"""
# The register's first page of the LA's PA list (services/register/repository/flag_lists.py, page_statement) on the
# bench's tables: the same joins, flag, exact threshold, order and limit; the bench's pupils have no names, on_roll
# or looked_after, so the page reads the year group where the register also reads the names.
PAGE_SIZE = 50
PRODUCT_FIRST_PAGE = """
SELECT t.pupil_id, p.school_urn, p.year_group, t.possible, t.attended, t.authorised, t.unauthorised, t.not_counted
FROM pupil_tally t JOIN pupil p ON p.id = t.pupil_id JOIN school s ON s.urn = t.school_urn
WHERE t.academic_year = %(year)s AND s.la_code = %(la_code)s AND t.persistent_absence
  AND t.possible > 0 AND (t.authorised + t.unauthorised) * 100 >= t.possible * 10
ORDER BY CAST(t.attended AS FLOAT) / NULLIF(t.possible, 0), t.pupil_id
LIMIT %(limit)s
"""
LIST_FROM_FULL_SCAN = """
SELECT m.pupil_id, min(m.school_urn), sum(c.possible), sum(c.authorised + c.unauthorised),
       sum(c.authorised + c.unauthorised) * 2 >= sum(c.possible)
FROM attendance_mark m JOIN attendance_code c USING (code)
WHERE m.session_date BETWEEN %(start)s AND %(end)s
GROUP BY m.pupil_id
HAVING sum(c.possible) >= %(min_possible)s AND sum(c.authorised + c.unauthorised) * 10 >= sum(c.possible)
ORDER BY m.pupil_id
"""

# (b) The register's write path for one session, in SQL: every statement of one request's transaction.
WRITE_PATH = [
    """CREATE TEMP TABLE staged (pupil_id uuid NOT NULL, school_urn text NOT NULL, code text NOT NULL)
       ON COMMIT DROP""",
    "COPY staged (pupil_id, school_urn, code) FROM STDIN",
    # Idempotent: a repeated identical request inserts nothing and so changes no tally.
    """CREATE TEMP TABLE inserted ON COMMIT DROP AS
       WITH ins AS (
           INSERT INTO attendance_mark (pupil_id, school_urn, session_date, session, code)
           SELECT pupil_id, school_urn, %(session_date)s, %(session)s, code FROM staged
           ON CONFLICT (pupil_id, session_date, session) DO NOTHING
           RETURNING pupil_id, code)
       SELECT * FROM ins""",
    """UPDATE pupil_tally t SET
           possible = t.possible + c.possible, attended = t.attended + c.attended,
           authorised = t.authorised + c.authorised, unauthorised = t.unauthorised + c.unauthorised,
           not_counted = t.not_counted + c.not_counted, illness = t.illness + c.illness,
           not_established = t.not_established + c.not_established
       FROM inserted i JOIN attendance_code c USING (code)
       WHERE t.pupil_id = i.pupil_id AND t.academic_year = %(year)s""",
    # Only crossings become events: flags recomputed for the pupils just marked, changed rows reported.
    """WITH flagged AS (
           SELECT t.pupil_id,
                  t.possible >= %(min_possible)s AND (t.authorised + t.unauthorised) * 10 >= t.possible AS pa,
                  t.possible >= %(min_possible)s AND (t.authorised + t.unauthorised) * 2 >= t.possible AS sa
           FROM pupil_tally t JOIN inserted i USING (pupil_id) WHERE t.academic_year = %(year)s),
       changed AS (
           UPDATE pupil_tally t SET persistent_absence = f.pa, severe_absence = f.sa
           FROM flagged f
           WHERE t.pupil_id = f.pupil_id AND t.academic_year = %(year)s
             AND (t.persistent_absence, t.severe_absence) IS DISTINCT FROM (f.pa, f.sa)
           RETURNING t.pupil_id, t.persistent_absence AS pa, t.severe_absence AS sa, t.possible,
                     t.authorised + t.unauthorised AS absent)
       INSERT INTO outbox_event (event_type, pupil_id, payload)
       SELECT 'attendance_threshold_crossed', pupil_id,
              jsonb_build_object('persistent_absence', pa, 'severe_absence', sa, 'possible', possible,
                                 'absent', absent)
       FROM changed""",
    # Unexplained absence (N) for pupils with a social worker: an event the same day.
    """INSERT INTO outbox_event (event_type, pupil_id, payload)
       SELECT 'unexplained_absence', i.pupil_id,
              jsonb_build_object('session_date', %(session_date)s::text, 'session', %(session)s::text)
       FROM inserted i JOIN pupil p ON p.id = i.pupil_id
       WHERE i.code = 'N' AND p.has_social_worker""",
]


@contextmanager
def timed(results: dict[str, Any], name: str) -> Iterator[None]:
    """Record the wall time of a block in seconds."""
    start = time.perf_counter()
    yield
    results[name] = round(time.perf_counter() - start, 3)


def median_time(fn: Callable[[], object], repeats: int) -> tuple[float, object]:
    """Median wall time of fn over repeats (after one warm-up run), and its last result."""
    result = fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def school_days(weeks: int) -> list[date]:
    """Monday to Friday of each bench week."""
    return [YEAR_START + timedelta(weeks=w, days=d) for w in range(weeks) for d in range(5)]


def propensity(rng: random.Random) -> float:
    """A pupil's chance of being absent in a session: most low, some persistent, a few severe."""
    roll = rng.random()
    if roll < 0.8:
        return rng.uniform(0.0, 0.05)
    if roll < 0.96:
        return rng.uniform(0.08, 0.3)
    return rng.uniform(0.4, 0.8)


def generate(conn: psycopg.Connection[Any], args: argparse.Namespace, results: dict[str, Any]) -> list[tuple]:
    """Create the schema and the LA's schools, pupils, marks and tallies; return the pupils."""
    rng = random.Random(args.seed)
    with conn.cursor() as cur:
        cur.execute(SCHEMA)
        with cur.copy("COPY attendance_code FROM STDIN") as copy:
            for code in CODES:
                delta = tally_delta(None, code)
                copy.write_row([code, *(delta[f] for f in TALLY_FIELDS)])
        with cur.copy("COPY school (urn, la_code, name) FROM STDIN") as copy:
            for s in range(args.schools):
                copy.write_row([str(800001 + s), LA_CODE, f"Bench school {s + 1}"])
        pupils = []
        for i in range(args.pupils):
            urn = str(800001 + i % args.schools)
            pupils.append(
                (
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    urn,
                    str(rng.randrange(1, 12)),
                    rng.random() < 0.03,
                    propensity(rng),
                )
            )
        with (
            timed(results, "generate_pupils_copy_s"),
            cur.copy(
                "COPY pupil (id, school_urn, year_group, has_social_worker, absence_propensity) FROM STDIN"
            ) as copy,
        ):
            for p in pupils:
                copy.write_row(p)
        with cur.copy("COPY bench_session FROM STDIN") as copy:
            for d in school_days(args.weeks):
                copy.write_row([d, "AM"])
                copy.write_row([d, "PM"])
        conn.commit()
        cur.execute("SELECT setseed(%s)", [(args.seed % 1000) / 1000])
        with timed(results, "generate_marks_s"):
            cur.execute(GENERATE_MARKS, {"absence": ABSENCE_CODES, "n_absence": len(ABSENCE_CODES)})
            conn.commit()
        cur.execute("SELECT count(*) FROM attendance_mark")
        row = cur.fetchone()
        results["marks_rows"] = row[0] if row else 0
        with timed(results, "build_tallies_s"):
            cur.execute(BUILD_TALLIES, {"year": ACADEMIC_YEAR})
            cur.execute(SET_FLAGS, {"min_possible": args.min_possible})
            conn.commit()
        with timed(results, "build_indexes_s"):
            cur.execute(MARK_INDEXES)
            conn.commit()
    conn.autocommit = True
    conn.execute("VACUUM ANALYZE")
    conn.autocommit = False
    return pupils


def time_lists(conn: psycopg.Connection[Any], args: argparse.Namespace, results: dict[str, Any]) -> None:
    """(a) LA-wide PA/SA list from tallies vs a full scan of the marks; the lists must agree."""
    params = {
        "year": ACADEMIC_YEAR,
        "min_possible": args.min_possible,
        "start": YEAR_START,
        "end": YEAR_START + timedelta(weeks=args.weeks),
    }

    def run_with(sql: str, extra: dict[str, Any]) -> list[tuple]:
        with conn.cursor() as cur:
            cur.execute(sql, {**params, **extra})
            rows = cur.fetchall()
        conn.rollback()
        return rows

    def run(sql: str) -> list[tuple]:
        return run_with(sql, {})

    lists = {}
    for name, sql, repeats in (
        ("tally_flags", LIST_FROM_TALLY_FLAGS, args.repeats),
        ("tally_counts", LIST_FROM_TALLY_COUNTS, args.repeats),
        ("full_scan", LIST_FROM_FULL_SCAN, max(1, args.repeats // 2)),
    ):
        t_fetch, lists[name] = median_time(lambda sql=sql: run(sql), repeats)  # type: ignore[misc]
        # The same query counted in the database: its cost without sending the rows to the client.
        counted = f"SELECT count(*), sum(possible) FROM ({sql}) q(pupil_id, urn, possible, absent, severe)"
        t_db, _ = median_time(lambda counted=counted: run(counted), repeats)  # type: ignore[misc]
        results[f"a_{name}_fetch_list_ms"] = round(t_fetch * 1000, 1)
        results[f"a_{name}_in_db_ms"] = round(t_db * 1000, 1)
    if not (lists["tally_flags"] == lists["tally_counts"] == lists["full_scan"]):
        raise SystemExit("the PA/SA lists disagree between tallies and the full scan")
    page_params = {"la_code": LA_CODE, "limit": PAGE_SIZE + 1}
    t_page, page = median_time(lambda: run_with(PRODUCT_FIRST_PAGE, page_params), args.repeats)
    _check_first_page(page, lists["full_scan"])  # type: ignore[arg-type]
    results["a_product_first_page_ms"] = round(t_page * 1000, 1)
    results["a_product_first_page_lines"] = min(len(page), PAGE_SIZE)  # type: ignore[arg-type]
    rows = lists["tally_flags"]
    results["a_pa_pupils"] = len(rows)  # type: ignore[arg-type]
    results["a_sa_pupils"] = len([r for r in rows if r[4]])  # type: ignore[attr-defined,index]


def _check_first_page(page: list[tuple], listed: list[tuple]) -> None:
    """The product's first page is the lowest-attendance end of the scan's PA list, in order (exactly compared)."""
    if not page or len(page) != min(len(listed), PAGE_SIZE + 1):
        raise SystemExit("the product's first page has the wrong number of lines")
    on_page = {r[0] for r in page}
    if not on_page <= {r[0] for r in listed}:
        raise SystemExit("the product's first page lists a pupil the scan does not")
    rates = [Fraction(r[4], r[3]) for r in page]
    if rates != sorted(rates):
        raise SystemExit("the product's first page is not lowest attendance first")
    # Nobody off the page attends less than its last line.
    # The bench's codes are attended or absent: attendance is (possible - absent) / possible.
    others = (Fraction(r[2] - r[3], r[2]) for r in listed if r[0] not in on_page)
    if min(others, default=rates[-1]) < rates[-1]:
        raise SystemExit("the product's first page misses a pupil with lower attendance")


def session_rows(pupils: list[tuple], rng: random.Random) -> list[tuple[uuid.UUID, str, str]]:
    """One LA-wide session: a code for every pupil."""
    rows = []
    for pupil_id, urn, _year, _sw, p in pupils:
        code = rng.choice(ABSENCE_CODES) if rng.random() < p else "/"
        rows.append((pupil_id, urn, code))
    return rows


def time_session_writes(
    conn: psycopg.Connection[Any], pupils: list[tuple], args: argparse.Namespace, results: dict[str, Any]
) -> None:
    """(b) One LA-wide session: raw COPY vs staged insert + tallies + crossings + outbox, same rows."""
    rng = random.Random(args.seed + 1)
    after = YEAR_START + timedelta(weeks=args.weeks)
    copy_times, path_times, crossings, n_events = [], [], [], []
    copy_wal: list[int] = []
    path_wal: list[int] = []
    for run in range(args.session_runs):
        rows = session_rows(pupils, rng)
        copy_date = after + timedelta(days=2 * run)
        path_date = after + timedelta(days=2 * run + 1)
        wal_start = _wal_lsn(conn)
        start = time.perf_counter()
        with conn.cursor() as cur:
            with cur.copy(
                "COPY attendance_mark (pupil_id, school_urn, session_date, session, code) FROM STDIN"
            ) as copy:
                for pupil_id, urn, code in rows:
                    copy.write_row((pupil_id, urn, copy_date, "AM", code))
        conn.commit()
        copy_times.append(time.perf_counter() - start)
        copy_wal.append(_wal_bytes_since(conn, wal_start))

        params = {
            "session_date": path_date,
            "session": "AM",
            "year": ACADEMIC_YEAR,
            "min_possible": args.min_possible,
        }
        with conn.cursor() as cur:
            cur.execute("SELECT coalesce(max(sequence), 0) FROM outbox_event")
            before = cur.fetchone()
        conn.commit()
        wal_start = _wal_lsn(conn)
        start = time.perf_counter()
        with conn.cursor() as cur:
            cur.execute(WRITE_PATH[0])
            with cur.copy(WRITE_PATH[1]) as copy:
                for row in rows:
                    copy.write_row(row)
            for sql in WRITE_PATH[2:]:
                cur.execute(sql, params)
        conn.commit()
        path_times.append(time.perf_counter() - start)
        path_wal.append(_wal_bytes_since(conn, wal_start))
        with conn.cursor() as cur:
            cur.execute(
                "SELECT event_type, count(*) FROM outbox_event WHERE sequence > %s GROUP BY 1",
                [before[0] if before else 0],
            )
            events = dict(cur.fetchall())
        conn.commit()
        crossings.append(events.get("attendance_threshold_crossed", 0))
        n_events.append(sum(events.values()))
        # A repeat of the same request must change nothing.
        if run == 0:
            with conn.cursor() as cur:
                cur.execute("SELECT sum(possible) FROM pupil_tally")
                total_before = cur.fetchone()
                cur.execute(WRITE_PATH[0])
                with cur.copy(WRITE_PATH[1]) as copy:
                    for row in rows:
                        copy.write_row(row)
                for sql in WRITE_PATH[2:4]:
                    cur.execute(sql, params)
                cur.execute("SELECT sum(possible) FROM pupil_tally")
                if cur.fetchone() != total_before:
                    raise SystemExit("a repeated session write changed the tallies")
            conn.rollback()
    results["b_session_rows"] = len(pupils)
    results["b_raw_copy_s"] = [round(t, 3) for t in copy_times]
    results["b_tally_path_sql_s"] = [round(t, 3) for t in path_times]
    results["b_raw_copy_wal_mb"] = [round(b / 2**20) for b in copy_wal]
    results["b_tally_path_wal_mb"] = [round(b / 2**20) for b in path_wal]
    results["b_crossing_events"] = crossings
    results["b_outbox_events"] = n_events
    _check_tallies(conn, results)


def _wal_lsn(conn: psycopg.Connection[Any]) -> str:
    """The current write-ahead log position."""
    row = conn.execute("SELECT pg_current_wal_lsn()::text").fetchone()
    conn.commit()
    return str(row[0]) if row else "0/0"


def _wal_bytes_since(conn: psycopg.Connection[Any], lsn: str) -> int:
    """Bytes of write-ahead log written since a position (full-page images explain random-key index cost)."""
    row = conn.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s::pg_lsn)::bigint", [lsn]).fetchone()
    conn.commit()
    return int(row[0]) if row else 0


def _check_tallies(conn: psycopg.Connection[Any], results: dict[str, Any]) -> None:
    """The incrementally maintained tallies must equal a recount of every mark."""
    with conn.cursor() as cur:
        cur.execute(
            f"""SELECT count(*) FROM pupil_tally t JOIN (
                   SELECT m.pupil_id, {", ".join(f"sum(c.{f}) AS {f}" for f in TALLY_FIELDS)}
                   FROM attendance_mark m JOIN attendance_code c USING (code)
                   WHERE m.session_date <> ALL (%s) GROUP BY m.pupil_id) r USING (pupil_id)
               WHERE ({", ".join(f"t.{f}" for f in TALLY_FIELDS)})
                     IS DISTINCT FROM ({", ".join(f"r.{f}" for f in TALLY_FIELDS)})""",
            [results.setdefault("_copy_dates", [])],
        )
        row = cur.fetchone()
    conn.rollback()
    results["b_tallies_equal_recount"] = row is not None and row[0] == 0


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
    parser.add_argument(
        "--weeks", type=int, default=4, help="school weeks of marks to generate (38 = a year)"
    )
    parser.add_argument("--repeats", type=int, default=5, help="timed repeats of each list query")
    parser.add_argument("--session-runs", type=int, default=3, help="LA-wide sessions written each way")
    parser.add_argument("--lists-only", action="store_true", help="time (a) only, not the session writes")
    parser.add_argument("--min-possible", type=int, default=10, help="no PA/SA flag below this many sessions")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    return parser.parse_args(argv)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Build the throw-away LA database, run the timings and return the results."""
    db_name = f"bench_la_{os.getpid()}"
    results: dict[str, Any] = {
        "schools": args.schools,
        "pupils": args.pupils,
        "weeks": args.weeks,
        "sessions_per_pupil": args.weeks * 10,
        "database": db_name,
    }
    with psycopg.connect(args.dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{db_name}"')
        results["postgres"] = admin.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
    dsn = psycopg.conninfo.make_conninfo(args.dsn, dbname=db_name)
    try:
        with psycopg.connect(dsn) as conn:
            with timed(results, "generate_total_s"):
                pupils = generate(conn, args, results)
            time_lists(conn, args, results)
            if not args.lists_only:
                after = YEAR_START + timedelta(weeks=args.weeks)
                results["_copy_dates"] = [after + timedelta(days=2 * r) for r in range(args.session_runs)]
                time_session_writes(conn, pupils, args, results)
    finally:
        results.pop("_copy_dates", None)
        if not args.keep:
            with psycopg.connect(args.dsn, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
    return results


def bench_rows(dsn: str, schools: int, pupils: int, weeks: int, repeats: int = 3) -> list[dict[str, Any]]:
    """Rows for bench/run.py: (c) the LA-wide PA/SA list from the tallies against a full scan of the marks."""
    from rows import row

    results = run(arguments(["--dsn", dsn, "--schools", str(schools), "--pupils", str(pupils),
                             "--weeks", str(weeks), "--repeats", str(repeats), "--lists-only"]))
    floor, page = results["a_full_scan_fetch_list_ms"], results["a_product_first_page_ms"]
    size = f"{schools} schools, {pupils:,} pupils, {weeks} weeks ({results['marks_rows']:,} marks)"
    # The whole list read from the tallies into a client (a_tally_flags_fetch_list_ms) stays in the detail: no
    # officer's page reads it any more, and fetching 31,000 lines costs the client as much on both sides.
    detail = {k: v for k, v in results.items() if k.startswith("a_") or k.endswith("_s")}
    return [
        row(f"c. LA-wide PA list as the register serves it, a page ({PAGE_SIZE} lines, lowest attendance first, "
            "from the tallies' index) vs the whole list by a full scan of the marks (SQL, list fetched)",
            ours=page, floor=floor, unit="ms", ratio=floor / page, goal=100.0, size=size, detail=detail),
    ]


def main() -> None:
    """Parse arguments, build the throw-away LA database, run both timings and print the results."""
    args = arguments()
    results = run(args)
    print(json.dumps(results, indent=2, default=str))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
