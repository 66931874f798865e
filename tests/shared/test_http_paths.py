"""Identifiers go into another service's URL as path parameters, percent-encoded: never a new segment, query or
fragment; and another service's failure reaches the caller as the right status."""

from __future__ import annotations

import httpx
import pytest

from shared.errors import DependencyUnavailable, InvalidInput, NotFound
from shared.http import ServiceCallFailed, ServiceClient, expand_path

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("value", "expected"), [
    ("100001", "/internal/schools/100001/extract"),
    ("100001?x=1", "/internal/schools/100001%3Fx%3D1/extract"),
    ("10/../admin", "/internal/schools/10%2F..%2Fadmin/extract"),
    ("1\x07#frag", "/internal/schools/1%07%23frag/extract"),
])
def test_path_parameters_are_one_encoded_segment(value: str, expected: str) -> None:
    assert expand_path("/internal/schools/{urn}/extract", {"urn": value}) == expected


def test_a_missing_path_parameter_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="urn"):
        expand_path("/internal/schools/{urn}/extract", {})


async def test_the_client_sends_the_encoded_path() -> None:
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.raw_path.decode())
        return httpx.Response(200, json={})

    client = ServiceClient("http://register", "token", transport=httpx.MockTransport(answer))
    try:
        await client.request("GET", "/internal/schools/{urn}/figures", path_params={"urn": "1?a"},
                             params={"academic_year": 2026})
    finally:
        await client.aclose()
    assert seen == ["/internal/schools/1%3Fa/figures?academic_year=2026"]


@pytest.mark.parametrize(("status", "expected"), [
    (404, NotFound), (422, InvalidInput), (409, InvalidInput), (401, DependencyUnavailable),
    (500, DependencyUnavailable), (503, DependencyUnavailable), (None, DependencyUnavailable)])
def test_upstream_failures_map_to_the_callers_status(status: int | None, expected: type) -> None:
    failure = ServiceCallFailed("register", status, "detail", {"detail": "d", "errors": [{"field": "to"}]})
    error = failure.for_caller(not_found="none", unavailable="down")
    assert isinstance(error, expected)
    if isinstance(error, DependencyUnavailable):
        assert int(error.headers["Retry-After"]) > 0
