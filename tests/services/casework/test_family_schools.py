"""Whole-family view, school page and letter previews through the API, with fake register and notifications:
scope decides who is listed, who is only counted and who is refused."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from shared.auth import Role, service_token
from shared.clients.notifications import NotificationsClient
from shared.clients.register import RegisterClient
from shared.contracts.notifications import PreviewRequest
from shared.contracts.register import PupilSummary
from tests.services.casework.conftest import Harness, register_event
from tests.services.casework.fakes import fake_notifications, fake_register, summary_for

pytestmark = pytest.mark.services

EWO = {"la_code": "999"}


async def _opened(harness: Harness, pupil_id: UUID, **kwargs: Any) -> UUID:
    event = register_event(pupil_id, **kwargs)
    response = await harness.http.post("/internal/events", json=event, headers=harness.service())
    assert response.status_code == 200, response.text
    return pupil_id


async def project(harness: Harness, pupil_id: UUID, stage: str) -> None:
    """The journey's projection moving the case on (the fake journey stays at monitoring on events)."""
    projection = {"pupil_id": str(pupil_id), "workflow_id": f"journey-{pupil_id}", "state_version": 10**9,
                  "stage": stage, "status": "open",
                  "deadlines": [{"key": "action_plan_review", "title": "Review the plan", "due_date": "2027-01-05"}]}
    response = await harness.http.post(f"/internal/cases/{pupil_id}/projection", json=projection,
                                       headers=harness.service("journey-worker"))
    assert response.status_code == 200, response.text


def use_fakes(harness: Harness, pupils: dict[UUID, PupilSummary],
              families: dict[UUID, list[PupilSummary]] | None = None) -> list[PreviewRequest]:
    previews: list[PreviewRequest] = []
    token = service_token("casework", "register", harness.platform)
    cw = harness.app.state.casework
    cw.register = RegisterClient("http://register", token, transport=httpx.ASGITransport(
        app=fake_register(pupils, {}, families)))
    cw.notifications = NotificationsClient("http://notifications", token,
                                           transport=httpx.ASGITransport(app=fake_notifications(previews)))
    return previews


async def _family(harness: Harness) -> tuple[UUID, UUID, UUID]:
    """Ava (Millbrook, case), her brother Ben (Millbrook, persistent absence case), sister Cara (Harbour View)."""
    ava, ben, cara = uuid4(), uuid4(), uuid4()
    await _opened(harness, ava, display_name="Ava Family")
    await _opened(harness, ben, display_name="Ben Family", event_type="became_persistently_absent")
    await project(harness, ben, "persistent_absence")
    pupils = {ava: summary_for(ava, name="Ava Family"), ben: summary_for(ben, name="Ben Family"),
              cara: summary_for(cara, school_urn="900002", name="Cara Family")}
    use_fakes(harness, pupils, {ava: [pupils[ben], pupils[cara]], ben: [pupils[ava], pupils[cara]]})
    return ava, ben, cara


async def test_family_needs_register(harness: Harness) -> None:
    ava = await _opened(harness, uuid4())
    response = await harness.http.get(f"/api/v1/cases/{ava}/family", headers=harness.as_(Role.LA_EWO, **EWO))
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_school_officer_sees_siblings_elsewhere_only_as_a_count(harness: Harness) -> None:
    ava, ben, cara = await _family(harness)
    officer = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    response = await harness.http.get(f"/api/v1/cases/{ava}/family", headers=officer)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [m["display_name"] for m in body["members"]] == ["Ben Family"]
    assert body["members"][0]["case"]["stage"] == "persistent_absence"
    assert body["members"][0]["figures"]["attendance_rate"] == "88.0"
    assert body["outside_access"] == 1
    assert "Cara" not in response.text
    assert str(cara) not in response.text

    la = (await harness.http.get(f"/api/v1/cases/{ava}/family", headers=harness.as_(Role.LA_EWO, **EWO))).json()
    assert {m["display_name"] for m in la["members"]} == {"Ben Family", "Cara Family"}
    assert la["outside_access"] == 0
    cara_line = next(m for m in la["members"] if m["display_name"] == "Cara Family")
    assert cara_line["case"] is None
    assert cara_line["school_urn"] == "900002"


async def test_family_is_refused_outside_the_pupils_scope_and_audited(harness: Harness) -> None:
    ava, ben, _ = await _family(harness)
    for headers in (harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900002"]),
                    harness.as_(Role.GOVERNOR, school_urns=["900001"]),
                    harness.as_(Role.SOCIAL_WORKER, pupil_ids=[ben])):
        response = await harness.http.get(f"/api/v1/cases/{ava}/family", headers=headers)
        assert response.status_code == 403, response.text
        assert "Family" not in response.text
    # A social worker allocated to Ava sees Ava's family only as a count.
    worker = await harness.http.get(f"/api/v1/cases/{ava}/family",
                                    headers=harness.as_(Role.SOCIAL_WORKER, pupil_ids=[ava]))
    assert worker.json()["members"] == []
    assert worker.json()["outside_access"] == 2
    assert (await harness.http.get(f"/api/v1/cases/{uuid4()}/family",
                                   headers=harness.as_(Role.LA_EWO, **EWO))).status_code == 404
    await harness.http.get(f"/api/v1/cases/{ava}/family", headers=harness.as_(Role.LA_EWO, **EWO, name="Eve W"))
    audit = (await harness.http.get("/api/v1/audit?limit=200",
                                    headers=harness.as_(Role.DATA_PROTECTION_LEAD, **EWO))).json()["items"]
    reads = {(a["what"], a["pupil_id"]) for a in audit if a["actor_name"] == "Eve W"}
    assert ("family", str(ava)) in reads
    assert ("family_member", str(ben)) in reads


async def test_school_summary_scope_and_governors_see_no_names(harness: Harness) -> None:
    ava, ben, _ = await _family(harness)
    governor = await harness.http.get("/api/v1/schools/900001/summary",
                                      headers=harness.as_(Role.GOVERNOR, school_urns=["900001"]))
    assert governor.status_code == 200, governor.text
    body = governor.json()
    assert body["name"] == "Millbrook Primary School"
    assert body["overall"]["pupils"] == 40
    assert body["overall"]["persistent_absence_rate"] == "15.0"
    assert [g["group"] for g in body["by_year_group"]] == ["4", "5"]
    assert "sen" in body["cohorts"]
    assert "year_group" not in body["cohorts"]
    assert body["open_cases_by_stage"] == {"monitoring": 1, "persistent_absence": 1}
    assert body["persistent_absentees"] == []
    assert body["pupil_names_shown"] is False
    ehcp = body["cohorts"]["sen"][0]
    assert ehcp["suppressed"] is True  # 3 pupils: too few to show to someone who sees figures only
    assert ehcp["pupils"] == 0
    assert ehcp["attendance_rate"] is None
    assert "Family" not in governor.text

    officer = await harness.http.get("/api/v1/schools/900001/summary",
                                     headers=harness.as_(Role.HEADTEACHER, school_urns=["900001"]))
    assert officer.status_code == 200
    assert officer.json()["cohorts"]["sen"][0]["pupils"] == 3
    named = {p["display_name"]: p["stage"] for p in officer.json()["persistent_absentees"]}
    assert named == {"Ava Family": "monitoring", "Ben Family": "persistent_absence"}

    for headers in (harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900002"]),
                    harness.as_(Role.GOVERNOR, school_urns=["900002"]),
                    harness.as_(Role.SOCIAL_WORKER, pupil_ids=[ava]),
                    harness.as_(Role.LA_EWO, la_code="888")):
        refused = await harness.http.get("/api/v1/schools/900001/summary", headers=headers)
        assert refused.status_code == 403, refused.text
        assert "Family" not in refused.text
    ewo = harness.as_(Role.LA_EWO, **EWO)
    assert (await harness.http.get("/api/v1/schools/900001/summary", headers=ewo)).status_code == 200
    assert (await harness.http.get("/api/v1/schools/123456/summary", headers=ewo)).status_code == 404
    assert (await harness.http.get("/api/v1/schools/900001/summary?academic_year=1", headers=ewo)).status_code == 422
    assert (await harness.http.get("/api/v1/schools/900001/summary")).status_code == 401


async def test_preview_renders_with_case_data_and_sends_nothing(harness: Harness) -> None:
    ava = await _opened(harness, uuid4())
    previews = use_fakes(harness, {ava: summary_for(ava)})
    officer = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    response = await harness.http.post(f"/api/v1/cases/{ava}/previews", headers=officer, json={
        "template": "traffic_light_letter_parent"})
    assert response.status_code == 200, response.text
    assert response.json()["subject"] == "Preview of traffic_light_letter_parent"
    assert "attendance_rate: 88.0" in response.json()["body_text"]
    assert previews[-1].context["period_start"] == "2026-09-03"

    missing = await harness.http.post(f"/api/v1/cases/{ava}/previews", headers=officer, json={
        "template": "meeting_invitation_parent", "context": {"meeting_date": "2026-12-02"}})
    assert missing.status_code == 422
    assert "meeting_time" in missing.json()["detail"]
    unknown = await harness.http.post(f"/api/v1/cases/{ava}/previews", headers=officer, json={"template": "x"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "template"
    for headers in (harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900002"]),
                    harness.as_(Role.GOVERNOR, school_urns=["900001"])):
        refused = await harness.http.post(f"/api/v1/cases/{ava}/previews", headers=headers,
                                          json={"template": "traffic_light_letter_parent"})
        assert refused.status_code == 403
    assert len(previews) == 1


async def test_pupil_record_within_scope_with_or_without_a_case(harness: Harness) -> None:
    ava, ben, cara = await _family(harness)
    officer = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    with_case = await harness.http.get(f"/api/v1/pupils/{ben}", headers=officer)
    assert with_case.status_code == 200, with_case.text
    assert with_case.json()["case"]["stage"] == "persistent_absence"
    assert with_case.json()["recent_marks"][0]["code"] == "N"
    ewo = harness.as_(Role.LA_EWO, **EWO)
    without_case = await harness.http.get(f"/api/v1/pupils/{cara}", headers=ewo)
    assert without_case.status_code == 200
    assert without_case.json()["case"] is None
    assert without_case.json()["pupil"]["display_name"] == "Cara Family"
    for headers in (officer, harness.as_(Role.GOVERNOR, school_urns=["900002"]),
                    harness.as_(Role.SOCIAL_WORKER, pupil_ids=[ava])):
        refused = await harness.http.get(f"/api/v1/pupils/{cara}", headers=headers)
        assert refused.status_code == 403
        assert "Cara" not in refused.text
    unknown = await harness.http.get(f"/api/v1/pupils/{uuid4()}", headers=ewo)
    assert unknown.status_code == 404
