"""The journey's rule modules are passed through the workflow sandbox (workflow.py says why): a journey run loads
only the workflow module afresh, and what is passed through stays deterministic."""

from __future__ import annotations

import ast
import json
from importlib.machinery import SourceFileLoader
from pathlib import Path
from types import ModuleType

import pytest
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

import workflows.journey
from tests.workflows.journey.histories import HISTORIES
from workflows.journey.workflow import PupilJourney

JOURNEY = Path(workflows.journey.__file__).parent
# Loaded afresh for every run (the sandbox isolates the workflow's own module), or never imported by the workflow.
NOT_PASSED_THROUGH = {"__init__.py", "workflow.py", "activities.py"}
# What a passed-through module may import: nothing that reads a clock, randomness, the environment or the network.
PURE_IMPORTS = ("__future__", "calendar", "collections.abc", "dataclasses", "datetime", "decimal", "enum",
                "functools", "re", "typing", "uuid.UUID", "pydantic", "temporalio", "holidays.countries.united_kingdom",
                "shared.contracts", "workflows.journey")
CLOCK_READS = {"now", "today", "utcnow"}


def _passed_through() -> list[Path]:
    return sorted(p for p in JOURNEY.glob("*.py") if p.name not in NOT_PASSED_THROUGH)


def _imported(tree: ast.AST) -> list[str]:
    """Every name imported, in full (`from uuid import UUID` is uuid.UUID)."""
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _within(name: str, module: str) -> bool:
    return name == module or name.startswith(f"{module}.")


def _is_pure(name: str) -> bool:
    if any(_within(name, m) for m in ("workflows.journey.workflow", "workflows.journey.activities")):
        return False
    if _within(name, "temporalio"):
        return _within(name, "temporalio.workflow")
    return any(_within(name, allowed) for allowed in PURE_IMPORTS)


@pytest.mark.unit
@pytest.mark.parametrize("path", _passed_through(), ids=lambda p: p.stem)
def test_a_passed_through_module_reads_no_clock_randomness_environment_or_network(path: Path) -> None:
    tree = ast.parse(path.read_text())
    assert [m for m in _imported(tree) if not _is_pure(m)] == []
    clock_reads = [ast.unparse(n) for n in ast.walk(tree)
                   if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in CLOCK_READS]
    assert clock_reads == [], "the workflow hands rule modules the time (workflow.now), they never read a clock"
    assert not any(isinstance(n, ast.Global) for n in ast.walk(tree)), "no module state a run could change"


@pytest.mark.workflows
async def test_a_journey_run_loads_only_its_workflow_module_into_the_sandbox(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Replaying a journey creates a sandboxed run as a worker does for a new journey."""
    loaded: list[str] = []
    exec_module = SourceFileLoader.exec_module

    def recording(loader: SourceFileLoader, module: ModuleType) -> None:
        loaded.append(module.__name__)
        exec_module(loader, module)

    monkeypatch.setattr(SourceFileLoader, "exec_module", recording)
    path = sorted(HISTORIES.glob("*.json"))[0]
    history = WorkflowHistory.from_json(path.stem, json.loads(path.read_text()))
    replayer = Replayer(workflows=[PupilJourney], data_converter=pydantic_data_converter)
    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None
    assert "workflows.journey.workflow" in loaded  # the sandbox did load the run's own module afresh
    # Once when the replayer checks the workflow, once for the run.
    assert {m for m in loaded if m.startswith(("workflows.journey.", "shared."))} == {"workflows.journey.workflow"}
