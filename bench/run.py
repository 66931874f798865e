"""Run every benchmark of issue 15 at one size and write bench/results/latest.json (`make bench`).

Each benchmark measures ours and its floor in the same run and returns rows (bench/rows.py). A benchmark that
fails gives a row with `met` false and the error, and the others still run.

Run:  .venv/bin/python bench/run.py                      (the `make bench` size, about 10 minutes here)
      .venv/bin/python bench/run.py --size tiny --only b,c --out tiny.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(1, str(BENCH.parent))

from rows import row  # noqa: E402

# Sizes: `make` fits about 10 minutes on the 2-core machine; `tiny` is the suite's shape check.
SIZES: dict[str, dict[str, dict[str, int]]] = {
    "make": {
        "a": {"officers": 20, "seconds_per_page": 15},
        "b": {"schools": 30, "pupils": 30_000, "weeks": 4},
        "c": {"schools": 150, "pupils": 150_000, "weeks": 4},
        "d": {"journeys": 200},
        "e": {"schools": 10, "pupils": 10_000, "weeks": 4},
        "f": {"pupils_per_school": 30},
    },
    "tiny": {
        "a": {"officers": 2, "seconds_per_page": 1},
        "b": {"schools": 2, "pupils": 200, "weeks": 1},
        "c": {"schools": 2, "pupils": 200, "weeks": 1},
        "d": {"journeys": 5},
        "e": {"schools": 2, "pupils": 200, "weeks": 1},
        "f": {"pupils_per_school": 2},
    },
}
NAMES = {
    "a": "a. case pages under concurrent signed-in officers vs casework /healthz",
    "b": "b. register session through the API vs COPY of the same rows",
    "c": "c. LA-wide PA/SA list from the tallies vs a full scan of the marks",
    "d": "d. journey signalling vs a no-op workflow signalled as often",
    "e": "e. LA-scale returns and LA dashboard vs a SQL scan of the same marks",
    "f": "f. two register instances and two workers vs one, nothing duplicated or lost",
}


def benches(dsn: str) -> dict[str, Callable[..., list[dict[str, Any]]]]:
    """Each benchmark's rows function, imported only when it runs."""

    def a(**size: int) -> list[dict[str, Any]]:
        import pages
        return pages.bench_rows(dsn, **size)

    def b(**size: int) -> list[dict[str, Any]]:
        import api_session
        return api_session.bench_rows(dsn, **size)

    def c(**size: int) -> list[dict[str, Any]]:
        import la_scale
        return la_scale.bench_rows(dsn, **size)

    def d(**size: int) -> list[dict[str, Any]]:
        import signalling
        return signalling.bench_rows(**size)

    def e(**size: int) -> list[dict[str, Any]]:
        import returns_scan
        return returns_scan.bench_rows(dsn, **size)

    def f(**size: int) -> list[dict[str, Any]]:
        import two_instances
        return two_instances.bench_rows(dsn, **size)

    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}


def failed(key: str, size: dict[str, int], exc: BaseException) -> dict[str, Any]:
    """A row saying the benchmark did not finish (never a made-up number)."""
    return row(NAMES[key], ours=None, floor=None, unit="", ratio=None, goal=0.0, met=False,
               size=json.dumps(size), error=f"{type(exc).__name__}: {exc}"[:500])


def markdown(rows: list[dict[str, Any]]) -> str:
    """The rows as bench/README.md's table."""
    lines = ["| Benchmark | Size | Ours | Floor (same run) | Ratio (higher is better) | Goal | Met |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        absolute = f", p95 <= {r['absolute_goal_p95_ms']:g} ms" if "absolute_goal_p95_ms" in r else ""
        goal = f"<= {r['goal']:g} {r['unit']}" if r["ratio"] is None and r["floor"] is None else f">= {r['goal']:g}"
        lines.append(f"| {r['name']} | {r['size']} | {r['ours']} {r['unit']} | "
                     f"{'' if r['floor'] is None else r['floor']} | {'' if r['ratio'] is None else r['ratio']} | "
                     f"{goal}{absolute} | {'yes' if r['met'] else '**no**'}{' (error)' if 'error' in r else ''} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), default="make")
    parser.add_argument("--only", default="abcdef", help="which benchmarks, e.g. b,c")
    parser.add_argument("--out", type=Path, default=BENCH / "results" / "latest.json")
    parser.add_argument("--dsn", default=os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args(argv)
    wanted = [k for k in "abcdef" if k in args.only]
    functions = benches(args.dsn)
    rows: list[dict[str, Any]] = []
    started = datetime.now(UTC)
    for key in wanted:
        size = SIZES[args.size][key]
        t0 = time.perf_counter()
        print(f"[bench] {NAMES[key]} ({size})", flush=True)
        try:
            got = functions[key](**size)
        except (Exception, SystemExit) as exc:  # the scripts stop with SystemExit on a failed check
            traceback.print_exc()
            got = [failed(key, size, exc)]
        took = round(time.perf_counter() - t0, 1)
        for r in got:
            r["bench_wall_s"] = took
            r["measured_at"] = started.isoformat(timespec="seconds")
            r["machine"] = f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}"
            r["load_average_1m"] = round(os.getloadavg()[0], 2)
            print(f"[bench]   {r['name']}: ours {r['ours']} {r['unit']}, floor {r['floor']}, ratio {r['ratio']}"
                  f" (goal {r['goal']}) met={r['met']}", flush=True)
        rows.extend(got)
        # Written after each benchmark, so a run stopped half-way keeps what it measured.
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(rows, indent=2, default=str) + "\n")
    print(markdown(rows), flush=True)
    return rows


if __name__ == "__main__":
    main()
    sys.stdout.flush()
    # temporalio can crash at interpreter exit in short-lived scripts (docs: tooling gotcha 1).
    os._exit(0)
