"""The case file follows the child: a later admission of the same child in the LA continues the earlier case (the
same journey), the new school gains it and the earlier school keeps read-only access to what it recorded."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from shared import clock
from shared.auth import SESSION_COOKIE, Role
from shared.contracts.journey import journey_workflow_id
from tests.services.casework.conftest import Harness, register_event
from tests.support.identities import token_for

pytestmark = pytest.mark.services

MILLBROOK, HARBOUR = "900001", "900002"


async def _post(harness: Harness, event: dict[str, Any]) -> dict[str, Any]:
    response = await harness.http.post("/internal/events", json=event, headers=harness.service())
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _signed_in(harness: Harness, urn: str) -> dict[str, str]:
    token = token_for(harness.platform, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[urn])
    return {"Cookie": f"{SESSION_COOKIE}={token}"}


def _admitted(pupil_id: UUID, school_urn: str, earlier: list[UUID], la_code: str = "999") -> dict[str, Any]:
    event = register_event(pupil_id, school_urn=school_urn, la_code=la_code, event_type="pupil_admitted",
                           has_social_worker=False)
    event.update(session_date=None, session=None, code=None, details={
        "admission_date": clock.today().isoformat(), "school_urn": school_urn,
        "earlier_admissions": [{"pupil_id": str(p), "school_urn": MILLBROOK, "leaving_date": None} for p in earlier]})
    return event


async def _moved(harness: Harness) -> tuple[UUID, UUID]:
    """A pupil with a case at Millbrook, then admitted to Harbour View."""
    first, later = uuid4(), uuid4()
    await _post(harness, register_event(first, school_urn=MILLBROOK, event_type="became_persistently_absent"))
    receipt = await _post(harness, _admitted(later, HARBOUR, [first]))
    assert receipt["workflow_id"] == journey_workflow_id(first)
    return first, later


async def test_a_later_admission_continues_the_case_and_its_journey(harness: Harness) -> None:
    first, later = await _moved(harness)
    absence = await _post(harness, register_event(later, school_urn=HARBOUR))

    # Every event of the new admission reaches the journey that began at the first school.
    assert absence["workflow_id"] == journey_workflow_id(first)
    facts = await harness.fact_ids(first)
    assert absence["event_id"] in facts
    assert len(facts) == 3
    harbour = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[HARBOUR])
    cases = (await harness.http.get("/api/v1/cases?limit=200", headers=harbour)).json()["items"]
    assert [c["pupil_id"] for c in cases if c["pupil_id"] in (str(first), str(later))] == [str(first)]
    # The new admission's id finds the same case file, which is now Harbour View's.
    for pupil_id in (first, later):
        view = await harness.http.get(f"/api/v1/cases/{pupil_id}", headers=harbour)
        assert view.status_code == 200, view.text
        body = view.json()
        assert (body["case"]["pupil_id"], body["case"]["school_urn"]) == (str(first), HARBOUR)
        assert body["read_only_until"] is None
        assert [s["school_urn"] for s in body["schools"]] == [MILLBROOK, HARBOUR]
        assert body["schools"][0]["left_at"] is not None
        assert body["schools"][1]["left_at"] is None
    titles = [e["title"] for e in body["timeline"]]
    assert f"The case followed the pupil from school {MILLBROOK} to school {HARBOUR}" in titles


async def test_a_repeated_admission_event_links_once(harness: Harness) -> None:
    first, later = uuid4(), uuid4()
    await _post(harness, register_event(first, school_urn=MILLBROOK, event_type="became_persistently_absent"))
    admitted = _admitted(later, HARBOUR, [first])
    assert (await _post(harness, admitted))["duplicate"] is False
    again = await _post(harness, admitted)
    assert (again["duplicate"], again["workflow_id"]) == (True, journey_workflow_id(first))
    harbour = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[HARBOUR])
    body = (await harness.http.get(f"/api/v1/cases/{first}", headers=harbour)).json()
    assert len(body["schools"]) == 2


async def test_the_earlier_school_reads_what_it_recorded_and_takes_no_step(harness: Harness) -> None:
    first, later = await _moved(harness)
    after_the_move = register_event(later, school_urn=HARBOUR)
    after_the_move["occurred_at"] = (clock.now() + timedelta(minutes=5)).isoformat()
    await _post(harness, after_the_move)
    millbrook = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[MILLBROOK])

    view = await harness.http.get(f"/api/v1/cases/{first}", headers=millbrook)
    assert view.status_code == 200, view.text
    body = view.json()
    assert body["read_only_until"] is not None
    assert body["journey"] is None
    assert body["figures"] is None
    assert body["permitted_actions"] == []
    keys = {e["entry_key"] for e in body["timeline"]}
    assert f"event:{after_the_move['event_id']}" not in keys  # the new school's record, after the move
    assert any(e["title"].startswith("Became persistently absent") for e in body["timeline"])

    step = await harness.http.post(f"/api/v1/cases/{first}/actions", headers=millbrook,
                                   json={"action": "record_meeting", "details": {"attendees": ["parent"],
                                                                                  "summary": "Talked"}})
    assert step.status_code == 403, step.text
    assert "moved on from your school" in step.json()["detail"]
    # Nor does the earlier school see it among its cases any more.
    cases = (await harness.http.get("/api/v1/cases?limit=200", headers=millbrook)).json()["items"]
    assert str(first) not in [c["pupil_id"] for c in cases]
    # A school the pupil never attended still sees nothing.
    other = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900003"])
    assert (await harness.http.get(f"/api/v1/cases/{first}", headers=other)).status_code == 403


async def test_a_social_worker_allocated_the_new_admission_sees_the_case(harness: Harness) -> None:
    first, later = await _moved(harness)
    worker = harness.as_(Role.SOCIAL_WORKER, pupil_ids=[later])
    listed = (await harness.http.get("/api/v1/cases?limit=200", headers=worker)).json()["items"]
    assert [c["pupil_id"] for c in listed] == [str(first)]
    assert (await harness.http.get(f"/api/v1/cases/{first}", headers=worker)).status_code == 200


async def test_an_admission_in_another_la_starts_its_own_case(harness: Harness) -> None:
    first, elsewhere = uuid4(), uuid4()
    await _post(harness, register_event(first, school_urn=MILLBROOK, event_type="became_persistently_absent"))
    receipt = await _post(harness, _admitted(elsewhere, "800001", [first], la_code="888"))
    assert receipt["workflow_id"] == journey_workflow_id(elsewhere)


async def test_malformed_earlier_admissions_are_ignored(harness: Harness) -> None:
    pupil = uuid4()
    event = _admitted(pupil, HARBOUR, [])
    event["details"]["earlier_admissions"] = [{"pupil_id": "not-a-uuid"}, "junk", {"pupil_id": str(uuid4())}]
    assert (await _post(harness, event))["workflow_id"] == journey_workflow_id(pupil)


async def test_the_case_page_tells_the_earlier_school_it_reads_only(harness: Harness) -> None:
    first, _ = await _moved(harness)
    page = await harness.http.get(f"/cases/{first}", headers=_signed_in(harness, MILLBROOK))
    assert page.status_code == 200, page.text
    assert "This pupil moved on from your school on" in page.text
    assert "Record a step" not in page.text
    assert "Next steps" not in page.text
    page = await harness.http.get(f"/cases/{first}", headers=_signed_in(harness, HARBOUR))
    assert page.status_code == 200, page.text
    assert "moved on from your school" not in page.text
    assert "Schools on this case" in page.text
    assert "Next steps" in page.text
