"""Schemathesis over a service's own OpenAPI document, against the app served on a free port in a thread (so its
lifespan runs as in production), as an authorised caller: no 5xx, and every response as the schema documents it.

Deterministic and cheap: a fixed number of examples per operation, derandomised (the same cases every run), no
example database, no shrinking.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

import hypothesis
import schemathesis
import uvicorn
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.support.net import free_port, wait_for_port

HeadersFor = Callable[[str, str], dict[str, str]]


class LiveApp:
    """One ASGI app under uvicorn in a thread, on a free port."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveApp:
        self.thread.start()
        wait_for_port(self.port, timeout=60)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def fuzz(app: FastAPI, base_url: str, headers_for: HeadersFor, *, examples: int,
         path_parameters: dict[str, Any] | None = None, skip: Iterable[tuple[str, str]] = ()) -> list[str]:
    """Every operation of the app's schema with `examples` generated cases; the failures, one line each."""
    schema = schemathesis.openapi.from_dict(app.openapi())
    skipped = {(method.upper(), path) for method, path in skip}
    failures: list[str] = []
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            failures.append(f"the schema has an invalid operation: {result.err()}")
            continue
        operation = result.ok()
        if (operation.method.upper(), operation.path) in skipped:
            continue
        fixed = {k: v for k, v in (path_parameters or {}).items()
                 if any(p.name == k for p in operation.path_parameters)}
        try:
            _run(operation, base_url, headers_for(operation.method.upper(), operation.path), examples, fixed)
        # Schemathesis reports its findings as a BaseExceptionGroup: every operation's are listed, then asserted.
        except (Exception, BaseExceptionGroup) as exc:
            first = str(exc).strip().splitlines()
            failures.append(f"{operation.method.upper()} {operation.path}: {first[0] if first else type(exc).__name__}"
                            + "".join(f"\n    {line}" for line in first[1:12]))
    return failures


def _run(operation: Any, base_url: str, headers: dict[str, str], examples: int, fixed: dict[str, Any]) -> None:
    @hypothesis.settings(max_examples=examples, derandomize=True, database=None, deadline=None,
                         phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @hypothesis.given(case=operation.as_strategy(path_parameters=fixed or None))
    def run(case: Any) -> None:
        response = case.call(base_url=base_url, headers=headers, timeout=30)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    run()
