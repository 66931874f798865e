"""The officer UI's form token (web/csrf.py) on each POST form a signed-in officer sends: every form carries
its session's token, and a post without it, or with any other, is a 403 page with nothing done: no journey
update, no decision log, no letter rendered, no search run. The sickness expectation forms are checked in
test_web_sickness.py."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx
import pytest

from shared.auth import SESSION_COOKIE, Role, service_token
from shared.clients.notifications import NotificationsClient
from shared.contracts.journey import QUERY_VIEW, JourneyView, journey_workflow_id
from shared.contracts.notifications import PreviewRequest
from tests.services.casework.conftest import Harness
from tests.services.casework.fakes import fake_notifications
from tests.services.casework.form_tokens import form_token, token_from
from tests.services.casework.test_family_schools import _family
from tests.services.casework.test_web import _opened
from tests.support.identities import token_for

pytestmark = pytest.mark.services

OFFICER: dict[str, Any] = {"role": Role.SCHOOL_ATTENDANCE_OFFICER, "school_urns": ["900001"]}
PLAN = {"action": "agree_action_plan", "actions": "Walk to school", "review_date": "2027-01-05"}
DECISION = {"legal_step": "issue_penalty_notice", "support_offered": "Action plan", "support_taken_up": "no",
            "family_view": "Parents disagree"}
LETTER = {"template": "meeting_invitation_parent", "ctx_meeting_date": "2026-12-02", "ctx_meeting_time": "15:30",
          "ctx_meeting_place": "the school office"}


def _signed_in(harness: Harness, name: str = "Test User") -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={token_for(harness.platform, **OFFICER, name=name)}"}


async def _wrong_tokens(harness: Harness, genuine: str) -> list[str | None]:
    """No token, an empty one, a made-up one, a genuine one cut short, and another officer's genuine token."""
    elsewhere = await token_from(harness.http, "/cases", _signed_in(harness, "Someone Else"), "/cases/search")
    assert elsewhere != genuine
    return [None, "", "0" * 64, genuine[:-1], elsewhere]


async def _all_refused(harness: Harness, path: str, headers: dict[str, str], data: dict[str, str],
                       genuine: str) -> None:
    for token in await _wrong_tokens(harness, genuine):
        posted = data if token is None else {**data, "csrf_token": token}
        refused = await harness.http.post(path, data=posted, headers=headers)
        assert refused.status_code == 403, (path, token, refused.status_code)
        assert "This form could not be checked" in refused.text
        assert "nothing was done" in refused.text
    signed_out = await harness.http.post(path, data={**data, "csrf_token": genuine})
    assert signed_out.status_code == 303
    assert signed_out.headers["location"] == "/sign-in"


async def _journey(harness: Harness, pupil_id: UUID) -> JourneyView:
    handle = harness.temporal.get_workflow_handle(journey_workflow_id(pupil_id))
    return await handle.query(QUERY_VIEW, result_type=JourneyView)


async def test_every_form_carries_the_same_token_of_this_session(harness: Harness) -> None:
    ava, _, _ = await _family(harness)
    officer = _signed_in(harness)
    tokens = {
        await token_from(harness.http, "/cases", officer, "/cases/search"),
        await token_from(harness.http, f"/cases/{ava}/act?action=agree_action_plan", officer, f"/cases/{ava}/act"),
        await token_from(harness.http, f"/cases/{ava}/decision", officer, f"/cases/{ava}/decision"),
        await token_from(harness.http, f"/cases/{ava}/preview?template=meeting_invitation_parent", officer,
                         f"/cases/{ava}/preview"),
    }
    assert len(tokens) == 1
    assert tokens != {await token_from(harness.http, "/cases", _signed_in(harness, "Someone Else"), "/cases/search")}
    # Sign-in has no session to bind a token to (web/csrf.py): its form has none.
    assert "csrf_token" not in (await harness.http.get("/sign-in")).text


async def test_a_step_without_the_token_sends_nothing_to_the_journey(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    officer = _signed_in(harness)
    act = f"/cases/{pupil_id}/act"
    genuine = await token_from(harness.http, f"{act}?action=agree_action_plan", officer, act)
    await _all_refused(harness, act, officer, PLAN, genuine)
    journey = await _journey(harness, pupil_id)
    assert (journey.state_version, journey.stage.value) == (0, "monitoring")
    page = await harness.http.get(f"/cases/{pupil_id}", headers=officer)
    assert "Review the action plan" not in page.text
    done = await harness.http.post(act, headers=officer, data={**PLAN, "csrf_token": genuine})
    assert done.status_code == 303
    assert (await _journey(harness, pupil_id)).stage.value == "formal_support"


async def test_a_decision_log_without_the_token_is_not_saved(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    officer = _signed_in(harness)
    act, log = f"/cases/{pupil_id}/act", f"/cases/{pupil_id}/decision"
    planned = await harness.http.post(act, headers=officer, data={
        **PLAN, "csrf_token": await token_from(harness.http, f"{act}?action=agree_action_plan", officer, act)})
    assert planned.status_code == 303
    genuine = await token_from(harness.http, log, officer, log)
    await _all_refused(harness, log, officer, DECISION, genuine)
    assert (await _journey(harness, pupil_id)).state_version == 1
    case = await harness.http.get(f"/api/v1/cases/{pupil_id}", headers=harness.as_(**OFFICER))
    assert case.json()["decisions"] == []
    saved = await harness.http.post(log, headers=officer, data={**DECISION, "csrf_token": genuine})
    assert saved.status_code == 303
    assert (await _journey(harness, pupil_id)).state_version == 2


async def test_a_letter_preview_without_the_token_renders_nothing(harness: Harness) -> None:
    ava, _, _ = await _family(harness)
    previews: list[PreviewRequest] = []  # notifications keeps every preview it renders
    harness.app.state.casework.notifications = NotificationsClient(
        "http://notifications", service_token("casework", "notifications", harness.platform),
        transport=httpx.ASGITransport(app=fake_notifications(previews)))
    officer = _signed_in(harness)
    path = f"/cases/{ava}/preview"
    genuine = await token_from(harness.http, f"{path}?template=meeting_invitation_parent", officer, path)
    await _all_refused(harness, path, officer, LETTER, genuine)
    assert previews == []
    audit = await harness.http.get(f"/api/v1/audit?pupil_id={ava}",
                                   headers=harness.as_(Role.DATA_PROTECTION_LEAD, la_code="999"))
    assert not [item for item in audit.json()["items"] if item["what"].startswith("preview:")]
    shown = await harness.http.post(path, headers=officer, data={**LETTER, "csrf_token": genuine})
    assert shown.status_code == 200
    assert "Preview (not sent)" in shown.text
    assert len(previews) == 1


async def test_a_search_without_the_token_shows_no_results(harness: Harness) -> None:
    await _opened(harness, display_name="Zara Searchable")
    officer = _signed_in(harness)
    genuine = await token_from(harness.http, "/cases", officer, "/cases/search")
    for token in await _wrong_tokens(harness, genuine):
        data = {"name": "Zara"} if token is None else {"name": "Zara", "csrf_token": token}
        refused = await harness.http.post("/cases/search", data=data, headers=officer)
        assert refused.status_code == 403
        assert "This form could not be checked" in refused.text
        assert "Zara" not in refused.text
    found = await harness.http.post("/cases/search", headers=officer, data={"name": "Zara", "csrf_token": genuine})
    assert found.status_code == 200
    assert "Zara Searchable" in found.text
    # The results page's own search form carries the token for the next search.
    assert form_token(found, "/cases/search") == genuine
