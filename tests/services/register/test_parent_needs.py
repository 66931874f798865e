"""A parent's preferred language (ISO 639-1, English by default) and accessible format, recorded on admission and
carried to notifications with their contact details and to casework with the admission entry."""

from __future__ import annotations

import httpx
import pytest

from shared.clients.register import RegisterClient
from shared.languages import AccessibleFormat
from tests.services.register.conftest import SCHOOL_URN, RegisterHarness

pytestmark = pytest.mark.services

WELSH_LARGE_PRINT = {"name": "Eleri Stone", "relationship": "Mother", "address": "1 Mill Lane, Northshire",
                     "parental_responsibility": True, "lives_with_pupil": True, "preferred_language": "CY",
                     "accessible_format": "large_print"}
FATHER = {"name": "Tom Stone", "relationship": "Father", "email": "tom.stone@example.org",
          "parental_responsibility": True}


async def test_language_and_format_are_recorded_and_reach_notifications(register: RegisterHarness) -> None:
    pupil = await register.admit(parents=[WELSH_LARGE_PRINT, FATHER])

    parents = [(c["name"], c["preferred_language"], c["accessible_format"]) for c in pupil["contacts"]
               if c["kind"] == "parent"]
    assert parents == [("Eleri Stone", "cy", "large_print"), ("Tom Stone", "en", "standard")]
    entry = await register.client.get(f"/api/v1/pupils/{pupil['id']}", headers=register.service("casework"))
    assert [c["preferred_language"] for c in entry.json()["contacts"] if c["kind"] == "parent"] == ["cy", "en"]
    token = register.service("notifications")["Authorization"].removeprefix("Bearer ")
    notifications = RegisterClient("http://test", token, transport=httpx.ASGITransport(app=register.app))
    try:
        contacts = await notifications.pupil_contacts(pupil["id"])
    finally:
        await notifications.aclose()
    assert [(p.name, p.preferred_language, p.accessible_format) for p in contacts.parents] == [
        ("Eleri Stone", "cy", AccessibleFormat.LARGE_PRINT), ("Tom Stone", "en", AccessibleFormat.STANDARD)]


@pytest.mark.parametrize(("field", "value"), [("preferred_language", "welsh"), ("preferred_language", "xx"),
                                              ("preferred_language", ""), ("accessible_format", "sign_language")])
async def test_an_unknown_language_or_format_is_refused_naming_the_field(register: RegisterHarness, field: str,
                                                                         value: str) -> None:
    body = register.admission(parents=[{**FATHER, field: value}])
    response = await register.client.post(f"/api/v1/schools/{SCHOOL_URN}/pupils", json=body,
                                          headers=register.officer())
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert any(e["field"] == f"parents.0.{field}" for e in response.json()["errors"]), response.text
