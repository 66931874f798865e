"""`make bench`'s driver writes latest.json in the agreed shape: checked at a tiny size on the fastest benchmark
(the others start services, the whole system or a Temporal server), with no timing checked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import REPO_ROOT

pytestmark = [pytest.mark.services,
              pytest.mark.skipif(not os.environ.get("TEST_POSTGRES_URL"), reason="the benchmarks need PostgreSQL")]


def test_driver_writes_one_row_per_figure_in_the_agreed_shape(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    dsn = make_url(os.environ["TEST_POSTGRES_URL"]).set(drivername="postgresql").render_as_string(
        hide_password=False)
    done = subprocess.run([sys.executable, str(REPO_ROOT / "bench" / "run.py"), "--size", "tiny", "--only", "c",
                           "--out", str(out), "--dsn", dsn], capture_output=True, text=True, timeout=120,
                          cwd=REPO_ROOT)
    assert done.returncode == 0, done.stderr[-2000:]

    rows = json.loads(out.read_text())
    assert [r["name"][:2] for r in rows] == ["c."]  # the register's first page against the scan
    for r in rows:
        assert "error" not in r, r
        assert {"name", "ours", "floor", "unit", "ratio", "goal", "met", "size"} <= set(r)
        assert isinstance(r["ours"], float | int)
        assert isinstance(r["goal"], float | int)
        assert isinstance(r["met"], bool)
        assert r["unit"]
        assert r["size"]
        # Higher is better: the floor's time over ours.
        assert r["ratio"] == pytest.approx(r["floor"] / r["ours"], rel=0.01)
        assert r["met"] == (r["ratio"] >= r["goal"])
    assert rows[0]["detail"]["a_pa_pupils"] > 0
