"""One pupil's case through the running casework API, as an LA EWO by default: read it, take a step, expect the
journey's refusal, record a decision log (the factors each test weighs are its own)."""

from __future__ import annotations

from typing import Any

import httpx

from scripts.embedded import EmbeddedSystem
from shared.auth import Role
from shared.settings import PlatformSettings
from tests.support.identities import bearer, token_for

SETTINGS = PlatformSettings(environment="test")
EWO = bearer(token_for(SETTINGS, Role.LA_EWO, la_code="999", name="Daniel Price"))


class Casework:
    def __init__(self, system: EmbeddedSystem, pupil_id: str, *, decision: dict[str, Any],
                 headers: dict[str, str] | None = None) -> None:
        self.url = f"{system.config.url('casework')}/api/v1/cases/{pupil_id}"
        self.decision = decision
        self.headers = headers or EWO

    def case(self) -> dict[str, Any] | None:
        response = httpx.get(self.url, headers=self.headers, timeout=15)
        return response.json() if response.status_code == 200 else None

    def act(self, action: str, details: dict[str, Any] | None = None, **extra: Any) -> httpx.Response:
        return httpx.post(f"{self.url}/actions", headers=self.headers, timeout=60,
                          json={"action": action, "details": details or {}, **extra})

    def refused(self, action: str, details: dict[str, Any] | None = None) -> str:
        response = self.act(action, details)
        assert response.status_code == 409, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        detail: str = response.json()["detail"]
        return detail

    def decide(self, legal_step: str, **factors: Any) -> None:
        response = httpx.post(f"{self.url}/decisions", headers=self.headers, timeout=60,
                              json={"legal_step": legal_step, **self.decision, **factors})
        assert response.status_code in (200, 201), response.text
