"""Each service's OpenAPI document says how to authenticate: a bearer scheme on every operation that asks who is
calling, who may call each one (services, or person roles as the code checks them), how to get a development token,
and an example request per tag."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Annotated, Any
from uuid import uuid4

import httpx
import pytest
from fastapi import Depends, FastAPI

from scripts import dev_token
from services.casework.main import create_app as casework_app
from services.notifications.main import create_app as notifications_app
from services.register.main import create_app as register_app
from services.returns.main import create_app as returns_app
from shared.app import create_service_app
from shared.auth import CurrentIdentity, DfeCollector, Identity, Role, Scope, service_caller, verify_token
from shared.callers import PERSON_ROLES, Callers, callers, rules_of
from shared.errors import OutOfScope
from shared.openapi import _api_routes
from shared.settings import PlatformSettings
from tests.support.identities import bearer, token_for

pytestmark = pytest.mark.unit

SETTINGS = PlatformSettings(environment="test")


@asynccontextmanager
async def _nothing(app: FastAPI) -> AsyncIterator[None]:
    yield


def small_app() -> FastAPI:
    app = create_service_app("demo", description="A demo.", lifespan=_nothing, health_checks=lambda app: {},
                             platform=SETTINGS)

    @app.get("/api/v1/things", tags=["things"])
    async def things(identity: CurrentIdentity) -> list[str]:
        return []

    @app.post("/internal/v1/things", tags=["internal"])
    async def internal(identity: Annotated[Identity, Depends(service_caller("casework", "returns-worker"))]) -> None:
        return None

    @app.get("/api/v1/share", tags=["dfe"])
    async def share(identity: DfeCollector) -> None:
        return None

    @app.get("/api/v1/heads", tags=["things"], dependencies=[Depends(HEADS)])
    async def heads() -> None:
        return None

    return app


def _heads_only(identity: Identity) -> None:
    if identity.role is not Role.HEADTEACHER:
        raise OutOfScope("Only headteachers.")


HEADS = callers({Role.HEADTEACHER}, "their own school", check=_heads_only)


def test_operations_that_ask_who_is_calling_carry_the_bearer_scheme_and_say_who_may_call() -> None:
    schema = small_app().openapi()
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "scripts.dev_token" in schema["info"]["description"]
    things = schema["paths"]["/api/v1/things"]["get"]
    assert things["security"] == [{"bearerAuth": []}]
    assert {"401", "403"} <= set(things["responses"])
    internal = schema["paths"]["/internal/v1/things"]["post"]
    assert internal["security"] == [{"bearerAuth": []}]
    assert "the casework, returns-worker services only" in internal["description"]
    assert "dfe_collector" in schema["paths"]["/api/v1/share"]["get"]["description"]
    # Health is for load balancers: no token.
    assert "security" not in schema["paths"]["/healthz"]["get"]
    tags = {t["name"]: t["description"] for t in schema["tags"]}
    assert tags["things"].endswith("$BASE_URL/api/v1/things`")
    assert "**Who may call:** headteacher (their own school); services acting for them." in \
        schema["paths"]["/api/v1/heads"]["get"]["description"]


@pytest.mark.parametrize("create_app", [register_app, casework_app, notifications_app, returns_app],
                         ids=["register", "casework", "notifications", "returns"])
def test_every_api_operation_of_each_service_documents_the_bearer_scheme(create_app: object) -> None:
    app = create_app()  # type: ignore[operator]
    schema = app.openapi()
    unsecured = [f"{method.upper()} {path}" for path, operations in schema["paths"].items()
                 for method, operation in operations.items()
                 if path.startswith(("/api/", "/internal/")) and "security" not in operation]
    assert unsecured == []
    assert schema["tags"], "an example request per tag"


APPS = [register_app, casework_app, notifications_app, returns_app]
APP_IDS = ["register", "casework", "notifications", "returns"]
# A value of the right form for each path parameter, so that a call gets as far as its checks.
PATH_VALUES = {"urn": "900001", "la_code": "999", "session_date": "2026-11-02", "session": "AM",
               "academic_year": "2026"}


@pytest.mark.parametrize("create_app", APPS, ids=APP_IDS)
def test_every_api_operation_names_the_people_who_may_call_it(create_app: Callable[[], FastAPI]) -> None:
    schema = create_app().openapi()
    unnamed = [f"{method.upper()} {path}" for path, operations in schema["paths"].items()
               for method, operation in operations.items()
               if path.startswith("/api/") and "**Who may call:**" not in operation.get("description", "")]
    assert unnamed == []


def _rules(app: FastAPI) -> Iterator[tuple[Any, list[Callers]]]:
    """Each /api/ route with the rules its dependencies carry."""
    for route in _api_routes(app):
        if not route.path_format.startswith("/api/"):
            continue
        found: list[Callers] = []
        stack = [route.dependant]
        while stack:
            current = stack.pop()
            found += rules_of(current.call)
            stack.extend(current.dependencies)
        yield route, found


def _everywhere(role: Role) -> Identity:
    """A person of this role whose scope covers everything a check could ask for."""
    return Identity(subject="probe", name="Probe", role=role,
                    scope=Scope(school_urns=["900001"], la_code="999", pupil_ids=[uuid4()]))


@pytest.mark.parametrize("create_app", APPS, ids=APP_IDS)
def test_the_roles_a_rule_names_are_the_roles_its_check_lets_through(create_app: Callable[[], FastAPI]) -> None:
    """A rule enforced by the service's own check (run as the route's dependency) lists exactly the roles that check
    lets through, so the document cannot drift from the code."""
    checked = {rule for _, rules in _rules(create_app()) for rule in rules if rule.check is not None}
    for rule in checked:
        assert rule.check is not None
        passed = []
        for role in PERSON_ROLES:
            try:
                rule.check(_everywhere(role))
            except OutOfScope:
                continue
            passed.append(role)
        assert set(passed) == set(rule.people()), rule.describe()


@pytest.mark.parametrize("create_app", APPS, ids=APP_IDS)
async def test_a_role_not_named_is_refused_by_the_operation(create_app: Callable[[], FastAPI]) -> None:
    """Called with each role a checked rule does not name, the operation answers 403 (before any other work)."""
    app = create_app()
    app.state.platform_settings = SETTINGS
    calls = 0
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as http:
        for route, rules in _rules(app):
            for rule in (r for r in rules if r.check is not None):
                path = re.sub(r"{(\w+)}", lambda m: PATH_VALUES.get(m.group(1), str(uuid4())), route.path_format)
                for role in PERSON_ROLES - set(rule.people()):
                    headers = bearer(token_for(SETTINGS, role, school_urns=["900001"], la_code="999"))
                    for method in route.methods:
                        response = await http.request(method, path, headers=headers)
                        assert response.status_code == 403, (method, path, role, response.text)
                        calls += 1
    assert calls, "a checked rule to call"


def test_the_development_token_is_accepted_with_its_role_and_scope(capsys: pytest.CaptureFixture[str],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATT_ENVIRONMENT", "test")
    assert dev_token.main(["school_attendance_officer", "--school", "900002", "--name", "Officer"]) == 0
    identity = verify_token(capsys.readouterr().out.strip(), SETTINGS)
    assert identity.role is Role.SCHOOL_ATTENDANCE_OFFICER
    assert identity.scope.school_urns == ["900002"]
