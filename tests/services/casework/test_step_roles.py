"""Who may take each step (CaseworkSettings.step_roles), through the API and the officer UI: a refusal is 403 naming
the roles needed, before anything reaches the journey; an allowed role reaches it (the fake journey answers or
refuses with its own reason). Also a step's effective date."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from temporalio.client import Client

from services.casework.dependencies import AUDIT_READERS, DECISION_RECORDERS
from services.casework.service.permissions import refusal
from services.casework.settings import CaseworkSettings
from shared import clock
from shared.auth import SESSION_COOKIE, Role
from shared.contracts.journey import OfficerAction, journey_workflow_id
from tests.services.casework.conftest import Harness, register_event
from tests.services.casework.form_tokens import token_from
from tests.support.identities import token_for

pytestmark = pytest.mark.services

PLAN = {"actions": ["Walk to school"], "review_date": "2027-01-05"}
DECISION = {"legal_step": "issue_penalty_notice", "support_offered": "Action plan", "support_taken_up": False,
            "family_view": "Parents disagree"}
SCHOOL, LA = {"school_urns": ["900001"]}, {"la_code": "999"}
PENALTY_WORDS = "Issuing a penalty notice needs a headteacher or an LA officer."
MEETING_WORDS = ("Recording an attendance meeting needs a school attendance officer, a senior attendance champion, "
                 "a headteacher or an LA officer.")
ESO_WORDS = "Applying for an education supervision order needs an LA officer."


async def _opened(harness: Harness, **kwargs: Any) -> UUID:
    event = register_event(looked_after=True, **kwargs)
    assert (await harness.http.post("/internal/events", json=event, headers=harness.service())).status_code == 200
    return UUID(event["pupil"]["pupil_id"])


def _scope(role: Role, pupil_id: UUID) -> dict[str, Any]:
    if role in {Role.SCHOOL_ATTENDANCE_OFFICER, Role.SENIOR_ATTENDANCE_CHAMPION, Role.HEADTEACHER, Role.GOVERNOR}:
        return SCHOOL
    if role is Role.SOCIAL_WORKER:
        return {"pupil_ids": [pupil_id]}
    return LA


async def actions_sent(temporal: Client, pupil_id: UUID) -> list[OfficerAction]:
    handle = temporal.get_workflow_handle(journey_workflow_id(pupil_id))
    return await handle.query("actions", result_type=list[OfficerAction])


def _in_weeks(weeks: int) -> str:
    return (clock.today() + timedelta(weeks=weeks)).isoformat()


# The DfE's collector is no officer: its token opens only the DfE daily share (tests/services/returns).
OFFICERS = [r for r in Role if r not in {Role.SERVICE, Role.DFE_COLLECTOR}]
# step -> (roles allowed, the refusal's words)
MATRIX = {
    "record_meeting": ({Role.SCHOOL_ATTENDANCE_OFFICER, Role.SENIOR_ATTENDANCE_CHAMPION, Role.HEADTEACHER,
                        Role.LA_EWO}, MEETING_WORDS),
    "issue_penalty_notice": ({Role.HEADTEACHER, Role.LA_EWO}, PENALTY_WORDS),
    "apply_for_eso": ({Role.LA_EWO}, ESO_WORDS),
}


@pytest.mark.parametrize("step", list(MATRIX))
async def test_each_role_takes_only_its_steps_through_the_api(harness: Harness, step: str) -> None:
    pupil_id = await _opened(harness)
    allowed, words = MATRIX[step]
    details = {"issue_penalty_notice": {"parent": "parent-1"},
               "record_meeting": {"attendees": ["parent", "pupil"], "summary": "Agreed a check-in",
                                  "next_review_date": _in_weeks(2)}}.get(step, {})
    for role in OFFICERS:
        response = await harness.http.post(f"/api/v1/cases/{pupil_id}/actions",
                                           json={"action": step, "details": details},
                                           headers=harness.as_(role, **_scope(role, pupil_id)))
        if role in allowed:
            # It reached the journey: recorded, or refused with the journey's own reason (not offered now).
            assert response.status_code in {200, 409}, (role, response.text)
            if response.status_code == 409:
                assert "not possible at the" in response.json()["detail"]
        else:
            assert response.status_code == 403, (role, response.text)
            assert response.headers["content-type"].startswith("application/problem+json")
            if role is Role.GOVERNOR:
                # Refused before the body is read: governors see no pupil's case, whatever the step.
                assert response.json()["type"] == "/problems/AggregateFiguresOnly"
                continue
            assert response.json()["type"] == "/problems/StepNotPermitted"
            assert response.json()["detail"] == words, role
    sent = {a.actor.role for a in await actions_sent(harness.temporal, pupil_id)}
    assert sent <= {r.value for r in allowed}


async def test_the_decision_log_and_opening_a_case_follow_the_matrix(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    for role in (Role.GOVERNOR, Role.SOCIAL_WORKER, Role.VIRTUAL_SCHOOL_HEAD, Role.DATA_PROTECTION_LEAD):
        refused = await harness.http.post(f"/api/v1/cases/{pupil_id}/decisions", json=DECISION,
                                          headers=harness.as_(role, **_scope(role, pupil_id)))
        assert refused.status_code == 403, role
        if role is Role.GOVERNOR:  # refused before the body is read: governors see no pupil's case
            assert refused.json()["type"] == "/problems/AggregateFiguresOnly"
            continue
        assert refused.json()["detail"].startswith("Recording the decision factors needs a school attendance officer")
    opened = await harness.http.post("/api/v1/cases", json={"pupil_id": str(pupil_id)},
                                     headers=harness.as_(Role.SOCIAL_WORKER, pupil_ids=[pupil_id]))
    assert opened.status_code == 403
    assert "Opening a case needs" in opened.json()["detail"]


def test_the_matrix_is_a_setting_whose_overrides_keep_the_other_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEWORK_STEP_ROLES", '{"start_fast_track": ["la_ewo", "headteacher"]}')
    settings = CaseworkSettings()
    assert settings.step_roles["start_fast_track"] == [Role.LA_EWO, Role.HEADTEACHER]
    assert settings.step_roles["issue_penalty_notice"] == [Role.HEADTEACHER, Role.LA_EWO]
    assert refusal(settings, "start_fast_track") == "Starting fast track needs an LA officer or a headteacher."
    # A step the journey added later, named nowhere: the school's and the LA's caseworkers.
    assert refusal(settings, "record_something_new") == ("The step \u201crecord something new\u201d needs a school "
                                                         "attendance officer, a senior attendance champion or an "
                                                         "LA officer.")


async def test_effective_date_is_passed_on_and_never_after_today(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    officer = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, **SCHOOL)
    url = f"/api/v1/cases/{pupil_id}/actions"
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    for bad in (tomorrow, "2026-02-30", "last tuesday"):
        refused = await harness.http.post(url, json={"action": "record_meeting", "effective_date": bad},
                                          headers=officer)
        assert refused.status_code == 422, (bad, refused.text)
        assert refused.json()["errors"][0]["field"] == "effective_date"
    assert "today or in the past" in (await harness.http.post(url, headers=officer, json={
        "action": "record_meeting", "effective_date": tomorrow})).json()["detail"]
    last_week = clock.today() - timedelta(days=7)
    done = await harness.http.post(url, json={"action": "record_meeting", "effective_date": last_week.isoformat(),
                                              "details": {"attendees": ["parent"], "summary": "Agreed",
                                                          "next_review_date": _in_weeks(1)}},
                                   headers=officer)
    assert done.status_code == 200, done.text
    assert [a.effective_date for a in await actions_sent(harness.temporal, pupil_id)] == [last_week]


def _signed_in(harness: Harness, role: Role, **scope: Any) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={token_for(harness.platform, role, **scope)}"}


async def _to_formal_support(harness: Harness, pupil_id: UUID) -> None:
    planned = await harness.http.post(f"/api/v1/cases/{pupil_id}/actions", headers=harness.as_(Role.LA_EWO, **LA),
                                      json={"action": "agree_action_plan", "details": PLAN})
    assert planned.status_code == 200, planned.text


async def test_the_ui_shows_only_the_steps_the_role_may_take(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    await _to_formal_support(harness, pupil_id)
    officer = _signed_in(harness, Role.SCHOOL_ATTENDANCE_OFFICER, **SCHOOL)
    page = await harness.http.get(f"/cases/{pupil_id}", headers=officer)
    assert "Record a step" in page.text
    assert PENALTY_WORDS in page.text  # among the steps for other roles
    chooser = await harness.http.get(f"/cases/{pupil_id}/act", headers=officer)
    assert 'value="record_meeting"' in chooser.text
    assert 'value="issue_penalty_notice"' not in chooser.text
    chosen = await harness.http.get(f"/cases/{pupil_id}/act?action=issue_penalty_notice", headers=officer)
    assert chosen.status_code == 403
    assert "govuk-error-summary" in chosen.text
    assert PENALTY_WORDS in chosen.text
    act = f"/cases/{pupil_id}/act"
    posted = await harness.http.post(act, headers=officer, data={
        "action": "issue_penalty_notice", "parent": "parent-1",
        "csrf_token": await token_from(harness.http, f"{act}?action=record_meeting", officer, act)})
    assert posted.status_code == 403
    assert "govuk-error-summary" in posted.text
    assert PENALTY_WORDS in posted.text
    assert [a.action for a in await actions_sent(harness.temporal, pupil_id)] == ["agree_action_plan"]

    head = _signed_in(harness, Role.HEADTEACHER, **SCHOOL)
    head_chooser = await harness.http.get(f"/cases/{pupil_id}/act", headers=head)
    assert 'value="issue_penalty_notice"' in head_chooser.text
    social_worker = {"Cookie": f"{SESSION_COOKIE}={harness.social_worker_token([pupil_id])}"}
    reader = await harness.http.get(f"/cases/{pupil_id}", headers=social_worker)
    assert reader.status_code == 200
    assert "Record a step" not in reader.text
    assert PENALTY_WORDS in reader.text
    vsh = await harness.http.get(f"/cases/{pupil_id}", headers=_signed_in(harness, Role.VIRTUAL_SCHOOL_HEAD, **LA))
    assert vsh.status_code == 200
    assert "Record a step" not in vsh.text
    assert "Record the factors considered" not in vsh.text


async def test_the_ui_shows_the_journeys_reason_for_refusing_a_step(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    officer = _signed_in(harness, Role.SCHOOL_ATTENDANCE_OFFICER, **SCHOOL)
    act = f"/cases/{pupil_id}/act"
    chosen = await harness.http.get(f"{act}?action=close_case", headers=officer)
    assert chosen.status_code == 409
    assert "govuk-error-summary" in chosen.text
    assert "not possible at the monitoring stage" in chosen.text
    assert "Select one of the steps" not in chosen.text
    posted = await harness.http.post(act, headers=officer, data={
        "action": "close_case", "reason": "Improved",
        "csrf_token": await token_from(harness.http, f"{act}?action=record_meeting", officer, act)})
    assert posted.status_code == 409
    assert "not possible at the monitoring stage" in posted.text
    assert "Select one of the steps" not in posted.text


async def test_a_meeting_record_says_who_attended_and_what_was_agreed(harness: Harness) -> None:
    """A record that may go to court is never blank: the API and the form refuse it, naming what is missing."""
    pupil_id = await _opened(harness)
    officer = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, **SCHOOL)
    refused = await harness.http.post(f"/api/v1/cases/{pupil_id}/actions", headers=officer,
                                      json={"action": "record_meeting", "details": {"attendees": [" "]}})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "details.attendees"
    act, browser = f"/cases/{pupil_id}/act", _signed_in(harness, Role.SCHOOL_ATTENDANCE_OFFICER, **SCHOOL)
    empty = await harness.http.post(act, headers=browser, data={
        "action": "record_meeting", "csrf_token": await token_from(harness.http, f"{act}?action=record_meeting",
                                                                    browser, act)})
    assert empty.status_code == 422
    assert "govuk-error-summary" in empty.text
    assert "say who attended" in empty.text
    assert "say what was discussed and agreed" in empty.text
    assert "Enter the next review date" in empty.text
    for field in ("#attendees", "#summary", "#next_review_date-day"):
        assert f'href="{field}"' in empty.text
    assert await actions_sent(harness.temporal, pupil_id) == []


async def test_a_meeting_record_says_when_it_is_next_reviewed(harness: Harness) -> None:
    """The next review: required, a real date, on or after the meeting and within 26 weeks of it; the API says
    which field in problem+json, the form in its error summary, and nothing reaches the journey."""
    pupil_id = await _opened(harness)
    officer = harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER, **SCHOOL)
    meeting = {"attendees": ["parent", "pupil"], "summary": "Agreed a morning check-in"}
    last_week = clock.today() - timedelta(days=7)
    for review, words in ((None, "next reviewed"), ("", "next reviewed"), ("2027-02-30", "real date"),
                          ((last_week - timedelta(days=1)).isoformat(), "on or after"),
                          ((last_week + timedelta(weeks=27)).isoformat(), "no more than 26 weeks")):
        details = meeting if review is None else {**meeting, "next_review_date": review}
        refused = await harness.http.post(f"/api/v1/cases/{pupil_id}/actions", headers=officer, json={
            "action": "record_meeting", "effective_date": last_week.isoformat(), "details": details})
        assert refused.status_code == 422, (review, refused.text)
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["errors"][0]["field"] == "details.next_review_date"
        assert words in refused.json()["detail"], refused.json()["detail"]
    act, browser = f"/cases/{pupil_id}/act", _signed_in(harness, Role.SCHOOL_ATTENDANCE_OFFICER, **SCHOOL)
    early = last_week - timedelta(days=1)
    form = {"action": "record_meeting", "attendees": "parent\npupil", "summary": "Agreed a morning check-in",
            "effective_date-day": str(last_week.day), "effective_date-month": str(last_week.month),
            "effective_date-year": str(last_week.year), "next_review_date-day": str(early.day),
            "next_review_date-month": str(early.month), "next_review_date-year": str(early.year)}
    refused_form = await harness.http.post(act, headers=browser, data={
        **form, "csrf_token": await token_from(harness.http, f"{act}?action=record_meeting", browser, act)})
    assert refused_form.status_code == 422
    assert "The next review date must be on or after" in refused_form.text
    assert 'href="#next_review_date-day"' in refused_form.text
    assert await actions_sent(harness.temporal, pupil_id) == []
    review = last_week + timedelta(weeks=4)
    done = await harness.http.post(act, headers=browser, data={
        **form, "next_review_date-day": str(review.day), "next_review_date-month": str(review.month),
        "next_review_date-year": str(review.year),
        "csrf_token": await token_from(harness.http, f"{act}?action=record_meeting", browser, act)})
    assert done.status_code == 303, done.text
    [sent] = await actions_sent(harness.temporal, pupil_id)
    assert sent.details["next_review_date"] == review.isoformat()


async def test_the_step_form_asks_the_date_it_happened(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    officer = _signed_in(harness, Role.SCHOOL_ATTENDANCE_OFFICER, **SCHOOL)
    act = f"/cases/{pupil_id}/act"
    form = await harness.http.get(f"{act}?action=record_meeting", headers=officer)
    today = clock.today()
    assert "Date this happened" in form.text
    assert f'name="effective_date-day" type="text" value="{today.day}"' in form.text
    assert f'name="effective_date-year" type="text" value="{today.year}"' in form.text
    token = await token_from(harness.http, f"{act}?action=record_meeting", officer, act)
    review = today + timedelta(weeks=2)
    step = {"action": "record_meeting", "csrf_token": token, "attendees": "parent\npupil",
            "summary": "Agreed a morning check-in", "next_review_date-day": str(review.day),
            "next_review_date-month": str(review.month), "next_review_date-year": str(review.year)}
    tomorrow = today + timedelta(days=1)
    for day, month, year, message in (("31", "2", str(today.year), "Date this happened must be a real date"),
                                      ("", str(today.month), str(today.year), "must include a day"),
                                      (str(tomorrow.day), str(tomorrow.month), str(tomorrow.year),
                                       "Date this happened must be today or in the past")):
        refused = await harness.http.post(act, headers=officer, data={
            **step, "effective_date-day": day, "effective_date-month": month, "effective_date-year": year})
        assert refused.status_code == 422
        assert "govuk-error-summary" in refused.text
        assert message in refused.text
        assert 'href="#effective_date-day"' in refused.text
    earlier = today - timedelta(days=3)
    done = await harness.http.post(act, headers=officer, data={
        **step, "effective_date-day": str(earlier.day), "effective_date-month": str(earlier.month),
        "effective_date-year": str(earlier.year)})
    assert done.status_code == 303
    assert [a.effective_date for a in await actions_sent(harness.temporal, pupil_id)] == [earlier]


async def test_the_roles_the_api_documents_are_the_roles_it_lets_through(harness: Harness) -> None:
    """The OpenAPI document's "who may call" (shared/callers.py) for rules the service checks deeper down: every
    role it does not name is refused; every role it names gets past the role check."""
    pupil_id = await _opened(harness)
    for rule, method, path, body in ((AUDIT_READERS, "GET", "/api/v1/audit", None),
                                     (DECISION_RECORDERS, "POST", f"/api/v1/cases/{pupil_id}/decisions", DECISION)):
        named = set(rule.people())
        for role in OFFICERS:
            response = await harness.http.request(method, path, json=body,
                                                  headers=harness.as_(role, **_scope(role, pupil_id)))
            if role in named:
                assert response.status_code in {200, 201, 409}, (path, role, response.text)  # 409: the journey's
            else:
                assert response.status_code == 403, (path, role, response.text)
