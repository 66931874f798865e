"""Who is calling and what they may see: roles, scopes, signed tokens and the FastAPI dependencies.

Every API call carries a bearer token (or, for the officer UI, the same token in a cookie). In development
and tests the tokens are HS256-signed by the local development login; in production they are OIDC tokens
from the configured issuer, validated against its published keys.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any
from uuid import UUID

import jwt
from fastapi import Depends, Request
from pydantic import BaseModel, Field

from shared.clients.oidc import ProviderUnreachable, jwks_uri
from shared.errors import NotAuthenticated, OutOfScope
from shared.settings import PlatformSettings, app_platform_settings

DEV_ISSUER = "attendance-development-login"
SESSION_COOKIE = "attendance_session"
TOKEN_LIFETIME_SECONDS = 8 * 3600
SERVICE_NAME = re.compile(r"[a-z][a-z0-9-]{0,39}")


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
    # For a service: which service is calling (the token's azp), so each internal endpoint answers only the
    # services it is for.
    caller: str | None = None

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
            # The same answer as for a pupil that does not exist, so scope cannot be probed: it names what the
            # caller's sign-in covers, never what the pupil's record holds.
            raise OutOfScope(f"You do not have access to this pupil's record: {self.pupil_scope_missing()}")

    def pupil_scope_missing(self) -> str:
        """What a pupil's record needs that this sign-in does not carry, in the words of the caller's role."""
        if self.role in SCHOOL_ROLES:
            return (f"it is open to staff of the pupil's school, and your sign-in covers "
                    f"{_listed('school', self.scope.school_urns)}.")
        if self.role in LA_ROLES:
            return f"it is open to officers of the pupil's LA, and your sign-in covers {_la(self.scope.la_code)}."
        if self.role is Role.SOCIAL_WORKER:
            return ("a social worker sees the pupils allocated to them (register finds allocations by your work "
                    "email), and this pupil is not one of yours.")
        if self.role is Role.VIRTUAL_SCHOOL_HEAD:
            return (f"a virtual school head sees the looked-after children of {_la(self.scope.la_code)} "
                    "only.")
        return f"the {self.role.label.lower()} role does not open pupils' records."

    def school_scope_missing(self, school_urn: str, la_code: str, what: str) -> str:
        """Why this sign-in does not open `what` of one school, and which role and scope would."""
        needed = (f"it needs a school role with school {school_urn} in scope, or an LA officer role for "
                  f"LA {la_code}")
        if self.role in SCHOOL_ROLES:
            covers = _listed("school", self.scope.school_urns)
            return f"You do not have access to {what}: your sign-in covers {covers}; {needed}."
        if self.role in LA_ROLES:
            return f"You do not have access to {what}: your sign-in covers {_la(self.scope.la_code)}; {needed}."
        return f"The {self.role.label.lower()} role does not open {what}: {needed}."


def _listed(kind: str, values: list[str]) -> str:
    return f"{kind}s {', '.join(values)}" if len(values) > 1 else f"{kind} {values[0]}" if values else f"no {kind}"


def _la(la_code: str | None) -> str:
    return f"LA {la_code}" if la_code else "no LA"


def issue_token(identity: Identity, settings: PlatformSettings, lifetime: int = TOKEN_LIFETIME_SECONDS,
                audience: str | None = None) -> str:
    """Sign a development token (the embedded login and service-to-service calls use these)."""
    now = int(time.time())
    claims = {
        "iss": DEV_ISSUER,
        "aud": audience or settings.oidc_audience,
        "sub": identity.subject,
        "name": identity.name,
        "role": identity.role.value,
        "scope": identity.scope.model_dump(mode="json"),
        **({"email": identity.email} if identity.email else {}),
        **({"azp": identity.caller} if identity.caller else {}),
        "iat": now,
        "exp": now + lifetime,
    }
    return jwt.encode(claims, settings.auth_secret, algorithm="HS256")


@lru_cache(maxsize=4)
def _jwks_client(issuer: str) -> jwt.PyJWKClient:
    """The issuer's signing keys, found through its OIDC discovery document (keys are cached by PyJWKClient)."""
    return jwt.PyJWKClient(jwks_uri(issuer))


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


def service_audience(settings: PlatformSettings, receiver: str) -> str:
    """The audience of tokens meant for one service only: a token for register is refused by casework."""
    return f"{settings.oidc_audience}:{receiver}"


def _decode(token: str, settings: PlatformSettings, audiences: list[str]) -> dict[str, Any]:
    if settings.oidc_issuer:
        try:
            key = _jwks_client(settings.oidc_issuer).get_signing_key_from_jwt(token).key
        except ProviderUnreachable as exc:
            raise NotAuthenticated("The identity provider could not be reached to check your sign-in.") from exc
        claims: dict[str, Any] = jwt.decode(token, key, algorithms=["RS256", "ES256"], audience=audiences,
                                            issuer=settings.oidc_issuer)
        return claims
    # The current secret first, then those being rotated out (deploy/README.md, "Rotating secrets").
    secrets = [settings.auth_secret, *(s.get_secret_value() for s in settings.auth_previous_secrets)]
    for secret in secrets[:-1]:
        try:
            return dict(jwt.decode(token, secret, algorithms=["HS256"], audience=audiences, issuer=DEV_ISSUER))
        except jwt.InvalidSignatureError:
            continue
    return dict(jwt.decode(token, secrets[-1], algorithms=["HS256"], audience=audiences, issuer=DEV_ISSUER))


def _service_claims_to_identity(claims: dict[str, Any]) -> Identity:
    # azp is the OIDC client the token was issued to; client-credentials tokens of most providers carry it.
    caller = claims.get("azp") or claims.get("client_id")
    if not isinstance(caller, str) or not SERVICE_NAME.fullmatch(caller):
        raise NotAuthenticated("A service token must name the calling service (azp).")
    return Identity(subject=str(claims.get("sub", f"service:{caller}")), name=f"{caller} service",
                    role=Role.SERVICE, caller=caller)


def verify_token(token: str, settings: PlatformSettings, receiver: str | None = None) -> Identity:
    """The identity a token carries. `receiver` is the service verifying it: tokens with that service's own
    audience are service tokens; every other token must be a person's (a service role there is refused)."""
    audiences = [settings.oidc_audience] + ([service_audience(settings, receiver)] if receiver else [])
    try:
        claims = _decode(token, settings, audiences)
    except jwt.PyJWTError as exc:
        raise NotAuthenticated("Your sign-in is missing, expired or invalid. Sign in again.") from exc
    granted = claims.get("aud")
    granted_set = {granted} if isinstance(granted, str) else set(granted or [])
    if receiver and service_audience(settings, receiver) in granted_set:
        return _service_claims_to_identity(claims)
    identity = _claims_to_identity(claims)
    if identity.is_service:
        raise NotAuthenticated("A service token must be issued for the service it calls.")
    return identity


def service_identity(service_name: str) -> Identity:
    return Identity(subject=f"service:{service_name}", name=f"{service_name} service", role=Role.SERVICE,
                    caller=service_name)


def service_token(caller: str, receiver: str, settings: PlatformSettings) -> str:
    """The token `caller` presents to `receiver`: in production the client-credentials token configured for
    that receiver (ATT_SERVICE_TOKENS), in development one signed here naming both."""
    configured = settings.service_tokens.get(receiver)
    if configured is not None:
        return configured.get_secret_value()
    return issue_token(service_identity(caller), settings, lifetime=365 * 24 * 3600,
                       audience=service_audience(settings, receiver))


def token_from_request(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.cookies.get(SESSION_COOKIE)


def _identity_of(request: Request, settings: PlatformSettings) -> Identity:
    token = token_from_request(request)
    if not token:
        raise NotAuthenticated("Sign in to use this service.")
    identity = verify_token(token, settings, getattr(request.app.state, "service_name", None))
    request.state.identity = identity
    return identity


async def current_identity(request: Request,
                           settings: PlatformSettings = Depends(app_platform_settings)) -> Identity:
    identity = _identity_of(request, settings)
    if identity.role is Role.DFE_COLLECTOR:
        # The collector's token opens the DfE daily share (dfe_collector below) and no other door.
        raise OutOfScope("The DfE collector may only collect the daily attendance data share.")
    return identity


async def dfe_collector(request: Request,
                        settings: PlatformSettings = Depends(app_platform_settings)) -> Identity:
    """The DfE daily share's collection endpoint answers the DfE's collector (and other services) only."""
    identity = _identity_of(request, settings)
    if identity.role is not Role.DFE_COLLECTOR and not identity.is_service:
        raise OutOfScope("Only the DfE's collector collects the daily attendance data share.")
    return identity


def service_caller(*callers: str) -> Callable[..., Awaitable[Identity]]:
    """A dependency for an internal endpoint: only the services named may call it (a person never)."""
    allowed = frozenset(callers)

    async def _caller(identity: Identity = Depends(current_identity)) -> Identity:
        if not identity.is_service:
            raise OutOfScope("This endpoint is for other services only.")
        if identity.caller not in allowed:
            raise OutOfScope(f"This endpoint does not answer the {identity.caller} service.")
        return identity

    # Read by the OpenAPI document (shared/openapi.py), which lists who may call each internal operation.
    _caller.service_callers = sorted(allowed)  # type: ignore[attr-defined]
    return _caller


CurrentIdentity = Annotated[Identity, Depends(current_identity)]
DfeCollector = Annotated[Identity, Depends(dfe_collector)]
