"""Each service's OpenAPI document says how to authenticate: a bearer scheme on every operation that asks who is
calling, who may call the internal ones, how to get a development token, and an example request per tag."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI

from scripts import dev_token
from services.casework.main import create_app as casework_app
from services.notifications.main import create_app as notifications_app
from services.register.main import create_app as register_app
from services.returns.main import create_app as returns_app
from shared.app import create_service_app
from shared.auth import CurrentIdentity, DfeCollector, Identity, Role, service_caller, verify_token
from shared.settings import PlatformSettings

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

    return app


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


def test_the_development_token_is_accepted_with_its_role_and_scope(capsys: pytest.CaptureFixture[str],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ATT_ENVIRONMENT", "test")
    assert dev_token.main(["school_attendance_officer", "--school", "900002", "--name", "Officer"]) == 0
    identity = verify_token(capsys.readouterr().out.strip(), SETTINGS)
    assert identity.role is Role.SCHOOL_ATTENDANCE_OFFICER
    assert identity.scope.school_urns == ["900002"]
