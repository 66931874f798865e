"""Client of an organisation's OpenID Connect identity provider: discovery and the authorisation-code exchange
(the officer UI's production sign-in). No OIDC library is in the lock file, and these two calls are all it needs."""

from __future__ import annotations

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError


class ProviderUnreachable(Exception):
    """The identity provider did not answer, or answered with an error."""


def jwks_uri(issuer: str, timeout: float = 10.0) -> str:
    """Where the issuer publishes its signing keys, from its discovery document (read once per process by the
    caller's cache; a blocking call because token checks run in synchronous dependencies)."""
    try:
        discovery = httpx.get(f"{issuer.rstrip('/')}/.well-known/openid-configuration", timeout=timeout)
        discovery.raise_for_status()
        return str(discovery.json()["jwks_uri"])
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        raise ProviderUnreachable(f"{issuer} gave no discovery document") from exc


class OidcEndpoints(BaseModel):
    """The part of the provider's discovery document the sign-in uses."""

    model_config = ConfigDict(extra="ignore")

    authorization_endpoint: str
    token_endpoint: str


class TokenAnswer(BaseModel):
    """The provider's answer to a code exchange, when it confirms the sign-in."""

    model_config = ConfigDict(extra="ignore")

    access_token: str
    expires_in: int | None = None


class OidcProvider:
    """One issuer. Its endpoints are fetched once (they do not change while the process runs)."""

    def __init__(self, issuer: str, timeout: float = 10.0) -> None:
        self.issuer = issuer
        self.timeout = timeout
        self._endpoints: OidcEndpoints | None = None

    async def endpoints(self) -> OidcEndpoints:
        if self._endpoints is None:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                response = await client.get(f"{self.issuer.rstrip('/')}/.well-known/openid-configuration")
                response.raise_for_status()
                self._endpoints = OidcEndpoints.model_validate(response.json())
        return self._endpoints

    async def exchange_code(self, *, code: str, redirect_uri: str, client_id: str,
                            client_secret: str) -> TokenAnswer | None:
        """The token for an authorisation code, or None when the provider does not confirm the sign-in."""
        endpoints = await self.endpoints()
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            answer = await client.post(endpoints.token_endpoint, data={
                "grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                "client_id": client_id, "client_secret": client_secret})
        if answer.status_code != 200:
            return None
        try:
            return TokenAnswer.model_validate(answer.json())
        except (ValueError, ValidationError):
            return None
