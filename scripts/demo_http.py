"""HTTP for `make run`'s demo steps: wait until the services answer, and retry what a busy or restarting
service did not answer, so that loading demo data never takes the running system down."""

from __future__ import annotations

import time
from typing import Any

import httpx

# A 2-core machine that is still taking in the seed's events can take tens of seconds over one request.
REQUEST_TIMEOUT = 60.0
ATTEMPTS = 6
FIRST_DELAY = 1.0
MAX_DELAY = 15.0


class DemoStepFailed(Exception):
    """A service did not answer one demo request after every retry; the message says which and why."""


def _transient(response: httpx.Response) -> bool:
    return response.status_code >= 500


def request(method: str, url: str, *, attempts: int = ATTEMPTS, **kwargs: Any) -> httpx.Response:
    """The first answer that is not a 5xx; timeouts, refused connections and 5xx are retried with back-off.

    A repeat of a POST whose answer was lost can only be refused as a repeat (the demo steps are moves a
    journey or the register allows once), so retrying it is safe for demo data.
    """
    kwargs.setdefault("timeout", REQUEST_TIMEOUT)
    problem = ""
    for attempt in range(1, attempts + 1):
        try:
            response = httpx.request(method, url, **kwargs)
            if not _transient(response):
                return response
            problem = f"HTTP {response.status_code}"
        except httpx.TransportError as exc:
            problem = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        if attempt < attempts:
            time.sleep(min(MAX_DELAY, FIRST_DELAY * 2 ** (attempt - 1)))
    raise DemoStepFailed(f"{method} {httpx.URL(url).copy_with(query=None)} failed {attempts} times ({problem})")


def get(url: str, **kwargs: Any) -> httpx.Response:
    return request("GET", url, **kwargs)


def post(url: str, **kwargs: Any) -> httpx.Response:
    return request("POST", url, **kwargs)


def wait_until_healthy(base_urls: list[str], timeout: float = 180.0) -> list[str]:
    """The base URLs whose /healthz did not answer 200 within `timeout` seconds (empty when all did)."""
    deadline = time.monotonic() + timeout
    waiting = list(base_urls)
    while waiting and time.monotonic() < deadline:
        for url in list(waiting):
            try:
                if httpx.get(f"{url}/healthz", timeout=10).status_code == 200:
                    waiting.remove(url)
            except httpx.TransportError:
                pass
        if waiting:
            time.sleep(1)
    return waiting
