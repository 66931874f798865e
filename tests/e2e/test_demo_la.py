"""`make run`'s demo steps for the LA's views, on the running system: Millbrook's oldest attendance return is
submitted, two of its open N codes get their reason, and (on a school day) this morning's N for one of Helen
Carter's pupils reaches her; run a second time, they do nothing."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from scripts.demo_la import MILLBROOK, demo_la_activity
from scripts.embedded import EmbeddedSystem
from shared import clock
from shared.auth import Role
from shared.demo import DEMO_LA_CODE
from shared.settings import PlatformSettings
from tests.support.identities import bearer, token_for
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

SETTINGS = PlatformSettings(environment="test")
EWO = bearer(token_for(SETTINGS, Role.LA_EWO, la_code=DEMO_LA_CODE))


def millbrook(system: EmbeddedSystem) -> dict[str, Any]:
    response = httpx.get(f"{system.config.url('returns')}/api/v1/las/{DEMO_LA_CODE}/compliance", headers=EWO,
                         timeout=60)
    assert response.status_code == 200, response.text
    view = response.json()
    attendance = next((r for r in view["returns"] if r["school_urn"] == MILLBROOK and r["kind"] == "attendance"),
                      {"submitted_on_time": 0, "submitted_late": 0})
    n_codes = next((n for n in view["n_codes"] if n["school_urn"] == MILLBROOK), {"resolved_in_time": 0})
    return {"submitted": attendance["submitted_on_time"] + attendance["submitted_late"],
            "resolved_in_time": n_codes["resolved_in_time"], "open_in_time": n_codes.get("open_in_time", 0)}


def test_demo_steps_fill_the_compliance_view_once(system: EmbeddedSystem, tmp_path: Any) -> None:
    returns_url, register_url = system.config.url("returns"), system.config.url("register")
    # The LA-return schedule makes last month's returns when the worker starts.
    wait_for(lambda: httpx.get(f"{returns_url}/api/v1/returns", params={"school_urn": MILLBROOK},
                               headers=EWO, timeout=30).json(), timeout=90)
    before = millbrook(system)
    lines = demo_la_activity(SETTINGS, register_url, returns_url, tmp_path, today=clock.today())
    assert lines[0].startswith("Millbrook submitted its attendance return"), lines
    after = millbrook(system)
    assert after["submitted"] == before["submitted"] + 1
    replaced = min(2, before["open_in_time"])
    assert lines[1] == f"Millbrook replaced {replaced} N codes with the reason given"
    assert after["resolved_in_time"] == before["resolved_in_time"] + replaced
    assert "Helen Carter" in lines[2] or "could not take an N today" in lines[2], lines
    # Once per data folder.
    assert demo_la_activity(SETTINGS, register_url, returns_url, tmp_path) == []
    assert millbrook(system)["submitted"] == after["submitted"]
