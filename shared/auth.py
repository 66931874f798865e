"""Who is calling and what they may see: roles, scopes, signed tokens and the FastAPI dependencies.

Every API call carries a bearer token (or, for the officer UI, the same token in a cookie). In development
and tests the tokens are HS256-signed by the local development login; in production they are OIDC tokens
from the configured issuer, validated against its published keys.
"""

from __future__ import annotations

import time
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any
from uuid import UUID

import httpx
import jwt
from fastapi import Depends, Request
from pydantic import BaseModel, Field

from shared.errors import NotAuthenticated, OutOfScope
from shared.settings import PlatformSettings, get_platform_settings

DEV_ISSUER = "attendance-development-login"
SESSION_COOKIE = "attendance_session"
TOKEN_LIFETIME_SECONDS = 8 * 3600


class Role(StrEnum):
    SCHOOL_ATTENDANCE_OFFICER = "school_attendance_officer"
    SENIOR_ATTENDANCE_CHAMPION = "senior_attendance_champion"
    HEADTEACHER = "headteacher"
    GOVERNOR = "governor"
    LA_EWO = "la_ewo"
    SOCIAL_WORKER = "social_worker"
    VIRTUAL_SCHOOL_HEAD = "virtual_school_head"
    DATA_PROTECTION_LEAD = "data_protection_lead"
    SERVICE = "service"
    # The DfE's collector of the daily attendance data share (rules.md s9): it may collect the share and nothing
    # else, so every other endpoint refuses it (see current_identity).
    DFE_COLLECTOR = "dfe_collector"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.SCHOOL_ATTENDANCE_OFFICER: "School attendance officer",
    Role.SENIOR_ATTENDANCE_CHAMPION: "Senior attendance champion",
    Role.HEADTEACHER: "Headteacher",
    Role.GOVERNOR: "Governor",
    Role.LA_EWO: "Education welfare officer (LA)",
    Role.SOCIAL_WORKER: "Social worker",
    Role.VIRTUAL_SCHOOL_HEAD: "Virtual school head",
    Role.DATA_PROTECTION_LEAD: "Data protection lead (LA)",
    Role.SERVICE: "System service",
    Role.DFE_COLLECTOR: "DfE daily share collector",
}

SCHOOL_ROLES = {Role.SCHOOL_ATTENDANCE_OFFICER, Role.SENIOR_ATTENDANCE_CHAMPION, Role.HEADTEACHER}
LA_ROLES = {Role.LA_EWO, Role.DATA_PROTECTION_LEAD}
# Roles that may take casework steps (the others read, or see only figures).
CASEWORK_ROLES = SCHOOL_ROLES - {Role.HEADTEACHER} | {Role.LA_EWO}


class Scope(BaseModel):
    """The part of the world an identity is allowed to see."""

    school_urns: list[str] = Field(default_factory=list)
    la_code: str | None = None
    pupil_ids: list[UUID] = Field(default_factory=list)


class Identity(BaseModel):
    subject: str
    name: str
    role: Role
    scope: Scope = Field(default_factory=Scope)
    # How register knows a social worker (her allocations are looked up by it); other roles may carry it too.
    email: str | None = None

    @property
    def is_service(self) -> bool:
        return self.role is Role.SERVICE

    def can_see_pupil(self, *, pupil_id: UUID, school_urn: str, la_code: str, looked_after: bool = False) -> bool:
        """Whether this identity may read one pupil's record (governors see figures only, never a pupil)."""
        if self.role is Role.SERVICE:
            return True
        if self.role in SCHOOL_ROLES:
            return school_urn in self.scope.school_urns
        if self.role in LA_ROLES:
            return la_code == self.scope.la_code
        if self.role is Role.SOCIAL_WORKER:
            return pupil_id in self.scope.pupil_ids
        if self.role is Role.VIRTUAL_SCHOOL_HEAD:
            return la_code == self.scope.la_code and looked_after
        return False

    def can_see_school_figures(self, *, school_urn: str, la_code: str) -> bool:
        if self.role is Role.SERVICE:
            return True
        if self.role in SCHOOL_ROLES or self.role is Role.GOVERNOR:
            return school_urn in self.scope.school_urns
        if self.role in LA_ROLES or self.role is Role.VIRTUAL_SCHOOL_HEAD:
            return la_code == self.scope.la_code
        return False

    def require_pupil(self, *, pupil_id: UUID, school_urn: str, la_code: str, looked_after: bool = False) -> None:
        if not self.can_see_pupil(pupil_id=pupil_id, school_urn=school_urn, la_code=la_code,
                                  looked_after=looked_after):
            # The same answer as for a pupil that does not exist, so scope cannot be probed.
            raise OutOfScope("You do not have access to this pupil's record.")


def issue_token(identity: Identity, settings: PlatformSettings, lifetime: int = TOKEN_LIFETIME_SECONDS) -> str:
    """Sign a development token (the embedded login and service-to-service calls use these)."""
    now = int(time.time())
    claims = {
        "iss": DEV_ISSUER,
        "aud": settings.oidc_audience,
        "sub": identity.subject,
        "name": identity.name,
        "role": identity.role.value,
        "scope": identity.scope.model_dump(mode="json"),
        **({"email": identity.email} if identity.email else {}),
        "iat": now,
        "exp": now + lifetime,
    }
    return jwt.encode(claims, settings.auth_secret, algorithm="HS256")


@lru_cache(maxsize=4)
def _jwks_client(issuer: str) -> jwt.PyJWKClient:
    """The issuer's signing keys, found through its OIDC discovery document (keys are cached by PyJWKClient)."""
    discovery = httpx.get(f"{issuer.rstrip('/')}/.well-known/openid-configuration", timeout=10)
    discovery.raise_for_status()
    return jwt.PyJWKClient(str(discovery.json()["jwks_uri"]))


def _claims_to_identity(claims: dict[str, Any]) -> Identity:
    # Production identity providers put role and scope in custom claims with the same names; email is the standard
    # OIDC claim.
    email = claims.get("email")
    try:
        return Identity(subject=claims["sub"], name=claims.get("name", claims["sub"]), role=Role(claims["role"]),
                        scope=Scope.model_validate(claims.get("scope", {})),
                        email=email if isinstance(email, str) and email.strip() else None)
    except (KeyError, ValueError) as exc:
        raise NotAuthenticated("The token does not carry a known role and scope.") from exc


def verify_token(token: str, settings: PlatformSettings) -> Identity:
    try:
        if settings.oidc_issuer:
            try:
                key = _jwks_client(settings.oidc_issuer).get_signing_key_from_jwt(token).key
            except httpx.HTTPError as exc:
                raise NotAuthenticated("The identity provider could not be reached to check your sign-in.") from exc
            claims = jwt.decode(token, key, algorithms=["RS256", "ES256"], audience=settings.oidc_audience,
                                issuer=settings.oidc_issuer)
        else:
            claims = jwt.decode(token, settings.auth_secret, algorithms=["HS256"], audience=settings.oidc_audience,
                                issuer=DEV_ISSUER)
    except jwt.PyJWTError as exc:
        raise NotAuthenticated("Your sign-in is missing, expired or invalid. Sign in again.") from exc
    return _claims_to_identity(claims)


def service_identity(service_name: str) -> Identity:
    return Identity(subject=f"service:{service_name}", name=f"{service_name} service", role=Role.SERVICE)


def service_token(service_name: str, settings: PlatformSettings) -> str:
    """The token a service presents to another service."""
    if settings.service_token:
        return settings.service_token
    return issue_token(service_identity(service_name), settings, lifetime=365 * 24 * 3600)


def token_from_request(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.cookies.get(SESSION_COOKIE)


def _identity_of(request: Request, settings: PlatformSettings) -> Identity:
    token = token_from_request(request)
    if not token:
        raise NotAuthenticated("Sign in to use this service.")
    identity = verify_token(token, settings)
    request.state.identity = identity
    return identity


async def current_identity(request: Request,
                           settings: PlatformSettings = Depends(get_platform_settings)) -> Identity:
    identity = _identity_of(request, settings)
    if identity.role is Role.DFE_COLLECTOR:
        # The collector's token opens the DfE daily share (dfe_collector below) and no other door.
        raise OutOfScope("The DfE collector may only collect the daily attendance data share.")
    return identity


async def dfe_collector(request: Request,
                        settings: PlatformSettings = Depends(get_platform_settings)) -> Identity:
    """The DfE daily share's collection endpoint answers the DfE's collector (and other services) only."""
    identity = _identity_of(request, settings)
    if identity.role is not Role.DFE_COLLECTOR and not identity.is_service:
        raise OutOfScope("Only the DfE's collector collects the daily attendance data share.")
    return identity


async def service_caller(identity: Identity = Depends(current_identity)) -> Identity:
    """Internal endpoints answer only other services."""
    if not identity.is_service:
        raise OutOfScope("This endpoint is for other services only.")
    return identity


CurrentIdentity = Annotated[Identity, Depends(current_identity)]
ServiceCaller = Annotated[Identity, Depends(service_caller)]
DfeCollector = Annotated[Identity, Depends(dfe_collector)]
