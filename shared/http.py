"""The base of every typed service client: timeouts, service authentication, request ids, problem decoding."""

from __future__ import annotations

import string
import uuid
from collections.abc import Mapping
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel

from shared.auth import service_token
from shared.errors import DependencyUnavailable, InvalidInput, NotFound, ServiceError
from shared.settings import PlatformSettings

ModelT = TypeVar("ModelT", bound=BaseModel)
PathParams = Mapping[str, object]
# How tests hand a client an in-process app instead of the network (httpx.ASGITransport is one).
Transport = httpx.AsyncBaseTransport
_FORMATTER = string.Formatter()
# An idle pooled connection is dropped by the client after this long, and kept open by the services (uvicorn's
# --timeout-keep-alive, SERVER_KEEPALIVE_SECONDS) for much longer: were the two equal (both were 5 s), the server
# could close a connection just as the client sent a request on it, and the call failed for no fault of either.
CLIENT_KEEPALIVE_SECONDS = 5.0
SERVER_KEEPALIVE_SECONDS = 75
# Calls sent again once when the connection failed under them: those that never reached the service, and reads
# (asking again changes nothing).
_SAFE_TO_RESEND = frozenset({"GET", "HEAD", "OPTIONS"})


def expand_path(template: str, path_params: PathParams | None = None) -> str:
    """The path with each {name} replaced by its value percent-encoded as one segment: an identifier can never
    add a segment, a query or a fragment to another service's URL, whatever characters it holds."""
    names = [name for _, name, _, _ in _FORMATTER.parse(template) if name is not None]
    params = path_params or {}
    missing = [name for name in names if name not in params]
    if missing:
        raise ValueError(f"no value for path parameter(s) {', '.join(missing)} of {template}")
    return template.format_map({name: quote(str(params[name]), safe="") for name in names})


class ServiceCallFailed(Exception):
    """Another service answered with an error or did not answer."""

    def __init__(self, service: str, status: int | None, detail: str, problem: dict[str, Any] | None = None):
        super().__init__(f"{service}: {status or 'unreachable'}: {detail}")
        self.service = service
        self.status = status
        self.detail = detail
        self.problem = problem or {}

    @property
    def is_rejection(self) -> bool:
        """4xx: the request itself was wrong, so sending it again will not help."""
        return self.status is not None and 400 <= self.status < 500

    @property
    def problem_type(self) -> str:
        return str(self.problem.get("type", "")).rsplit("/", 1)[-1] or f"Http{self.status}"

    def for_caller(self, *, not_found: str, unavailable: str) -> ServiceError:
        """What the caller of this service is told: 404 stays 404 (the thing does not exist), a request the other
        service refused as invalid is the caller's 422 with its reasons, and only a service that did not answer,
        failed or would not take our credentials is 503 (the caller can retry; nothing they sent was wrong)."""
        if self.status == 404:
            return NotFound(not_found)
        if self.status in (400, 409, 422):
            detail = str(self.problem.get("detail") or self.detail)
            errors = self.problem.get("errors")
            return InvalidInput(f"{self.service} refused the request: {detail}",
                                errors=errors if isinstance(errors, list) else None)
        return DependencyUnavailable(unavailable)


class ServiceClient:
    """One client per target service; holds a pooled httpx client."""

    service_name = "service"

    def __init__(self, base_url: str, token: str, timeout: float = 10.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport,
                                       headers={"Authorization": f"Bearer {token}"},
                                       limits=httpx.Limits(keepalive_expiry=CLIENT_KEEPALIVE_SECONDS))

    @classmethod
    def for_caller(cls, caller: str, base_url: str, settings: PlatformSettings) -> ServiceClient:
        """A client presenting `caller`'s token for this client's service (its audience, nobody else's)."""
        return cls(base_url, service_token(caller, cls.service_name, settings), settings.http_timeout_seconds)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def request(self, method: str, path: str, *, json: Any = None, params: dict[str, Any] | None = None,
                      headers: dict[str, str] | None = None,
                      path_params: PathParams | None = None) -> httpx.Response:
        """`path` is a template such as "/internal/schools/{urn}/extract"; its values come in `path_params`."""
        merged = {"X-Request-Id": str(uuid.uuid4()), **(headers or {})}
        url = expand_path(path, path_params)
        response = await self._send(method, url, json=json, params=params, headers=merged)
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {"detail": response.text[:500]}
            raise ServiceCallFailed(self.service_name, response.status_code, str(body.get("detail", "")), body)
        return response

    async def _send(self, method: str, url: str, **request: Any) -> httpx.Response:
        """The response, asking a second time when the first try's connection failed and asking again is safe:
        the request never left (a refused or reset connect), or it only reads."""
        for attempt in (1, 2):
            try:
                return await self._http.request(method, url, **request)
            except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                never_sent = isinstance(exc, httpx.ConnectError)
                if attempt == 1 and (never_sent or method.upper() in _SAFE_TO_RESEND):
                    continue
                raise ServiceCallFailed(self.service_name, None, f"{type(exc).__name__}: {exc}") from exc
            except httpx.HTTPError as exc:
                raise ServiceCallFailed(self.service_name, None, f"{type(exc).__name__}: {exc}") from exc
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises

    async def get_model(self, path: str, model: type[ModelT], params: dict[str, Any] | None = None,
                        path_params: PathParams | None = None) -> ModelT:
        response = await self.request("GET", path, params=params, path_params=path_params)
        return model.model_validate(response.json())

    async def post_model(self, path: str, body: BaseModel | dict[str, Any], model: type[ModelT],
                         headers: dict[str, str] | None = None, path_params: PathParams | None = None) -> ModelT:
        payload = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
        response = await self.request("POST", path, json=payload, headers=headers, path_params=path_params)
        return model.model_validate(response.json())


class PersonTokenClient(ServiceClient):
    """A client holding no token of its own: each call carries the signed-in person's (`as_person`), so the
    receiver applies its scope rules to them. A call that forgot the person's token fails (401) rather than going
    out with a service's token, which the receiver would let through for any school or LA."""

    def __init__(self, base_url: str, timeout: float = 30.0, transport: httpx.AsyncBaseTransport | None = None) -> None:
        super().__init__(base_url, "", timeout, transport)
        self._http.headers.pop("Authorization", None)

    @staticmethod
    def as_person(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}
