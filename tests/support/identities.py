"""Signed development tokens for each kind of user, as the services verify them."""

from __future__ import annotations

from uuid import UUID

from shared.auth import Identity, Role, Scope, issue_token, service_token
from shared.settings import PlatformSettings


def token_for(settings: PlatformSettings, role: Role, *, school_urns: list[str] | None = None,
              la_code: str | None = None, pupil_ids: list[UUID] | None = None, name: str = "Test User") -> str:
    identity = Identity(subject=f"test-{role.value}", name=name, role=role,
                        scope=Scope(school_urns=school_urns or [], la_code=la_code, pupil_ids=pupil_ids or []))
    return issue_token(identity, settings)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def service_headers(settings: PlatformSettings, caller: str, receiver: str) -> dict[str, str]:
    """The headers `caller` presents to `receiver` (each internal endpoint answers only the services it is for)."""
    return bearer(service_token(caller, receiver, settings))
