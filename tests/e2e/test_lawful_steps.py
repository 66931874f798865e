"""On the running system, casework decides who may take a step before the journey hears of it: a school
attendance officer cannot issue a penalty notice (403 naming the roles who can); a headteacher's attempt reaches
the real journey, whose validator gives its own reason."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from scripts.embedded import EmbeddedSystem
from shared.auth import Role
from shared.settings import PlatformSettings
from tests.e2e.test_walking_skeleton import SCHOOL_URN
from tests.support.identities import bearer, token_for
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

SETTINGS = PlatformSettings(environment="test")
OFFICER = bearer(token_for(SETTINGS, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[SCHOOL_URN], name="Priya Shah"))
HEAD = bearer(token_for(SETTINGS, Role.HEADTEACHER, school_urns=[SCHOOL_URN], name="Head Teacher"))


def a_case(system: EmbeddedSystem) -> dict[str, Any] | None:
    response = httpx.get(f"{system.config.url('casework')}/api/v1/cases", params={"limit": 1}, headers=OFFICER,
                         timeout=10)
    items: list[dict[str, Any]] = response.json()["items"] if response.status_code == 200 else []
    return items[0] if items else None


def test_a_school_attendance_officer_cannot_issue_a_penalty_notice(system: EmbeddedSystem) -> None:
    case = wait_for(lambda: a_case(system), timeout=120)
    url = f"{system.config.url('casework')}/api/v1/cases/{case['pupil_id']}/actions"

    refused = httpx.post(url, json={"action": "issue_penalty_notice", "details": {"parent": "parent-1"}},
                         headers=OFFICER, timeout=30)
    assert refused.status_code == 403, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["detail"] == "Issuing a penalty notice needs a headteacher or an LA officer."

    # Without the parent the journey's own validator refuses the headteacher: the step reached it.
    reached = httpx.post(url, json={"action": "issue_penalty_notice", "details": {}}, headers=HEAD, timeout=30)
    assert reached.status_code == 409, reached.text
    assert reached.json()["type"] == "/problems/IllegalStep"
