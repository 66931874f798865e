"""The officer API: scope, officer actions through the journey's update, the decision log, the audit log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest

from shared import clock
from shared.auth import SESSION_COOKIE, Role
from tests.services.casework.conftest import Harness, register_event
from tests.services.casework.form_tokens import form_token

pytestmark = pytest.mark.services

EWO = {"la_code": "999"}
PLAN = {"actions": ["Walk to school with a friend", "Weekly check-in"], "review_date": "2027-01-05"}
NEXT_REVIEW = (clock.today() + timedelta(weeks=2)).isoformat()
PENALTY = {"parent": "parent-1", "absence_period": "2026-09-08 to 2026-11-14"}


async def _opened(harness: Harness, **kwargs: Any) -> UUID:
    event = register_event(**kwargs)
    response = await harness.http.post("/internal/events", json=event, headers=harness.service())
    assert response.status_code == 200, response.text
    return UUID(event["pupil"]["pupil_id"])


async def test_each_role_sees_only_its_scope(harness: Harness) -> None:
    millbrook = await _opened(harness, school_urn="900001", display_name="Mia Millbrook")
    harbour = await _opened(harness, school_urn="900002", display_name="Hal Harbour", looked_after=True)
    elsewhere = await _opened(harness, school_urn="800001", la_code="888", display_name="Eli Elsewhere")

    async def visible(headers: dict[str, str]) -> set[UUID]:
        response = await harness.http.get("/api/v1/cases?limit=200", headers=headers)
        assert response.status_code == 200, response.text
        return {UUID(item["pupil_id"]) for item in response.json()["items"]}

    mine = await visible(harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"]))
    assert millbrook in mine
    assert harbour not in mine
    assert elsewhere not in mine
    la = await visible(harness.as_(Role.LA_EWO, **EWO))
    assert {millbrook, harbour} <= la
    assert elsewhere not in la
    assert await visible(harness.as_(Role.SOCIAL_WORKER, pupil_ids=[harbour])) == {harbour}
    vsh = await visible(harness.as_(Role.VIRTUAL_SCHOOL_HEAD, **EWO))
    assert harbour in vsh
    assert millbrook not in vsh

    for headers in (harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900002"]),
                    harness.as_(Role.SOCIAL_WORKER, pupil_ids=[harbour]),
                    harness.as_(Role.GOVERNOR, school_urns=["900001"]),
                    harness.as_(Role.VIRTUAL_SCHOOL_HEAD, **EWO)):
        response = await harness.http.get(f"/api/v1/cases/{millbrook}", headers=headers)
        assert response.status_code == 403, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "Mia" not in response.text
    governor = await harness.http.get("/api/v1/cases", headers=harness.as_(Role.GOVERNOR, school_urns=["900001"]))
    assert governor.status_code == 403
    assert (await harness.http.get("/api/v1/cases")).status_code == 401


async def test_case_file_degrades_when_register_and_notifications_are_down(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    response = await harness.http.get(f"/api/v1/cases/{pupil_id}", headers=harness.as_(Role.LA_EWO, **EWO))
    assert response.status_code == 200
    body = response.json()
    assert body["case"]["display_name"] == "Ava Example"
    assert body["figures"] is None
    assert body["notifications"] is None
    # Without register the school's LA point of contact cannot be told from the LA-wide one: named as missing.
    assert set(body["unavailable"]) == {"notifications", "figures", "recent marks", "LA point of contact",
                                        "parents' language and format needs"}
    assert body["la_point_of_contact"] is None
    assert body["parents"] is None
    assert body["journey"]["stage"] == "monitoring"
    assert [a["action"] for a in body["journey"]["available_actions"]][:2] == ["open_case", "record_meeting"]
    assert body["timeline"][0]["title"].startswith("Unexplained absence (code N), morning session")


async def test_officer_action_runs_the_update_and_the_projection_lands(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    officer = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"], name="Priya Shah")
    response = await harness.http.post(f"/api/v1/cases/{pupil_id}/actions", headers=officer,
                                       json={"action": "agree_action_plan", "note": "Plan agreed with mum",
                                             "details": PLAN})
    assert response.status_code == 200, response.text
    assert response.json()["stage"] == "formal_support"
    case = (await harness.http.get(f"/api/v1/cases/{pupil_id}", headers=officer)).json()
    assert case["case"]["stage"] == "formal_support"
    assert case["case"]["lead_practitioner"] == "Priya Shah"
    assert case["deadlines"][0]["key"] == "action_plan_review"
    assert any(e["actor"] == "Priya Shah" and e["details"].get("note") == "Plan agreed with mum"
               for e in case["timeline"])


async def test_rejected_step_is_409_with_the_validators_reason(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    response = await harness.http.post(f"/api/v1/cases/{pupil_id}/actions", json={"action": "close_case"},
                                       headers=harness.as_(Role.LA_EWO, **EWO))
    assert response.status_code == 409
    assert response.json()["type"] == "/problems/IllegalStep"
    assert "not possible at the monitoring stage" in response.json()["detail"]


async def test_nobody_out_of_scope_can_act(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    body = {"action": "record_meeting",
            "details": {"attendees": ["parent", "pupil"], "summary": "Agreed a morning check-in"}}
    for headers in (harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900002"]),
                    harness.as_(Role.SOCIAL_WORKER, pupil_ids=[pupil_id]),
                    harness.as_(Role.HEADTEACHER, school_urns=["900002"]),
                    harness.as_(Role.GOVERNOR, school_urns=["900001"])):
        response = await harness.http.post(f"/api/v1/cases/{pupil_id}/actions", json=body, headers=headers)
        assert response.status_code == 403, response.text
    view = (await harness.http.get(f"/api/v1/cases/{pupil_id}", headers=harness.as_(Role.LA_EWO, **EWO))).json()
    assert view["journey"]["state_version"] == 0


async def test_legal_step_needs_a_decision_log_first(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    ewo = harness.as_(Role.LA_EWO, **EWO)
    url = f"/api/v1/cases/{pupil_id}/actions"
    plan = await harness.http.post(url, json={"action": "agree_action_plan", "details": PLAN}, headers=ewo)
    assert plan.status_code == 200, plan.text
    refused = await harness.http.post(url, json={"action": "issue_penalty_notice", "details": PENALTY},
                                      headers=ewo)
    assert refused.status_code == 409
    assert "Record the decision factors" in refused.json()["detail"]
    decision = {"legal_step": "issue_penalty_notice", "support_offered": "Action plan, EWO visits",
                "support_taken_up": False, "send_or_health_needs": "None known", "safeguarding": "None",
                "family_view": "Parents disagree"}
    recorded = await harness.http.post(f"/api/v1/cases/{pupil_id}/decisions", json=decision, headers=ewo)
    assert recorded.status_code == 200, recorded.text
    done = await harness.http.post(url, json={"action": "issue_penalty_notice", "details": PENALTY},
                                   headers=ewo)
    assert done.status_code == 200, done.text
    assert done.json()["stage"] == "legal_intervention"
    case = (await harness.http.get(f"/api/v1/cases/{pupil_id}", headers=ewo)).json()
    assert case["decisions"][0]["used_for_action"] == "issue_penalty_notice"


async def test_reads_and_writes_are_audited_for_the_data_protection_lead(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    ewo = harness.as_(Role.LA_EWO, name="Daniel Price", **EWO)
    await harness.http.get(f"/api/v1/cases/{pupil_id}", headers=ewo)
    meeting = await harness.http.post(
        f"/api/v1/cases/{pupil_id}/actions", headers=ewo,
        json={"action": "record_meeting", "details": {"attendees": ["parent", "pupil"], "summary": "Agreed",
                                                      "next_review_date": NEXT_REVIEW}})
    assert meeting.status_code == 200, meeting.text

    for headers in (ewo, harness.as_(Role.DATA_PROTECTION_LEAD, la_code="888")):
        other = await harness.http.get(f"/api/v1/audit?pupil_id={pupil_id}", headers=headers)
        assert other.status_code == 403 if headers is ewo else other.json()["total"] == 0
    response = await harness.http.get(f"/api/v1/audit?pupil_id={pupil_id}",
                                      headers=harness.as_(Role.DATA_PROTECTION_LEAD, **EWO))
    assert response.status_code == 200, response.text
    entries = [(e["actor_name"], e["access"], e["what"]) for e in response.json()["items"]]
    assert ("Daniel Price", "read", "case_file") in entries
    assert ("Daniel Price", "write", "action:record_meeting") in entries


async def test_unknown_action_body_is_422(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    response = await harness.http.post(f"/api/v1/cases/{pupil_id}/actions", json={"note": "x"},
                                       headers=harness.as_(Role.LA_EWO, **EWO))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "action"


async def test_morning_lists_pick_new_unexplained_absences_and_newly_persistent_absence(harness: Harness) -> None:
    unexplained = await _opened(harness, school_urn="900003")
    persistent = await _opened(harness, school_urn="900003", event_type="became_persistently_absent")
    officer = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900003"])

    async def listed(name: str) -> set[UUID]:
        response = await harness.http.get(f"/api/v1/cases?list={name}", headers=officer)
        assert response.status_code == 200, response.text
        return {UUID(item["pupil_id"]) for item in response.json()["items"]}

    assert await listed("new_unexplained") == {unexplained}
    assert await listed("newly_pa_sa") == {persistent}
    assert await listed("") == {unexplained, persistent}
    assert (await harness.http.get("/api/v1/cases?list=everything", headers=officer)).status_code == 422


async def test_tsm_pack_lists_the_schools_at_risk_and_absent_pupils_severest_first(harness: Harness) -> None:
    at_risk = await _opened(harness, display_name="Ari At-risk")
    persistent = await _opened(harness, display_name="Pia Persistent")
    await _opened(harness, display_name="Mo Monitoring")
    for pupil, stage in ((at_risk, "at_risk"), (persistent, "persistent_absence")):
        projection = {"pupil_id": str(pupil), "workflow_id": f"journey-{pupil}", "state_version": 5,
                      "stage": stage, "status": "open",
                      "deadlines": [{"key": "meeting", "title": "Hold the attendance meeting",
                                     "due_date": "2026-12-01"}]}
        response = await harness.http.post(f"/internal/cases/{pupil}/projection", json=projection,
                                           headers=harness.service("journey-worker"))
        assert response.status_code == 200, response.text

    pack = await harness.http.get("/api/v1/schools/900001/tsm-pack",
                                  headers=harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"]))
    assert pack.status_code == 200, pack.text
    rows = pack.json()["rows"]
    assert [r["case"]["display_name"] for r in rows] == ["Pia Persistent", "Ari At-risk"]
    assert [r["stage_label"] for r in rows] == ["Persistent absence", "At risk of persistent absence"]
    assert rows[0]["next_step"]["title"] == "Hold the attendance meeting"
    for headers in (harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900002"]),
                    harness.as_(Role.GOVERNOR, school_urns=["900001"])):
        refused = await harness.http.get("/api/v1/schools/900001/tsm-pack", headers=headers)
        assert refused.status_code == 403


async def test_search_by_name_is_a_post_and_stays_within_scope(harness: Harness) -> None:
    mia = await _opened(harness, school_urn="900001", display_name="Mia Searchable")
    other = await _opened(harness, school_urn="900002", display_name="Max Searchable")
    officer = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])

    found = await harness.http.post("/api/v1/cases/search", json={"name": "searchABLE"}, headers=officer)
    assert found.status_code == 200, found.text
    assert {UUID(item["pupil_id"]) for item in found.json()["items"]} == {mia}
    la = await harness.http.post("/api/v1/cases/search", json={"name": "Searchable"},
                                 headers=harness.as_(Role.LA_EWO, **EWO))
    assert {mia, other} <= {UUID(item["pupil_id"]) for item in la.json()["items"]}
    too_short = await harness.http.post("/api/v1/cases/search", json={"name": "M"}, headers=officer)
    assert too_short.status_code == 422
    assert too_short.json()["errors"][0]["field"] == "name"

    # The UI's search form posts the name too (the session cookie carries the same token).
    harness.http.cookies.update({SESSION_COOKIE: officer["Authorization"].removeprefix("Bearer ")})
    try:
        token = form_token(await harness.http.get("/cases"), "/cases/search")
        page = await harness.http.post("/cases/search", data={"name": "Searchable", "csrf_token": token})
    finally:
        harness.http.cookies.clear()
    assert page.status_code == 200
    assert "Mia Searchable" in page.text
    assert "Max Searchable" not in page.text
