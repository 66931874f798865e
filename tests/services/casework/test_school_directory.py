"""School names and an LA officer's schools come from register, read again after a while, and the last list
read stands in when register does not answer."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from services.casework.service.school_directory import SchoolDirectory
from shared.auth import Identity, Role, Scope
from shared.clients.register import RegisterClient

pytestmark = pytest.mark.unit


class Register:
    def __init__(self) -> None:
        self.schools = [{"urn": "100001", "name": "Riverside Primary", "phase": "primary", "la_code": "201"},
                        {"urn": "100002", "name": "Hillcrest Academy", "phase": "secondary", "la_code": "201"},
                        {"urn": "300001", "name": "Elsewhere School", "phase": "primary", "la_code": "302"}]
        self.calls = 0
        self.down = False
        self.app = FastAPI()

        @self.app.get("/internal/schools")
        async def schools() -> list[dict[str, str]]:
            self.calls += 1
            if self.down:
                raise RuntimeError("register is down")
            return self.schools


def officer(role: Role, **scope: object) -> Identity:
    return Identity(subject="s", name="n", role=role, scope=Scope(**scope))  # type: ignore[arg-type]


async def test_names_and_an_la_officers_schools_come_from_register() -> None:
    register = Register()
    now = [0.0]
    client = RegisterClient("http://register", "token",
                            transport=httpx.ASGITransport(app=register.app, raise_app_exceptions=False))
    directory = SchoolDirectory(client, ttl_seconds=60, clock=lambda: now[0])
    assert (await directory.names())["100002"] == "Hillcrest Academy"
    assert await directory.visible_to(officer(Role.LA_EWO, la_code="201")) == ["100001", "100002"]
    assert await directory.visible_to(officer(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["100001"])) == ["100001"]
    assert await directory.visible_to(officer(Role.SOCIAL_WORKER, la_code="201")) == []
    assert register.calls == 1  # read once, then kept

    register.schools[0] = {**register.schools[0], "name": "Riverside Primary School"}
    now[0] = 61.0
    assert (await directory.names())["100001"] == "Riverside Primary School"
    assert register.calls == 2

    register.down = True
    now[0] = 200.0
    assert (await directory.names())["100001"] == "Riverside Primary School"  # the last list read
    await client.aclose()
