"""The journey's projection: applied only when newer; timeline entries inserted once per key."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import pytest

from shared.auth import Role
from tests.services.casework.conftest import Harness, register_event

pytestmark = pytest.mark.services


def projection(pupil_id: UUID, version: int, stage: str, *entries: str, **extra: Any) -> dict[str, Any]:
    return {"pupil_id": str(pupil_id), "workflow_id": f"journey-{pupil_id}", "state_version": version,
            "stage": stage, "status": "open", "lead_practitioner": extra.get("lead"),
            "deadlines": extra.get("deadlines", []),
            "new_entries": [{"entry_key": key, "kind": "officer_action", "title": f"Entry {key}",
                             "occurred_at": "2026-11-24T10:00:00Z", "actor": "Daniel Price"} for key in entries]}


async def _opened(harness: Harness) -> UUID:
    event = register_event()
    assert (await harness.http.post("/internal/events", json=event, headers=harness.service())).status_code == 200
    return UUID(event["pupil"]["pupil_id"])


async def _case(harness: Harness, pupil_id: UUID) -> dict[str, Any]:
    response = await harness.http.get(f"/api/v1/cases/{pupil_id}", headers=harness.as_(Role.LA_EWO, la_code="999"))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_newer_projection_applies_and_older_changes_nothing(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    url = f"/internal/cases/{pupil_id}/projection"
    deadline = [{"key": "review", "title": "Review the action plan", "due_date": "2027-01-05"}]
    newer = await harness.http.post(url, json=projection(pupil_id, 3, "formal_support", "a", lead="Daniel Price",
                                                         deadlines=deadline), headers=harness.service("journey-worker"))
    older = await harness.http.post(url, json=projection(pupil_id, 2, "at_risk", "b"),
                                    headers=harness.service("journey-worker"))
    equal = await harness.http.post(url, json=projection(pupil_id, 3, "closed"),
                                    headers=harness.service("journey-worker"))

    assert newer.status_code == older.status_code == equal.status_code == 200
    for response in (newer, older, equal):
        assert response.json()["state_version"] == 3
        assert response.json()["stage"] == "formal_support"
    case = await _case(harness, pupil_id)
    assert case["case"]["stage"] == "formal_support"
    assert case["case"]["lead_practitioner"] == "Daniel Price"
    assert case["case"]["next_deadline_date"] == "2027-01-05"
    assert case["deadlines"] == deadline
    # An older projection's entries are history all the same: they are kept, once.
    assert sorted(e["entry_key"] for e in case["timeline"] if e["kind"] == "officer_action") == ["a", "b"]


async def test_repeated_projection_inserts_nothing(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    url = f"/internal/cases/{pupil_id}/projection"
    body = projection(pupil_id, 1, "at_risk", "x", "y")
    for _ in range(3):
        assert (await harness.http.post(url, json=body, headers=harness.service("journey-worker"))).status_code == 200
    case = await _case(harness, pupil_id)
    assert [e["entry_key"] for e in case["timeline"]].count("x") == 1
    assert len(case["timeline"]) == 3  # the register event and x and y


async def test_projection_for_a_pupil_register_cannot_describe_is_retryable(harness: Harness) -> None:
    """No case file yet and register unreachable: 503 so the journey's activity retries."""
    from uuid import uuid4

    pupil_id = uuid4()
    response = await harness.http.post(f"/internal/cases/{pupil_id}/projection",
                                       json=projection(pupil_id, 1, "at_risk"),
                                           headers=harness.service("journey-worker"))
    assert response.status_code == 503


async def test_projection_path_and_body_must_agree(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    other = await _opened(harness)
    response = await harness.http.post(f"/internal/cases/{pupil_id}/projection",
                                       json=projection(other, 1, "at_risk"), headers=harness.service("journey-worker"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "pupil_id"


async def test_projection_endpoint_is_for_services_only(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    response = await harness.http.post(f"/internal/cases/{pupil_id}/projection",
                                       json=projection(pupil_id, 9, "closed"),
                                       headers=harness.as_(Role.LA_EWO, la_code="999"))
    assert response.status_code == 403
