"""Today's workflow code replays stored journey histories (and a fresh one) without non-determinism."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Replayer

from services.notifications.service.rendering import TemplateRenderer
from tests.workflows.journey.histories import (
    HISTORIES,
    adapted_path,
    children_missing_education,
    improvement_and_closure,
    lawful_pathway,
    severe_absence,
)
from tests.workflows.journey.support import FakeServices
from workflows.journey.workflow import (
    PATCH_ADAPTED_PATH,
    PATCH_ATTENDANCE_LEAD_ON_LAPSE,
    PATCH_CHILDREN_MISSING_EDUCATION,
    PATCH_LAWFUL_PATHWAY,
    PATCH_LOCAL_FIRST,
    PATCH_SEVERE_ABSENCE_JOINT,
    PupilJourney,
)

pytestmark = pytest.mark.workflows


def _stored() -> list[Path]:
    return sorted(HISTORIES.glob("*.json"))


def _replayer() -> Replayer:
    return Replayer(workflows=[PupilJourney], data_converter=pydantic_data_converter)


def test_histories_are_stored() -> None:
    assert _stored(), "run `uv run python -m tests.workflows.journey.histories` and commit the JSON"


def _patch_ids(history: WorkflowHistory) -> list[bytes]:
    markers = [e.marker_recorded_event_attributes for e in history.events
               if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED]
    return [p.data for m in markers for payloads in m.details.values() for p in payloads.payloads]


def _load(name: str) -> WorkflowHistory:
    path = HISTORIES / f"{name}.json"
    return WorkflowHistory.from_json(path.stem, json.loads(path.read_text()))


def test_the_stored_histories_straddle_the_lawful_pathway_patch() -> None:
    """One history recorded before the patch (its runs keep the old rules), one after."""
    assert not any(PATCH_LAWFUL_PATHWAY.encode() in data for data in _patch_ids(_load("improvement_and_closure")))
    assert any(PATCH_LAWFUL_PATHWAY.encode() in data for data in _patch_ids(_load("lawful_pathway")))


@pytest.mark.parametrize("path", _stored(), ids=lambda p: p.stem)
async def test_stored_history_replays(path: Path) -> None:
    history = WorkflowHistory.from_json(path.stem, json.loads(path.read_text()))
    result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None


async def test_a_fresh_journey_replays_and_records_its_patch(journey_env: WorkflowEnvironment) -> None:
    fakes = FakeServices()
    history = await improvement_and_closure(journey_env, fakes)
    result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None
    patch_ids = _patch_ids(history)
    assert any(PATCH_ATTENDANCE_LEAD_ON_LAPSE.encode() in data for data in patch_ids)
    assert any(PATCH_LAWFUL_PATHWAY.encode() in data for data in patch_ids)
    # Every letter carries what its template needs (notifications answers 422 otherwise).
    renderer = TemplateRenderer()
    assert {r.template for r in fakes.sent.values()} >= {
        "unexplained_absence_social_worker", "first_day_absence_parent", "traffic_light_letter_parent",
        "action_plan_parent", "escalation_ewo", "deadline_lapsed_attendance_lead", "attendance_contract_parent",
        "penalty_notice_parent", "improvement_praise_parent"}
    for request in fakes.sent.values():
        missing = set(renderer.required_context(request.template)) - set(request.context)
        assert not missing, f"{request.template} lacks {sorted(missing)}"


async def test_a_fresh_lawful_pathway_journey_replays(journey_env: WorkflowEnvironment) -> None:
    fakes = FakeServices()
    history = await lawful_pathway(journey_env, fakes)
    result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None
    assert fakes.calendar_reads
    assert "penalty_notice_parent" in fakes.templates()


def test_the_severe_absence_history_recorded_the_joint_approach_patch() -> None:
    """Recorded after the patch; the older histories have no severely absent pupil, so they never ask."""
    assert any(PATCH_SEVERE_ABSENCE_JOINT.encode() in data for data in _patch_ids(_load("severe_absence")))
    assert not any(PATCH_SEVERE_ABSENCE_JOINT.encode() in data for data in _patch_ids(_load("lawful_pathway")))


async def test_a_fresh_severe_absence_journey_replays(journey_env: WorkflowEnvironment) -> None:
    fakes = FakeServices()
    history = await severe_absence(journey_env, fakes)
    result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None
    assert {"severe_absence_la_contact", "notice_to_improve_parent", "escalation_ewo"} <= set(fakes.templates())
    assert fakes.sent[next(k for k, r in fakes.sent.items() if r.template == "notice_to_improve_parent")].context[
        "signatory"]["organisation"] == "Northshire County Council"


def test_only_the_cme_history_recorded_the_children_missing_education_patch() -> None:
    """Recorded after the patch; the older histories gave no CME reason, so they never ask."""
    assert any(PATCH_CHILDREN_MISSING_EDUCATION.encode() in data
               for data in _patch_ids(_load("children_missing_education")))
    for older in ("improvement_and_closure", "lawful_pathway", "severe_absence"):
        assert not any(PATCH_CHILDREN_MISSING_EDUCATION.encode() in data for data in _patch_ids(_load(older)))


async def test_a_fresh_children_missing_education_journey_replays(journey_env: WorkflowEnvironment) -> None:
    fakes = FakeServices()
    history = await children_missing_education(journey_env, fakes)
    result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None
    assert {"cme_concern_la_officer", "escalation_ewo"} <= set(fakes.templates())
    assert sum(r.template == "cme_concern_la_officer" for r in fakes.sent.values()) == 1


def test_only_the_adapted_path_history_recorded_the_adapted_path_patch() -> None:
    """Recorded after the patch; the older histories' legal steps asked during their replay, found no marker, and
    keep the older rules (a generic adjustments-and-partners check, an outcome without dates)."""
    assert any(PATCH_ADAPTED_PATH.encode() in data for data in _patch_ids(_load("adapted_path")))
    for older in ("improvement_and_closure", "lawful_pathway", "severe_absence", "children_missing_education"):
        assert not any(PATCH_ADAPTED_PATH.encode() in data for data in _patch_ids(_load(older)))


async def test_a_fresh_adapted_path_journey_replays(journey_env: WorkflowEnvironment) -> None:
    fakes = FakeServices()
    history = await adapted_path(journey_env, fakes)
    result = await _replayer().replay_workflow(history, raise_on_replay_failure=False)
    assert result.replay_failure is None
    assert any(e.kind == "escalation" and "parenting order" in e.title for e in fakes.entries())


def test_only_the_local_first_history_recorded_the_local_first_patch() -> None:
    """Recorded after the patch: its calendar reads and case records are local activities (markers), where the
    older histories, which replay with their activities, have activity tasks."""
    newer = _load("adapted_path_local_first")
    assert any(PATCH_LOCAL_FIRST.encode() in data for data in _patch_ids(newer))
    assert not any(e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
                   and e.activity_task_scheduled_event_attributes.activity_type.name != "notify"
                   for e in newer.events)
    for older in ("improvement_and_closure", "lawful_pathway", "severe_absence", "children_missing_education",
                  "adapted_path"):
        assert not any(PATCH_LOCAL_FIRST.encode() in data for data in _patch_ids(_load(older)))
