"""Register marks the end-to-end tests make through the running register, whatever day the suite runs on."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from scripts.embedded import EmbeddedSystem
from shared import clock


def mark_latest_sessions(system: EmbeddedSystem, school_urn: str, headers: dict[str, str], pupil_id: str, *,
                         absent: int, present: int, since: date) -> None:
    """Code O on the latest `absent` school sessions and present on the `present` before them (a day the school
    does not meet is skipped: register refuses its marks). Register flags persistent absence only past a minimum
    of possible sessions, so a test that needs the flag marks enough present sessions as well."""
    day, marked = clock.today(), 0
    while marked < absent + present and day >= since:
        for session in ("PM", "AM"):
            code = "O" if marked < absent else ("/" if session == "AM" else "\\")
            response = httpx.post(
                f"{system.config.url('register')}/api/v1/schools/{school_urn}/sessions/{day.isoformat()}/{session}"
                "/marks", json={"marks": [{"pupil_id": pupil_id, "code": code}]}, headers=headers, timeout=30)
            assert response.status_code in (200, 422), response.text
            marked += response.status_code == 200
        day -= timedelta(days=1)
    assert marked >= absent + present, f"only {marked} school sessions since {since}"
