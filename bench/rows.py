"""One row of bench/results/latest.json, the same shape for every benchmark.

`ratio` is ours against the floor measured in the same run, expressed so that higher is better (a throughput
divided by the floor's throughput, or the floor's time divided by ours); `goal` is the ratio bench/README.md
states, and `met` says whether the ratio reached it (and any absolute goal the row also carries). A row with no
floor (an absolute goal only, such as a freshness in seconds) has `floor` and `ratio` null.
"""

from __future__ import annotations

from typing import Any

FIELDS = ("name", "ours", "floor", "unit", "ratio", "goal", "met")


def _rounded(value: float | None) -> float | None:
    if value is None:
        return None
    # Four significant figures: enough for a ratio, and the same relative precision for ms and for s.
    return float(f"{value:.4g}") if abs(value) < 1000 else round(value, 1)


def row(name: str, *, ours: float | None, floor: float | None, unit: str, ratio: float | None, goal: float,
        size: str, met: bool | None = None, **extra: Any) -> dict[str, Any]:
    """A result row; `met` defaults to ratio >= goal."""
    if met is None:
        met = ratio is not None and ratio >= goal
    return {"name": name, "ours": _rounded(ours), "floor": _rounded(floor), "unit": unit,
            "ratio": _rounded(ratio), "goal": goal, "met": bool(met), "size": size, **extra}
