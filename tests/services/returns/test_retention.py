"""Returns' retention job: a return goes once its period ended more than the LA's period before `as_of`, not a day
earlier; the DfE collection records stay; each run is recorded and reported."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from shared.auth import Role
from shared.retention import RETENTION_CALLER
from tests.support.identities import service_headers

if TYPE_CHECKING:
    from tests.services.returns.conftest import Harness

pytestmark = pytest.mark.services

PERIOD_END = date(2026, 11, 30)


async def run(harness: Harness, as_of: date) -> dict[str, Any]:
    response = await harness.client.post("/internal/retention/run", json={"as_of": as_of.isoformat()},
                                         headers=service_headers(harness.settings, RETENTION_CALLER, "returns"))
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


async def test_returns_go_six_years_after_their_period(harness: Harness) -> None:
    generated = await harness.generate()
    assert generated.status_code == 200, generated.text
    count = len(generated.json()["returns"])
    assert count > 0
    ewo = harness.headers(Role.LA_EWO, la_code="999")
    assert len((await harness.client.get("/api/v1/returns", headers=ewo)).json()) == count
    report = await run(harness, PERIOD_END.replace(year=PERIOD_END.year + 6))
    assert report["removed"]["returns"] == 0
    report = await run(harness, PERIOD_END.replace(year=PERIOD_END.year + 6) + timedelta(days=1))
    assert report["removed"]["returns"] == count
    assert report["cutoffs"]["returns"] == (PERIOD_END + timedelta(days=1)).isoformat()
    assert (await harness.client.get("/api/v1/returns", headers=ewo)).json() == []
    runs = (await harness.client.get("/api/v1/retention/runs",
                                     headers=harness.headers(Role.DATA_PROTECTION_LEAD, la_code="999"))).json()
    assert runs[0]["service"] == "returns"
    assert runs[0]["removed"]["returns"] == count
    assert (await harness.client.post("/internal/retention/run", json={}, headers=ewo)).status_code == 403
