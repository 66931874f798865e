"""Every service is furnished the same way (docs/architecture.md): a newcomer who knows one finds anything in another
by the same path. import-linter keeps the arrows between the rooms (pyproject.toml); this keeps the rooms."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("register", "casework", "notifications", "returns")

# Rooms every service has; `repository` and `schemas` may be a module or a package.
REQUIRED = ("main.py", "settings.py", "api/__init__.py", "api/internal.py", "models.py", "service/__init__.py",
            "migrations", "README.md")
EITHER = (("schemas.py", "schemas"), ("repository.py", "repository"))
COMMON = {"__init__.py", "main.py", "settings.py", "api", "schemas.py", "schemas", "models.py", "repository.py",
          "repository", "service", "migrations", "README.md", "dependencies.py", "exceptions.py", "__pycache__"}
# Rooms one service has because of what it does, not because it is furnished differently.
OWN = {
    "register": {"domain"},  # pure rules of the registers: codes, calendars, thresholds (no I/O)
    "casework": {"web"},  # the officer pages
    "notifications": {"templates", "providers"},  # message bodies; SMTP, GOV.UK Notify, PDF
    "returns": {"builders", "reports", "data"},  # return files; report figures and their templates; DfE lists
}
README_SECTIONS = ("What it owns", "API", "Events it emits", "Events it consumes", "Tables")


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_has_the_same_rooms(name: str) -> None:
    folder = ROOT / "services" / name
    missing = [room for room in REQUIRED if not (folder / room).exists()]
    missing += [" or ".join(pair) for pair in EITHER if not any((folder / p).exists() for p in pair)]
    assert not missing, f"services/{name} lacks {missing}"
    extra = sorted(p.name for p in folder.iterdir() if p.name not in COMMON | OWN[name])
    assert not extra, f"services/{name} has rooms the others do not: {extra} (rules go in service/, queries in " \
                      "repository/, HTTP clients in shared/clients/, demo builders in scripts/)"


@pytest.mark.parametrize("name", SERVICES)
def test_every_service_readme_says_what_it_owns_its_api_events_and_tables(name: str) -> None:
    text = (ROOT / "services" / name / "README.md").read_text()
    headings = [line.lstrip("#").strip() for line in text.splitlines() if line.startswith("#")]
    missing = [s for s in README_SECTIONS if not any(h.startswith(s) for h in headings)]
    assert not missing, f"services/{name}/README.md lacks the sections {missing}"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_calls_to_other_services_go_through_the_typed_clients_in_shared() -> None:
    """Only shared/http.py and shared/clients/ speak HTTP; services and workflows use those clients."""
    allowed = {ROOT / "shared" / "http.py"}
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("services", "workflows", "shared")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "migrations" not in path.parts and "clients" not in path.parts and path not in allowed
        and "httpx" in _imports(path)
    ]
    assert not offenders, f"these modules speak HTTP outside shared/clients: {offenders}"
