"""Who may see which pupil, and which tokens are accepted."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest

from shared.auth import DEV_ISSUER, Identity, Role, Scope, issue_token, verify_token
from shared.errors import NotAuthenticated, OutOfScope
from shared.settings import PlatformSettings

pytestmark = pytest.mark.unit

SETTINGS = PlatformSettings(environment="test")
PUPIL = uuid.uuid4()
HERE = {"pupil_id": PUPIL, "school_urn": "900001", "la_code": "999"}


def identity(role: Role, **scope: object) -> Identity:
    return Identity(subject="someone", name="Some One", role=role, scope=Scope.model_validate(scope))


@pytest.mark.parametrize(("who", "allowed"), [
    (identity(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"]), True),
    (identity(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900002"]), False),
    (identity(Role.HEADTEACHER, school_urns=["900001"]), True),
    (identity(Role.LA_EWO, la_code="999"), True),
    (identity(Role.LA_EWO, la_code="998"), False),
    (identity(Role.SOCIAL_WORKER, pupil_ids=[PUPIL]), True),
    (identity(Role.SOCIAL_WORKER, pupil_ids=[uuid.uuid4()], la_code="999"), False),
    (identity(Role.GOVERNOR, school_urns=["900001"]), False),
    (identity(Role.VIRTUAL_SCHOOL_HEAD, la_code="999"), False),
])
def test_pupil_scope(who: Identity, allowed: bool) -> None:
    assert who.can_see_pupil(**HERE) is allowed


def test_virtual_school_head_sees_looked_after_children_of_their_la_only() -> None:
    vsh = identity(Role.VIRTUAL_SCHOOL_HEAD, la_code="999")
    assert vsh.can_see_pupil(**HERE, looked_after=True)
    assert not vsh.can_see_pupil(pupil_id=PUPIL, school_urn="900001", la_code="998", looked_after=True)


def test_governor_sees_figures_of_their_school_but_no_pupil() -> None:
    governor = identity(Role.GOVERNOR, school_urns=["900001"])
    assert governor.can_see_school_figures(school_urn="900001", la_code="999")
    assert not governor.can_see_school_figures(school_urn="900002", la_code="999")
    with pytest.raises(OutOfScope):
        governor.require_pupil(**HERE)


def test_token_round_trip_keeps_role_and_scope() -> None:
    original = identity(Role.SOCIAL_WORKER, pupil_ids=[PUPIL], la_code="999")
    assert verify_token(issue_token(original, SETTINGS), SETTINGS) == original


def test_token_carries_the_email_claim_when_there_is_one() -> None:
    social_worker = Identity(subject="sw-1", name="Helen Carter", role=Role.SOCIAL_WORKER,
                             email="h.carter@childrens.example.gov")
    assert verify_token(issue_token(social_worker, SETTINGS), SETTINGS).email == "h.carter@childrens.example.gov"
    without = identity(Role.SOCIAL_WORKER)
    assert "email" not in jwt.decode(issue_token(without, SETTINGS), options={"verify_signature": False})
    assert verify_token(issue_token(without, SETTINGS), SETTINGS).email is None
    now = int(time.time())
    for odd in ("  ", 42):
        claims = {"iss": DEV_ISSUER, "aud": SETTINGS.oidc_audience, "sub": "sw-2", "role": "social_worker",
                  "email": odd, "iat": now, "exp": now + 60}
        assert verify_token(jwt.encode(claims, SETTINGS.auth_secret, algorithm="HS256"), SETTINGS).email is None


def test_tampered_expired_and_foreign_tokens_are_refused() -> None:
    token = issue_token(identity(Role.LA_EWO, la_code="999"), SETTINGS)
    with pytest.raises(NotAuthenticated):
        verify_token(token[:-2] + ("AA" if token[-2:] != "AA" else "BB"), SETTINGS)
    with pytest.raises(NotAuthenticated):
        verify_token(issue_token(identity(Role.LA_EWO), SETTINGS, lifetime=-10), SETTINGS)
    other = PlatformSettings(environment="test", auth_secret="another-secret-that-is-long-enough-000000")
    with pytest.raises(NotAuthenticated):
        verify_token(token, other)
    unknown_role = jwt.encode({"iss": DEV_ISSUER, "aud": "attendance", "sub": "x", "role": "janitor",
                               "exp": int(time.time()) + 60}, SETTINGS.auth_secret, algorithm="HS256")
    with pytest.raises(NotAuthenticated):
        verify_token(unknown_role, SETTINGS)


def test_production_refuses_the_development_secret() -> None:
    with pytest.raises(ValueError, match="ATT_OIDC_ISSUER"):
        PlatformSettings(environment="production")
    with pytest.raises(ValueError, match="development default"):
        PlatformSettings(environment="production", oidc_issuer="https://login.example.org")
