"""The notice ledger: filled from the journey's projections, kept per child across admissions (the same UPN under
two pupil ids), read into the next penalty notice's prior_notices; other LAs' notices recorded by API and page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest

from shared import clock
from shared.auth import SESSION_COOKIE, Role, service_token
from shared.clients.register import RegisterClient
from tests.services.casework.conftest import Harness, register_event
from tests.services.casework.fakes import fake_register
from tests.services.casework.form_tokens import form_token, token_from
from tests.services.casework.test_step_roles import DECISION, PLAN, actions_sent
from tests.support.identities import token_for

pytestmark = pytest.mark.services

UPN = "A999200126001"
LA = {"la_code": "999"}
EWO = {"role": Role.LA_EWO, **LA}


async def _opened(harness: Harness, school_urn: str = "900001") -> UUID:
    event = register_event(school_urn=school_urn)
    assert (await harness.http.post("/internal/events", json=event, headers=harness.service())).status_code == 200
    return UUID(event["pupil"]["pupil_id"])


def _register_knows(harness: Harness, upns: dict[UUID, str]) -> None:
    harness.app.state.casework.register = RegisterClient(
        "http://register", service_token("casework", "register", harness.platform),
        transport=httpx.ASGITransport(app=fake_register({}, {}, upns=upns)))


async def _step(harness: Harness, pupil_id: UUID, action: str, **details: Any) -> httpx.Response:
    return await harness.http.post(f"/api/v1/cases/{pupil_id}/actions", headers=harness.as_(**EWO),
                                   json={"action": action, "details": details})


async def _penalty_notice(harness: Harness, pupil_id: UUID, parent: str = "parent-1") -> None:
    assert (await _step(harness, pupil_id, "agree_action_plan", **PLAN)).status_code == 200
    decided = await harness.http.post(f"/api/v1/cases/{pupil_id}/decisions", json=DECISION,
                                      headers=harness.as_(**EWO))
    assert decided.status_code == 200, decided.text
    issued = await _step(harness, pupil_id, "issue_penalty_notice", parent=parent)
    assert issued.status_code == 200, issued.text


def _prior(notice_date: str, status: str = "paid", parent: str = "parent-1", la: str = "Westshire (LA 123)",
           ) -> dict[str, str]:
    return {"issued_on": notice_date, "issuing_la": la, "status": status, "parent": parent}


async def test_notices_follow_the_child_from_one_admission_to_the_next(harness: Harness) -> None:
    first, second = await _opened(harness), await _opened(harness, school_urn="900002")
    _register_knows(harness, {first: UPN, second: UPN})
    await _penalty_notice(harness, first)
    listed = await harness.http.get(f"/api/v1/pupils/{first}/penalty-notices", headers=harness.as_(**EWO))
    assert [(n["notice_id"], n["status"], n["this_admission"]) for n in listed.json()] == [("pn-1", "issued", True)]
    # The payment reaches the ledger through the next projection.
    paid = await _step(harness, first, "record_penalty_payment", notice_id="pn-1", amount_pence=8000)
    assert paid.status_code == 200, paid.text

    year_ago = (clock.today() - timedelta(days=365)).isoformat()
    for body in (_prior(year_ago), _prior(year_ago, parent="parent-2")):
        recorded = await harness.http.post(f"/api/v1/pupils/{second}/prior-penalty-notices", json=body,
                                           headers=harness.as_(**EWO))
        assert recorded.status_code == 201, recorded.text
    await _penalty_notice(harness, second)

    penalty = [a for a in await actions_sent(harness.temporal, second) if a.action == "issue_penalty_notice"][0]
    prior = {(n.notice_id.split("/")[-1] if n.recorded_from == "journey" else "other", n.status, n.recorded_from,
              n.issued_by) for n in penalty.prior_notices}
    assert prior == {("pn-1", "paid", "journey", "999"), ("other", "paid", "other_la", "Westshire (LA 123)")}
    assert all(n.parent == "parent-1" for n in penalty.prior_notices)
    # Another journey's pn-1 is not this journey's pn-1: it travels qualified by its workflow id.
    assert f"journey-{first}/pn-1" in {n.notice_id for n in penalty.prior_notices}
    # The UPN stays in casework: not in the journey's payloads, not in the API's answers.
    assert UPN not in penalty.model_dump_json()
    case = await harness.http.get(f"/api/v1/cases/{second}", headers=harness.as_(**EWO))
    assert UPN not in case.text
    notices = case.json()["penalty_notices"]
    assert {(n["notice_id"], n["this_admission"], n["source"], n["school_urn"]) for n in notices
            if n["source"] == "journey"} == {("pn-1", False, "journey", "900001"), ("pn-1", True, "journey", "900002")}
    assert len([n for n in notices if n["source"] == "other_la"]) == 2

    # A late projection of an older state does not take the paid notice back to issued.
    stale = {"pupil_id": str(first), "workflow_id": f"journey-{first}", "state_version": 1, "stage": "formal_support",
             "status": "open", "penalty_notices": [{"notice_id": "pn-1", "parent": "parent-1",
                                                    "issued_on": clock.today().isoformat(), "status": "issued"}]}
    assert (await harness.http.post(f"/internal/cases/{first}/projection", json=stale,
                                    headers=harness.service("journey-worker"))).status_code == 200
    listed = await harness.http.get(f"/api/v1/pupils/{first}/penalty-notices", headers=harness.as_(**EWO))
    assert [n["status"] for n in listed.json() if n["this_admission"]] == ["paid"]

    audit = await harness.http.get(f"/api/v1/audit?pupil_id={second}",
                                   headers=harness.as_(Role.DATA_PROTECTION_LEAD, **LA))
    what = {(item["access"], item["what"]) for item in audit.json()["items"]}
    assert {("read", "notice_ledger"), ("write", "notice_ledger:other_la")} <= what


async def test_without_register_the_notices_wait_under_the_pupil_and_join_the_child_later(harness: Harness) -> None:
    first, second = await _opened(harness), await _opened(harness, school_urn="900002")
    await _penalty_notice(harness, first)  # register is not running: the UPN is not known yet
    _register_knows(harness, {first: UPN, second: UPN})
    assert (await harness.http.get(f"/api/v1/cases/{first}", headers=harness.as_(**EWO))).status_code == 200
    await _penalty_notice(harness, second)
    penalty = [a for a in await actions_sent(harness.temporal, second) if a.action == "issue_penalty_notice"][0]
    assert [n.notice_id for n in penalty.prior_notices] == [f"journey-{first}/pn-1"]


async def test_recording_another_las_notice_checks_its_fields_and_who_asks(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    url = f"/api/v1/pupils/{pupil_id}/prior-penalty-notices"
    ewo = harness.as_(**EWO)
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    good = _prior((clock.today() - timedelta(days=30)).isoformat())
    for body, field in (({**good, "issued_on": "2026-02-30"}, "issued_on"), ({**good, "issued_on": "soon"},
                        "issued_on"), ({**good, "issued_on": tomorrow}, "issued_on"),
                        ({**good, "status": "lost"}, "status"), ({**good, "parent": ""}, "parent"),
                        ({k: v for k, v in good.items() if k != "issuing_la"}, "issuing_la"),
                        ({**good, "issuing_la": "   "}, "issuing_la")):
        refused = await harness.http.post(url, json=body, headers=ewo)
        assert refused.status_code == 422, (body, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in refused.json()["errors"]] == [field]
    for headers in (harness.as_(Role.LA_EWO, la_code="888"), harness.as_(Role.HEADTEACHER, school_urns=["900002"])):
        out_of_scope = await harness.http.post(url, json=good, headers=headers)
        assert out_of_scope.status_code == 403
        assert "You do not have access" in out_of_scope.json()["detail"]
    officer = await harness.http.post(url, json=good, headers=harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER,
                                                                          school_urns=["900001"]))
    assert officer.status_code == 403
    assert officer.json()["detail"] == ("Recording a penalty notice from another local authority needs a "
                                        "headteacher or an LA officer.")
    head = await harness.http.post(url, json=good, headers=harness.as_(Role.HEADTEACHER, school_urns=["900001"]))
    assert head.status_code == 201, head.text
    # The same notice again (same date, LA and parent) updates it rather than counting it twice.
    again = await harness.http.post(url, json={**good, "status": "withdrawn"}, headers=ewo)
    assert again.status_code == 201
    assert again.json()["notice_id"] == head.json()["notice_id"]
    listed = await harness.http.get(f"/api/v1/pupils/{pupil_id}/penalty-notices", headers=ewo)
    assert [(n["status"], n["source"]) for n in listed.json()] == [("withdrawn", "other_la")]


async def test_the_case_page_records_and_lists_another_las_notice(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    head = {"Cookie": f"{SESSION_COOKIE}={token_for(harness.platform, Role.HEADTEACHER, school_urns=['900001'])}"}
    case = await harness.http.get(f"/cases/{pupil_id}", headers=head)
    assert "No penalty notices are recorded" in case.text
    assert f'href="/cases/{pupil_id}/prior-penalty-notices"' in case.text
    path = f"/cases/{pupil_id}/prior-penalty-notices"
    token = await token_from(harness.http, path, head, path)
    refused = await harness.http.post(path, headers=head, data={
        "csrf_token": token, "notice_issued_on-day": "31", "notice_issued_on-month": "2",
        "notice_issued_on-year": "2025", "issuing_la": "", "parent": "parent-1"})
    assert refused.status_code == 422
    assert "govuk-error-summary" in refused.text
    assert "Date of issue must be a real date" in refused.text
    assert 'href="#notice_issued_on-day"' in refused.text
    assert "Enter the local authority that issued the notice" in refused.text
    assert "Select what happened to the notice" in refused.text
    when = clock.today() - timedelta(days=200)
    done = await harness.http.post(path, headers=head, data={
        "csrf_token": form_token(refused, path), "notice_issued_on-day": str(when.day),
        "notice_issued_on-month": str(when.month), "notice_issued_on-year": str(when.year),
        "issuing_la": "Westshire", "parent": "parent-2", "status": "unpaid"})
    assert done.status_code == 303
    page = await harness.http.get(done.headers["location"], headers=head)
    assert "Another local authority, recorded by Test User" in page.text
    assert "Westshire" in page.text
    assert "Unpaid" in page.text
    officer_token = token_for(harness.platform, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    officer = {"Cookie": f"{SESSION_COOKIE}={officer_token}"}
    assert f'href="{path}"' not in (await harness.http.get(f"/cases/{pupil_id}", headers=officer)).text
    not_theirs = await harness.http.get(path, headers=officer)
    assert not_theirs.status_code == 403
    assert "needs a headteacher or an LA officer" in not_theirs.text
