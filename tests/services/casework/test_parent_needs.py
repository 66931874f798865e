"""The case page shows each parent's preferred language and accessible format (from register's admission entry)
and flags a letter whose format an officer must make by hand."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import httpx
from fastapi import FastAPI

from shared import clock
from shared.auth import Role, service_token
from shared.clients.notifications import NotificationsClient
from shared.clients.register import RegisterClient
from tests.services.casework.conftest import Harness
from tests.services.casework.fakes import fake_register
from tests.services.casework.test_web import _opened, _signed_in

PARENTS = [
    {"kind": "parent", "name": "Eleri Example", "relationship": "Mother", "preferred_language": "cy",
     "accessible_format": "large_print"},
    {"kind": "parent", "name": "Sam Example", "relationship": "Father", "preferred_language": "en",
     "accessible_format": "braille"},
    {"kind": "emergency", "name": "Gran Example", "relationship": "Grandparent"},
]


def notifications_with_a_braille_letter() -> FastAPI:
    app = FastAPI()

    @app.get("/internal/pupils/{pupil_id}/notifications")
    async def sent(pupil_id: UUID) -> list[dict[str, Any]]:
        return [{"notification_id": str(uuid4()), "idempotency_key": f"journey-{pupil_id}:n:1",
                 "template": "first_day_absence_parent", "template_version": "1", "recipient_role": "parents",
                 "recipient_name": "Sam Example", "channel": "email", "status": "sent",
                 "subject": "Ava Example is not in school today", "created_at": clock.now().isoformat(),
                 "language": "en", "preferred_language": "en", "accessible_format": "standard",
                 "format_for_officer": "braille"}]

    return app


async def test_the_case_page_shows_each_parents_language_and_format(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    token = service_token("casework", "register", harness.platform)
    cw = harness.app.state.casework
    cw.register = RegisterClient("http://register", token, transport=httpx.ASGITransport(
        app=fake_register({}, {}, parents={pupil_id: PARENTS})))
    cw.notifications = NotificationsClient("http://notifications", token,
                                           transport=httpx.ASGITransport(app=notifications_with_a_braille_letter()))
    officer = _signed_in(harness, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])

    api = await harness.http.get(f"/api/v1/cases/{pupil_id}", headers=harness.as_(Role.SCHOOL_ATTENDANCE_OFFICER,
                                                                                  school_urns=["900001"]))
    page = await harness.http.get(f"/cases/{pupil_id}", headers=officer)

    assert api.status_code == 200, api.text
    assert [(p["name"], p["language"], p["format"], p["format_produced"]) for p in api.json()["parents"]] == [
        ("Eleri Example", "Welsh", "Large print", True), ("Sam Example", "English", "Braille", False)]
    assert page.status_code == 200
    text = page.text
    assert "Parents’ language and format needs" in text
    assert "Eleri Example (Mother)" in text
    assert "Language: Welsh (cy)" in text
    assert "Format: Large print" in text
    assert "Format: Braille" in text
    assert "Made by hand: the attendance lead is asked for each letter" in text
    assert "Braille copy to make by hand" in text
    assert "Gran Example" not in text


async def test_the_case_page_says_when_the_needs_could_not_be_loaded(harness: Harness) -> None:
    pupil_id = await _opened(harness)
    token = service_token("casework", "register", harness.platform)
    harness.app.state.casework.register = RegisterClient("http://register", token, transport=httpx.ASGITransport(
        app=fake_register({}, {})))
    page = await harness.http.get(f"/cases/{pupil_id}",
                                  headers=_signed_in(harness, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"]))
    assert page.status_code == 200
    assert "The parents’ language and format needs could not be loaded just now." in page.text
