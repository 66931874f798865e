"""On the running system, a child who leaves one school of the LA for another keeps one case file: the journey
that began at Millbrook goes on at Harbour View with its history and support, the new school's register events
reach it, Harbour View works on it, and Millbrook may still read what it recorded but take no step."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from scripts.embedded import EmbeddedSystem
from services.register.domain.upn import make_upn
from shared import clock
from shared.auth import Role
from shared.contracts.journey import journey_workflow_id
from shared.settings import PlatformSettings
from tests.support.identities import bearer, token_for
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

SETTINGS = PlatformSettings(environment="test")
SOCIAL_WORKER_EMAIL = "h.carter@northshire-childrens.example.gov"
MILLBROOK, HARBOUR = "900001", "900002"
SUPPORT = {"what": "Weekly mentoring", "provider": "School pastoral team",
           "start_date": (clock.today() - timedelta(days=20)).isoformat(), "response": "declined"}


def officer(urn: str) -> dict[str, str]:
    return bearer(token_for(SETTINGS, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[urn], name=f"Officer {urn}"))


def admit(system: EmbeddedSystem, urn: str, upn: str, admitted: date) -> str:
    response = httpx.post(f"{system.config.url('register')}/api/v1/schools/{urn}/pupils", headers=officer(urn), json={
        "upn": upn, "legal_forename": "Moss", "legal_surname": "Mover", "date_of_birth": "2014-02-11", "sex": "M",
        "year_group": "7", "address": "3 Canal Row, Northshire", "admission_date": admitted.isoformat(),
        "parents": [{"name": "Lee Mover", "relationship": "Father", "email": "lee.mover@example.org",
                     "parental_responsibility": True, "lives_with_pupil": True}],
        "social_worker": {"name": "Helen Carter", "email": SOCIAL_WORKER_EMAIL}}, timeout=30)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def case_of(system: EmbeddedSystem, pupil_id: str, headers: dict[str, str]) -> dict[str, Any] | None:
    response = httpx.get(f"{system.config.url('casework')}/api/v1/cases/{pupil_id}", headers=headers, timeout=15)
    return response.json() if response.status_code == 200 else None


def act(system: EmbeddedSystem, pupil_id: str, headers: dict[str, str], action: str,
        details: dict[str, Any]) -> httpx.Response:
    return httpx.post(f"{system.config.url('casework')}/api/v1/cases/{pupil_id}/actions", headers=headers,
                      json={"action": action, "details": details}, timeout=60)


def mark_latest_school_day(system: EmbeddedSystem, pupil_id: str, urn: str, code: str, since: date) -> date:
    """Today, or the school day before it since the admission, whatever day the suite runs on."""
    day = clock.today()
    while day >= since:
        response = httpx.post(
            f"{system.config.url('register')}/api/v1/schools/{urn}/sessions/{day.isoformat()}/AM/marks",
            json={"marks": [{"pupil_id": pupil_id, "code": code}]}, headers=officer(urn), timeout=30)
        if response.status_code == 200:
            return day
        assert response.status_code == 422, response.text
        day -= timedelta(days=1)
    raise AssertionError("no school day since the admission")


def test_the_case_follows_the_pupil_to_another_school(system: EmbeddedSystem) -> None:
    upn = make_upn("999", "4002", "26", uuid.uuid4().int % 1000)
    first = admit(system, MILLBROOK, upn, clock.today() - timedelta(days=80))
    millbrook = officer(MILLBROOK)
    # The journey answers for itself once its worker has taken its first task (busy while the demo loads).
    wait_for(lambda: (case := case_of(system, first, millbrook)) is not None and case["journey"] is not None,
             timeout=120)
    recorded = act(system, first, millbrook, "record_support", SUPPORT)
    assert recorded.status_code == 200, recorded.text

    moved_on = clock.today() - timedelta(days=45)
    later = admit(system, HARBOUR, upn, moved_on)
    deletion = httpx.post(f"{system.config.url('register')}/api/v1/pupils/{first}/deletions", headers=millbrook,
                          json={"ground": "9(1)(a)", "deletion_date": clock.today().isoformat(),
                                "details": f"Admitted to school {HARBOUR}"}, timeout=30)
    assert deletion.status_code == 201, deletion.text

    harbour = officer(HARBOUR)
    case = wait_for(lambda: (c := case_of(system, later, harbour)) and c["case"]["pupil_id"] == first and c,
                    timeout=60)
    assert case["case"]["school_urn"] == HARBOUR
    assert [s["school_urn"] for s in case["schools"]] == [MILLBROOK, HARBOUR]
    assert any(e["kind"] == "record_support" for e in case["timeline"])  # Millbrook's support record came along

    # The new school's register reaches the same journey, and the new school takes the next step on it.
    marked = mark_latest_school_day(system, later, HARBOUR, "N", moved_on)

    def absence_on_the_case() -> bool:
        found = case_of(system, later, harbour)
        return found is not None and any(
            e["kind"] == "register_event" and e["title"].startswith("Unexplained absence")
            and e["details"].get("session_date") == marked.isoformat() for e in found["timeline"])

    wait_for(absence_on_the_case, timeout=60)
    step = act(system, later, harbour, "record_support_inappropriate",
               {"reason": "The family has just moved; support starts at the new school"})
    assert step.status_code == 200, step.text
    assert step.json()["workflow_id"] == journey_workflow_id(first)

    # Millbrook reads what it recorded, read only.
    earlier = case_of(system, first, millbrook)
    assert earlier is not None
    assert earlier["read_only_until"] is not None
    assert earlier["permitted_actions"] == []
    kinds = [e["kind"] for e in earlier["timeline"]]
    assert "record_support" in kinds
    assert "record_support_inappropriate" not in kinds
    refused = act(system, first, millbrook, "record_support", SUPPORT)
    assert refused.status_code == 403, refused.text
    assert "moved on from your school" in refused.json()["detail"]
