"""Production sign-in: the officer UI sends people to the organisation's identity provider (OIDC
authorisation-code flow), keeps the access token it returns as the session, and the APIs accept that token."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse
from uuid import UUID

import httpx
import jwt
import pytest
import uvicorn
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Form
from fastapi.responses import RedirectResponse

from services.casework.main import create_app
from services.casework.web.oidc import STATE_COOKIE
from shared.auth import SESSION_COOKIE, verify_token
from shared.clients.register import RegisterClient
from shared.settings import PlatformSettings
from tests.services.casework.conftest import casework_settings
from tests.support.databases import DatabaseFactory
from tests.support.net import free_port, wait_for_port

pytestmark = pytest.mark.services

CODE = "one-time-code"


class FakeIdentityProvider:
    """Just enough of an OIDC provider: discovery, keys, authorise (signs the user straight in), token."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.claims: dict[str, Any] = {}
        app = FastAPI()
        app.get("/.well-known/openid-configuration")(self.discovery)
        app.get("/jwks")(self.jwks)
        app.get("/authorize")(self.authorize)
        app.post("/token")(self.token)
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))

    async def discovery(self) -> dict[str, str]:
        return {"issuer": self.url, "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token", "jwks_uri": f"{self.url}/jwks"}

    async def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]}

    async def authorize(self, redirect_uri: str, state: str, client_id: str) -> RedirectResponse:
        assert client_id == "attendance-casework"
        return RedirectResponse(f"{redirect_uri}?{urlencode({'code': CODE, 'state': state})}", status_code=302)

    async def token(self, code: str = Form(), client_secret: str = Form()) -> dict[str, Any]:
        if code != CODE or client_secret != "casework-secret":
            return {"error": "invalid_grant"}
        now = int(time.time())
        claims = {"iss": self.url, "aud": "attendance", "iat": now, "exp": now + 600, **self.claims}
        token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "k1"})
        return {"access_token": token, "token_type": "Bearer", "expires_in": 600}


@pytest.fixture
def idp() -> Iterator[FakeIdentityProvider]:
    provider = FakeIdentityProvider()
    thread = threading.Thread(target=provider.server.run, daemon=True)
    thread.start()
    wait_for_port(provider.port)
    yield provider
    provider.server.should_exit = True
    thread.join(10)


async def test_officer_signs_in_at_the_identity_provider(databases: DatabaseFactory,
                                                        idp: FakeIdentityProvider) -> None:
    platform = PlatformSettings(environment="production", oidc_issuer=idp.url,
                                auth_secret="a-real-secret-for-this-test-only-0123456789")
    settings = casework_settings(databases.create("casework"), platform).model_copy(
        update={"oidc_client_secret": "casework-secret"})
    idp.claims = {"sub": "officer-7", "name": "Olu Officer", "role": "school_attendance_officer",
                  "scope": {"school_urns": ["900001"]}}
    app = create_app(settings)
    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="https://casework.test") as browser:
        started = await browser.get("/sign-in")
        assert started.status_code == 302
        authorise = urlparse(started.headers["location"])
        assert authorise.netloc == f"127.0.0.1:{idp.port}"
        state = parse_qs(authorise.query)["state"][0]

        back = httpx.get(started.headers["location"], follow_redirects=False)  # the provider signs them in
        callback = urlparse(back.headers["location"])
        assert callback.path == "/auth/callback"
        done = await browser.get(f"/auth/callback?{callback.query}")
        assert done.status_code == 303, done.text
        token = done.cookies[SESSION_COOKIE]
        identity = verify_token(token, platform)
        assert (identity.name, identity.scope.school_urns) == ("Olu Officer", ["900001"])
        assert (await browser.get("/")).status_code == 200

        # A forged state, or a callback without the browser's state cookie, is refused.
        browser.cookies.clear()
        browser.cookies.set(STATE_COOKIE, state)
        forged = await browser.get(f"/auth/callback?code={CODE}&state=not-{state}")
        assert forged.status_code == 401
        # Development sign-in is off in production.
        assert (await browser.post("/sign-in", data={"user": "demo-ewo"})).status_code == 403


async def test_social_worker_from_the_identity_provider_is_scoped_by_her_email(databases: DatabaseFactory,
                                                                              idp: FakeIdentityProvider) -> None:
    """The provider cannot know allocations: it sends the email claim, and casework asks register by it."""
    platform = PlatformSettings(environment="production", oidc_issuer=idp.url,
                                auth_secret="a-real-secret-for-this-test-only-0123456789")
    settings = casework_settings(databases.create("casework"), platform).model_copy(
        update={"oidc_client_secret": "casework-secret"})
    idp.claims = {"sub": "worker-3", "name": "Helen Carter", "role": "social_worker",
                  "email": "H.Carter@Childrens.example.gov", "scope": {"la_code": "999"}}
    app = create_app(settings)
    app.state.platform_settings = platform
    asked: list[str] = []

    class Register(RegisterClient):
        async def allocated_pupils(self, worker_email: str) -> list[UUID]:
            asked.append(worker_email)
            return []

    async with app.router.lifespan_context(app), httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="https://casework.test") as browser:
        started = await browser.get("/sign-in")
        back = httpx.get(started.headers["location"], follow_redirects=False)
        done = await browser.get(f"/auth/callback?{urlparse(back.headers['location']).query}")
        assert done.status_code == 303, done.text
        token = done.cookies[SESSION_COOKIE]
        assert verify_token(token, platform).email == "H.Carter@Childrens.example.gov"
        # Register (unreachable in this test) cannot say: the page refuses rather than guess.
        assert (await browser.get("/")).status_code == 503
        app.state.casework.register = Register("http://register", "unused")
        assert (await browser.get("/")).status_code == 200
        listed = await browser.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
        assert listed.status_code == 200, listed.text
        assert listed.json()["items"] == []
        assert asked == ["h.carter@childrens.example.gov"]
