"""A social worker sees the pupils register allocates to her now, not those her sign-in token was issued with:
read per request (kept a minute), the last list kept for five minutes while register is down, then refused."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from shared.auth import SESSION_COOKIE, Identity, Role, Scope, issue_token, service_token, verify_token
from shared.clients.register import RegisterClient
from shared.contracts.register import PupilSummary
from tests.services.casework.conftest import Harness, harness_allocations, register_event, unreachable
from tests.services.casework.fakes import fake_register, summary_for
from tests.support.identities import bearer

pytestmark = pytest.mark.services

HELEN = "h.carter@childrens.example.gov"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class World:
    """Casework with a fake register whose allocations the test changes, and a clock it moves."""

    def __init__(self, harness: Harness) -> None:
        self.harness, self.clock = harness, Clock()
        self.allocations: dict[str, list[UUID]] = {HELEN: []}
        self.pupils: dict[UUID, PupilSummary] = {}
        harness_allocations(harness, clock=self.clock, ttl_seconds=60, stale_limit_seconds=300)
        self.register_up()

    def register_up(self) -> None:
        self._use(RegisterClient("http://register", self._token(),
                                 transport=httpx.ASGITransport(app=fake_register(self.pupils, self.allocations))))

    def register_down(self) -> None:
        self._use(RegisterClient(unreachable(), self._token(), timeout=1.0))

    def _token(self) -> str:
        return service_token("casework", "register", self.harness.platform)

    def _use(self, client: RegisterClient) -> None:
        self.harness.app.state.casework.register = client

    def token(self, email: str | None = HELEN, pupil_ids: list[UUID] | None = None) -> str:
        return issue_token(Identity(subject="sw-helen", name="Helen Carter", role=Role.SOCIAL_WORKER, email=email,
                                    scope=Scope(la_code="999", pupil_ids=pupil_ids or [])), self.harness.platform)


async def _opened(harness: Harness, **kwargs: Any) -> UUID:
    event = register_event(**kwargs)
    assert (await harness.http.post("/internal/events", json=event, headers=harness.service())).status_code == 200
    return UUID(event["pupil"]["pupil_id"])


async def _listed(harness: Harness, token: str) -> set[UUID]:
    response = await harness.http.get("/api/v1/cases?limit=200", headers=bearer(token))
    assert response.status_code == 200, response.text
    return {UUID(item["pupil_id"]) for item in response.json()["items"]}


async def test_api_follows_allocations_made_and_ended_after_sign_in(harness: Harness) -> None:
    ava, ben = await _opened(harness, display_name="Ava Allocated"), await _opened(harness, display_name="Ben Later")
    world = World(harness)
    world.allocations[HELEN][:] = [ava]
    token = world.token()
    assert await _listed(harness, token) == {ava}
    assert (await harness.http.get(f"/api/v1/cases/{ben}", headers=bearer(token))).status_code == 403

    # Ben's case moves to Helen and Ava's moves away: within the minute the kept list still answers ...
    world.allocations[HELEN][:] = [ben]
    world.clock.now += 30
    assert await _listed(harness, token) == {ava}
    # ... after it, the same token sees Ben and no longer Ava.
    world.clock.now += 31
    assert await _listed(harness, token) == {ben}
    assert (await harness.http.get(f"/api/v1/cases/{ben}", headers=bearer(token))).status_code == 200
    refused = await harness.http.get(f"/api/v1/cases/{ava}", headers=bearer(token))
    assert refused.status_code == 403
    assert "Ava" not in refused.text


async def test_api_ignores_pupils_in_the_token_and_a_social_worker_without_email_sees_none(
        harness: Harness) -> None:
    ava, ben = await _opened(harness), await _opened(harness)
    world = World(harness)
    world.allocations[HELEN][:] = [ava]
    assert await _listed(harness, world.token(pupil_ids=[ben])) == {ava}
    nameless = world.token(email=None, pupil_ids=[ava, ben])
    assert await _listed(harness, nameless) == set()
    assert (await harness.http.get(f"/api/v1/cases/{ava}", headers=bearer(nameless))).status_code == 403


async def test_api_register_down_uses_the_last_list_for_five_minutes_then_refuses(harness: Harness) -> None:
    ava = await _opened(harness)
    world = World(harness)
    world.allocations[HELEN][:] = [ava]
    token = world.token()
    assert await _listed(harness, token) == {ava}
    world.register_down()
    world.clock.now += 299
    assert await _listed(harness, token) == {ava}
    world.clock.now += 2
    refused = await harness.http.get("/api/v1/cases", headers=bearer(token))
    assert refused.status_code == 503
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["type"] == "/problems/DependencyUnavailable"
    assert "allocated pupils could not be looked up" in problem["detail"]
    assert (await harness.http.get(f"/api/v1/cases/{ava}", headers=bearer(token))).status_code == 503
    # Officers of other roles do not depend on register for their scope.
    officer = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    assert (await harness.http.get("/api/v1/cases", headers=officer)).status_code == 200
    # Register back: the allocation is read afresh.
    world.register_up()
    world.allocations[HELEN][:] = []
    assert await _listed(harness, token) == set()


async def test_a_social_worker_never_seen_gets_503_not_an_empty_or_stale_list(harness: Harness) -> None:
    ava = await _opened(harness)
    world = World(harness)
    world.register_down()
    token = world.token(pupil_ids=[ava])
    assert (await harness.http.get("/api/v1/cases", headers=bearer(token))).status_code == 503
    assert (await harness.http.get(f"/api/v1/cases/{ava}", headers=bearer(token))).status_code == 503


def _cookie(token: str) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={token}"}


async def test_ui_follows_allocations_made_and_ended_after_sign_in(harness: Harness) -> None:
    ava = await _opened(harness, display_name="Ava Allocated")
    ben = await _opened(harness, display_name="Ben Later")
    world = World(harness)
    world.pupils.update({ava: summary_for(ava, name="Ava Allocated"), ben: summary_for(ben, name="Ben Later")})
    world.allocations[HELEN][:] = [ava]
    page = _cookie(world.token())
    listing = await harness.http.get("/cases", headers=page)
    assert "Ava Allocated" in listing.text
    assert "Ben Later" not in listing.text
    assert (await harness.http.get(f"/cases/{ben}", headers=page)).status_code == 403

    world.allocations[HELEN][:] = [ben]
    world.clock.now += 61
    listing = await harness.http.get("/cases", headers=page)
    assert "Ben Later" in listing.text
    assert "Ava Allocated" not in listing.text
    for path in (f"/cases/{ben}", f"/pupils/{ben}", f"/cases/{ben}/preview"):
        assert (await harness.http.get(path, headers=page)).status_code == 200, path
    for path in (f"/cases/{ava}", f"/pupils/{ava}", f"/cases/{ava}/preview", f"/cases/{ava}/family"):
        refused = await harness.http.get(path, headers=page)
        assert refused.status_code in {403, 404}, (path, refused.status_code)
        assert "Ava" not in refused.text


async def test_ui_register_down_uses_the_last_list_then_shows_an_error_page(harness: Harness) -> None:
    ava = await _opened(harness, display_name="Ava Allocated")
    world = World(harness)
    world.allocations[HELEN][:] = [ava]
    page = _cookie(world.token())
    assert "Ava Allocated" in (await harness.http.get("/cases", headers=page)).text
    world.register_down()
    world.clock.now += 120
    assert "Ava Allocated" in (await harness.http.get("/cases", headers=page)).text
    world.clock.now += 200
    for path in ("/", "/cases", f"/cases/{ava}", f"/pupils/{ava}"):
        refused = await harness.http.get(path, headers=page)
        assert refused.status_code == 503, path
        assert refused.headers["content-type"].startswith("text/html")
        assert "Sorry, there is a problem" in refused.text
        assert "allocated pupils could not be looked up" in refused.text
        assert "Ava" not in refused.text
    posted = await harness.http.post(f"/cases/{ava}/decision", headers=page, data={})
    assert posted.status_code == 503
    # Signing out does not wait on register.
    out = await harness.http.get("/sign-out", headers=page)
    assert (out.status_code, out.headers["location"]) == (303, "/sign-in")
    assert (await harness.http.get("/sign-in", headers=page)).status_code == 200


async def test_development_sign_in_puts_the_email_not_the_pupils_in_the_token(harness: Harness) -> None:
    ava, ben = await _opened(harness, display_name="Ava Allocated"), await _opened(harness, display_name="Ben Later")
    world = World(harness)
    email = "h.carter@northshire-childrens.example.gov"  # the demo social worker's
    world.allocations[email] = [ava]
    signed = await harness.http.post("/sign-in", data={"user": "demo-social-worker"})
    assert signed.status_code == 303
    token = signed.cookies[SESSION_COOKIE]
    identity = verify_token(token, harness.platform)
    assert (identity.email, identity.scope.pupil_ids) == (email, [])
    world.allocations[email] = [ben]
    world.clock.now += 61
    listing = await harness.http.get("/cases", headers=_cookie(token))
    assert "Ben Later" in listing.text
    assert "Ava Allocated" not in listing.text
    # Register down at sign-in, with nothing kept: the sign-in page says so.
    world.register_down()
    world.clock.now += 301
    refused = await harness.http.post("/sign-in", data={"user": "demo-social-worker"})
    assert refused.status_code == 503
    assert "Your allocated pupils could not be looked up" in refused.text
    assert SESSION_COOKIE not in refused.cookies


async def test_pages_are_read_with_one_allocation_lookup_per_minute(harness: Harness) -> None:
    calls: list[str] = []
    world = World(harness)
    cw = harness.app.state.casework
    real = cw.allocated_pupils

    async def counted(email: str) -> list[UUID]:
        calls.append(email)
        pupils: list[UUID] = await real(email)
        return pupils

    cw.allocated_pupils = counted
    page = _cookie(world.token())
    for path in ("/", "/cases", f"/cases/{uuid4()}"):
        await harness.http.get(path, headers=page)
    assert calls == [HELEN]
