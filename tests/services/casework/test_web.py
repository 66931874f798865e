"""The officer UI in process: sign-in, pages, scope through the UI routes, error summaries, open by hand."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from shared import clock
from shared.auth import SESSION_COOKIE, Role, service_token
from shared.clients.notifications import NotificationsClient
from shared.clients.register import RegisterClient
from tests.services.casework.conftest import Harness, register_event
from tests.services.casework.fakes import fake_notifications, fake_register, summary_for
from tests.services.casework.form_tokens import form_token, token_from, token_of_session
from tests.support.identities import token_for

pytestmark = pytest.mark.services


async def _opened(harness: Harness, **kwargs: Any) -> UUID:
    event = register_event(**kwargs)
    assert (await harness.http.post("/internal/events", json=event, headers=harness.service())).status_code == 200
    return UUID(event["pupil"]["pupil_id"])


def _signed_in(harness: Harness, role: Role, **scope: Any) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={token_for(harness.platform, role, **scope)}"}


def _session(headers: dict[str, str]) -> str:
    return headers["Cookie"].removeprefix(f"{SESSION_COOKIE}=")


def _use_fakes(harness: Harness, pupils: dict[UUID, Any], allocations: dict[str, list[UUID]]) -> None:
    token = service_token("casework", "register", harness.platform)
    cw = harness.app.state.casework
    cw.register = RegisterClient("http://register", token,
                                transport=httpx.ASGITransport(app=fake_register(pupils, allocations)))
    cw.notifications = NotificationsClient("http://notifications", token,
                                         transport=httpx.ASGITransport(app=fake_notifications()))


async def test_signed_out_visitors_are_sent_to_sign_in(harness: Harness) -> None:
    for path in ("/", "/cases", f"/cases/{uuid4()}", "/audit"):
        response = await harness.http.get(path)
        assert response.status_code == 303
        assert response.headers["location"] == "/sign-in"
    page = await harness.http.get("/sign-in")
    assert page.status_code == 200
    assert "Priya Shah" in page.text
    assert "Attendance casework" in page.text


async def test_development_sign_in_sets_a_session_cookie(harness: Harness) -> None:
    response = await harness.http.post("/sign-in", data={"user": "demo-officer-millbrook"})
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    missing = await harness.http.post("/sign-in", data={})
    assert missing.status_code == 422
    assert "govuk-error-summary" in missing.text
    assert "Select who you are" in missing.text


async def test_social_worker_sign_in_scopes_to_allocated_pupils(harness: Harness) -> None:
    allocated = await _opened(harness, display_name="Sam Allocated")
    other = await _opened(harness, display_name="Olly Other")
    _use_fakes(harness, {}, {"h.carter@northshire-childrens.example.gov": [allocated]})
    signed = await harness.http.post("/sign-in", data={"user": "demo-social-worker"})
    assert signed.status_code == 303
    cookies = {SESSION_COOKIE: signed.cookies[SESSION_COOKIE]}
    harness.http.cookies.update(cookies)
    try:
        listing = await harness.http.get("/cases")
        assert "Sam Allocated" in listing.text
        assert "Olly Other" not in listing.text
        refused = await harness.http.get(f"/cases/{other}")
        assert refused.status_code == 403
        assert "Olly" not in refused.text
        assert "You do not have access" in refused.text
    finally:
        harness.http.cookies.clear()


async def test_case_page_shows_stage_timeline_notifications_and_figures(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    _use_fakes(harness, {}, {})
    page = await harness.http.get(f"/cases/{pupil_id}",
                                  headers=_signed_in(harness, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"]))
    assert page.status_code == 200
    text = page.text
    assert "Ava Example" in text
    assert "Monitoring" in text
    assert "Unexplained absence (code N)" in text
    assert "Unexplained absence today" in text
    assert "Helen Carter" in text
    assert "88.0%" in text
    assert "Record a step" in text


async def test_scope_through_the_ui(harness: Harness) -> None:
    pupil_id = await _opened(harness, display_name="Mia Millbrook")
    other_school = _signed_in(harness, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900002"])
    governor = _signed_in(harness, Role.GOVERNOR, school_urns=["900001"])
    for headers in (other_school, governor):
        for path in (f"/cases/{pupil_id}", f"/cases/{pupil_id}/act"):
            response = await harness.http.get(path, headers=headers)
            assert response.status_code == 403, (path, response.status_code)
            assert "Mia" not in response.text
        # With the genuine form token of their own session: it is the scope that refuses them.
        posted = await harness.http.post(f"/cases/{pupil_id}/act", headers=headers, data={
            "action": "record_meeting", "csrf_token": token_of_session(harness.platform, _session(headers))})
        assert posted.status_code == 403
        assert "You do not have access" in posted.text
    listing = await harness.http.get("/cases", headers=other_school)
    assert "Mia Millbrook" not in listing.text
    dashboard = await harness.http.get("/", headers=governor)
    assert dashboard.status_code == 200
    assert "Mia" not in dashboard.text
    assert "figures only" in dashboard.text


async def test_action_form_records_a_step_and_shows_rejections_in_an_error_summary(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    officer = _signed_in(harness, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    form = await harness.http.get(f"/cases/{pupil_id}/act", headers=officer)
    assert form.status_code == 200
    assert "Agree an action plan" in form.text
    unchosen = await harness.http.get(f"/cases/{pupil_id}/act?choose=1", headers=officer)
    assert unchosen.status_code == 422
    assert "Select the step you are recording" in unchosen.text
    details = await harness.http.get(f"/cases/{pupil_id}/act?action=agree_action_plan", headers=officer)
    assert "Actions agreed (one per line)" in details.text
    # Dates are GOV.UK date inputs (day, month, year), not the browser's date picker.
    assert 'type="date"' not in details.text
    assert 'name="review_date-day"' in details.text
    assert 'name="review_date-year"' in details.text
    act = f"/cases/{pupil_id}/act"
    empty = await harness.http.post(act, headers=officer, data={
        "action": "agree_action_plan", "csrf_token": form_token(details, act)})
    assert empty.status_code == 422
    assert "govuk-error-summary" in empty.text
    assert "Review date: is required" in empty.text
    partial = await harness.http.post(act, headers=officer, data={
        "action": "agree_action_plan", "actions": "Walk to school", "review_date-day": "5", "review_date-year": "2027",
        "csrf_token": form_token(empty, act)})
    assert partial.status_code == 422
    assert '<a href="#review_date-day">Review date must include a month</a>' in partial.text
    # Long answers carry a GOV.UK character count, and the form refuses more than it allows (nothing recorded).
    assert 'data-module="govuk-character-count"' in details.text
    assert 'data-maxlength="4000"' in details.text
    essay = await harness.http.post(act, headers=officer, data={
        "action": "agree_action_plan", "actions": "Walk to school", "review_date-day": "5",
        "review_date-month": "1", "review_date-year": "2027", "note": "x" * 4001,
        "csrf_token": form_token(partial, act)})
    assert essay.status_code == 422
    assert "The note must be 4,000 characters or fewer" in essay.text
    unreal = await harness.http.post(act, headers=officer, data={
        "action": "agree_action_plan", "actions": "Walk to school", "review_date-day": "31",
        "review_date-month": "2", "review_date-year": "2027", "csrf_token": form_token(essay, act)})
    assert "Review date must be a real date" in unreal.text
    review = clock.today() + timedelta(days=28)
    done = await harness.http.post(act, headers=officer,
                                   data={"action": "agree_action_plan", "note": "Agreed at school",
                                         "actions": "Walk to school\nWeekly check-in",
                                         "review_date-day": str(review.day), "review_date-month": str(review.month),
                                         "review_date-year": str(review.year), "csrf_token": form_token(unreal, act)})
    assert done.status_code == 303
    assert done.headers["location"] == f"/cases/{pupil_id}?done=step"
    page = await harness.http.get(done.headers["location"], headers=officer)
    assert "Formal support" in page.text
    assert "Agreed at school" in page.text
    assert "Review the action plan" in page.text
    # A legal step without a decision log: the refusal is a message on the form, not a stack trace. Penalty
    # notices are the headteacher's (or the LA's), so the head takes it from here.
    officer = _signed_in(harness, Role.HEADTEACHER, school_urns=["900001"])
    penalty = f"/cases/{pupil_id}/act?action=issue_penalty_notice"
    refused = await harness.http.post(act, headers=officer, data={
        "action": "issue_penalty_notice", "parent": "parent-1", "absence_period": "autumn term",
        "csrf_token": await token_from(harness.http, penalty, officer, act)})
    assert refused.status_code == 409
    assert "govuk-error-summary" in refused.text
    assert "Record the decision factors" in refused.text
    log = f"/cases/{pupil_id}/decision"
    decision = await harness.http.post(log, headers=officer, data={
        "legal_step": "issue_penalty_notice", "csrf_token": await token_from(harness.http, log, officer, log)})
    assert decision.status_code == 422
    assert "Was the support taken up?: is required" in decision.text
    saved = await harness.http.post(log, headers=officer, data={
        "legal_step": "issue_penalty_notice", "support_offered": "Action plan", "support_taken_up": "no",
        "family_view": "Parents disagree", "csrf_token": form_token(decision, log)})
    assert saved.status_code == 303
    issued = await harness.http.post(act, headers=officer, data={
        "action": "issue_penalty_notice", "parent": "parent-1", "absence_period": "autumn term",
        "csrf_token": await token_from(harness.http, penalty, officer, act)})
    assert issued.status_code == 303
    page = await harness.http.get(f"/cases/{pupil_id}", headers=officer)
    assert "Legal intervention" in page.text


async def test_open_case_by_hand_uses_update_with_start(harness: Harness) -> None:
    pupil_id = uuid4()
    _use_fakes(harness, {pupil_id: summary_for(pupil_id)}, {})
    officer = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    response = await harness.http.post("/api/v1/cases", json={"pupil_id": str(pupil_id)}, headers=officer)
    assert response.status_code == 200, response.text
    assert response.json()["workflow_id"] == f"journey-{pupil_id}"
    case = await harness.http.get(f"/api/v1/cases/{pupil_id}", headers=officer)
    assert case.json()["case"]["display_name"] == "Noah Manual"
    outsider = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900002"])
    refused = await harness.http.post("/api/v1/cases", json={"pupil_id": str(pupil_id)}, headers=outsider)
    assert refused.status_code == 403


async def test_audit_page_for_the_data_protection_lead_only(harness: Harness) -> None:
    await _opened(harness)
    ewo_page = await harness.http.get("/audit", headers=_signed_in(harness, Role.LA_EWO, la_code="999"))
    assert ewo_page.status_code == 403
    dpo = await harness.http.get("/audit", headers=_signed_in(harness, Role.DATA_PROTECTION_LEAD, la_code="999"))
    assert dpo.status_code == 200
    assert "Audit log" in dpo.text


async def test_evidence_bundle_is_a_pdf_for_those_in_scope(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    officer = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    down = await harness.http.get(f"/api/v1/cases/{pupil_id}/evidence-bundle", headers=officer)
    assert down.status_code == 503  # register (the extract) is not running yet
    _use_fakes(harness, {}, {})
    response = await harness.http.get(f"/api/v1/cases/{pupil_id}/evidence-bundle", headers=officer)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 5000
    page = await harness.http.get(f"/cases/{pupil_id}/evidence-bundle.pdf",
                                  headers=_signed_in(harness, Role.LA_EWO, la_code="999"))
    assert page.content.startswith(b"%PDF")
    outsider = await harness.http.get(f"/api/v1/cases/{pupil_id}/evidence-bundle",
                                      headers=harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900002"]))
    assert outsider.status_code == 403
    audit = await harness.http.get(f"/api/v1/audit?pupil_id={pupil_id}",
                                   headers=harness.as_(Role.DATA_PROTECTION_LEAD, la_code="999"))
    assert "evidence_bundle" in {item["what"] for item in audit.json()["items"]}


async def test_legal_steps_are_a_task_list_with_the_journeys_reasons(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    officer = _signed_in(harness, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    case = await harness.http.get(f"/cases/{pupil_id}", headers=officer)
    assert f'href="/cases/{pupil_id}/legal-steps"' in case.text
    page = await harness.http.get(f"/cases/{pupil_id}/legal-steps", headers=officer)
    assert page.status_code == 200
    assert "govuk-task-list" in page.text
    assert "Issue a penalty notice" in page.text
    # Not yet: the journey's own reason for each step (this harness's journey gives the stage as its reason).
    assert "&#39;issue penalty notice&#39; is not possible at the monitoring stage." in page.text
    assert "Decision factors not recorded yet." in page.text
    assert "Offered now" not in page.text
    assert (await harness.http.get(f"/cases/{uuid4()}/legal-steps", headers=officer)).status_code == 404
    assert (await harness.http.get(f"/cases/{pupil_id}/legal-steps")).status_code in (302, 303)
