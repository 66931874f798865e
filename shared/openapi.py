"""The OpenAPI document says how to authenticate: a bearer scheme on every operation that asks who is calling,
who may call each operation (the services of an internal one, the DfE's collector, or the person roles and their
scope from the rule the route carries, shared/callers.py), and an example request per tag."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, routing
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from shared.auth import current_identity, dfe_collector
from shared.callers import Callers, rules_of

BEARER = "bearerAuth"
HOW_TO_AUTHENTICATE = """
## Authentication

Every operation except `/healthz` takes a bearer token: `Authorization: Bearer <token>`. The token carries a
role and a scope (school URNs, an LA code or allocated pupils); answers are limited to that scope, and a 403 says
which role, school, LA or allocation is missing. Each operation's description says who may call it: the roles,
and the school, LA or pupils each is held to.

- **Production:** an OIDC access token from the configured identity provider (`ATT_OIDC_ISSUER`), with the
  claims `role` and `scope`.
- **Development:** `.venv/bin/python -m scripts.dev_token la_ewo --la 999` (or `school_attendance_officer
  --school 900002`, `social_worker --pupil <id> --email <work email>`, ...) prints a token signed with the
  development secret; paste it into **Authorize** on this page. Signing in to the officer UI at casework's
  `/sign-in` sets the same token as the `attendance_session` cookie.
- **Services** call internal operations with client-credentials tokens issued for the receiving service and
  naming the caller (`azp`); each internal operation lists the services it answers.
"""


def _api_routes(app: FastAPI) -> list[Any]:
    """The app's API routes with the paths and dependencies they have where included (FastAPI includes routers
    lazily, so app.routes alone holds the included routers, not their routes)."""
    contexts = getattr(routing, "iter_route_contexts", None)
    if contexts is None:
        return [r for r in app.routes if isinstance(r, APIRoute)]
    return [c for c in contexts(app.routes) if isinstance(c.original_route, APIRoute)]


def _guards(route: Any) -> tuple[bool, list[str], bool, list[Callers]]:
    """Whether the route asks who is calling, the services it alone answers, whether it is the DfE
    collector's door, and the rules naming the people who may call it."""
    identified, collector = False, False
    callers: list[str] = []
    people: list[Callers] = []
    stack = [route.dependant]
    while stack:
        current = stack.pop()
        if current.call is current_identity:
            identified = True
        if current.call is dfe_collector:
            identified = collector = True
        callers.extend(getattr(current.call, "service_callers", ()))
        people.extend(rule for rule in rules_of(current.call) if rule not in people)
        stack.extend(current.dependencies)
    return identified, sorted(set(callers)), collector, people


def _who_may_call(callers: list[str], collector: bool, people: list[Callers]) -> str | None:
    if callers:
        return f"**Who may call:** the {', '.join(callers)} service{'s' if len(callers) > 1 else ''} only."
    if collector:
        return "**Who may call:** the DfE's daily share collector (role `dfe_collector`) and services."
    if people:
        return f"**Who may call:** {'; and '.join(rule.describe() for rule in people)}."
    return None


def document_authentication(app: FastAPI) -> None:
    """Replace the app's OpenAPI builder with one that documents authentication (built once, then cached)."""

    def build() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, routes=app.routes,
                             description=(app.description or "") + HOW_TO_AUTHENTICATE)
        schema.setdefault("components", {}).setdefault("securitySchemes", {})[BEARER] = {
            "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
            "description": "An OIDC access token in production; `python -m scripts.dev_token` in development."}
        examples: dict[str, str] = {}
        for route in _api_routes(app):
            if not route.include_in_schema:
                continue
            identified, callers, collector, people = _guards(route)
            for method in route.methods:
                operation = schema["paths"].get(route.path_format, {}).get(method.lower())
                if operation is None or not identified:
                    continue
                operation["security"] = [{BEARER: []}]
                responses = operation.setdefault("responses", {})
                responses.setdefault("401", {"description": "Not signed in: no token, or an invalid or expired one"})
                responses.setdefault("403", {"description": "Outside your role or scope; the detail says which"})
                if (who := _who_may_call(callers, collector, people)) is not None:
                    operation["description"] = f"{operation.get('description', '')}\n\n{who}".strip()
                for tag in operation.get("tags", []):
                    if method == "GET" and tag not in examples:
                        examples[tag] = (f"Example: `curl -H \"Authorization: Bearer $TOKEN\" "
                                         f"$BASE_URL{route.path_format}`")
        schema["tags"] = [{"name": tag, "description": example} for tag, example in sorted(examples.items())]
        app.openapi_schema = schema
        return schema

    app.openapi = build  # type: ignore[method-assign]
