"""Service-to-service tokens: each names its caller and is for one receiving service; internal endpoints take
only the callers meant for them; a secret being rotated out is still accepted, never used to sign."""

from __future__ import annotations

import time

import jwt
import pytest
from pydantic import SecretStr

from shared.auth import (
    DEV_ISSUER,
    Identity,
    Role,
    issue_token,
    service_audience,
    service_caller,
    service_identity,
    service_token,
    verify_token,
)
from shared.errors import NotAuthenticated, OutOfScope
from shared.settings import PlatformSettings

pytestmark = pytest.mark.unit

SETTINGS = PlatformSettings(environment="test")


def test_a_service_token_names_its_caller_for_its_receiver_only() -> None:
    token = service_token("casework", "register", SETTINGS)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["aud"] == "attendance:register"
    assert claims["azp"] == "casework"
    caller = verify_token(token, SETTINGS, "register")
    assert caller.is_service
    assert caller.caller == "casework"
    with pytest.raises(NotAuthenticated):
        verify_token(token, SETTINGS, "notifications")
    with pytest.raises(NotAuthenticated):
        verify_token(token, SETTINGS)  # the officer UI's cookie check: never a service's token


def test_a_person_cannot_pass_for_a_service() -> None:
    # A token with the people's audience and the service role (as the single shared token used to be) is refused.
    shared = issue_token(service_identity("casework"), SETTINGS)
    with pytest.raises(NotAuthenticated):
        verify_token(shared, SETTINGS, "register")
    # A service audience without a caller says nothing about who calls.
    now = int(time.time())
    anonymous = jwt.encode({"iss": DEV_ISSUER, "aud": service_audience(SETTINGS, "register"), "sub": "x",
                            "iat": now, "exp": now + 60}, SETTINGS.auth_secret, algorithm="HS256")
    with pytest.raises(NotAuthenticated):
        verify_token(anonymous, SETTINGS, "register")


def test_a_configured_token_is_presented_to_its_receiver() -> None:
    configured = SETTINGS.model_copy(update={"service_tokens": {"register": SecretStr("from-the-provider")}})
    assert service_token("casework", "register", configured) == "from-the-provider"
    assert service_token("casework", "notifications", configured) != "from-the-provider"


def test_a_secret_being_rotated_out_is_accepted_but_never_signs() -> None:
    old = PlatformSettings(environment="test", auth_secret="the-old-secret-0123456789abcdef0123")
    new = PlatformSettings(environment="test", auth_secret="the-new-secret-0123456789abcdef0123",
                           auth_previous_secrets=[SecretStr(old.auth_secret)])
    issued_before = service_token("returns", "register", old)
    assert verify_token(issued_before, new, "register").caller == "returns"
    assert verify_token(service_token("returns", "register", new), new, "register").caller == "returns"
    retired = PlatformSettings(environment="test", auth_secret=new.auth_secret)
    with pytest.raises(NotAuthenticated):
        verify_token(issued_before, retired, "register")


async def test_an_internal_endpoint_answers_only_its_callers() -> None:
    only_returns = service_caller("returns")
    assert (await only_returns(service_identity("returns"))).caller == "returns"
    with pytest.raises(OutOfScope):
        await only_returns(service_identity("casework"))
    with pytest.raises(OutOfScope):
        await only_returns(Identity(subject="x", name="X", role=Role.LA_EWO))
