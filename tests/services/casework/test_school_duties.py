"""The LA's named point of contact per school (rules.md s10) in casework: a school the LA named one for has it on
its cases (case file JSON and page) and on the school page, and its new journeys start with it; a school without
one shows the LA-wide named contact. The school page shows the champion and whether a policy is recorded."""

from __future__ import annotations

from uuid import UUID, uuid4

import httpx
import pytest

from services.casework.service.school_directory import SchoolDirectory
from shared.auth import Role, service_token
from shared.clients.register import RegisterClient
from shared.contracts.journey import JourneyInput, journey_workflow_id
from tests.services.casework.conftest import Harness, register_event
from tests.services.casework.fakes import fake_register
from tests.services.casework.test_step_roles import _signed_in

pytestmark = pytest.mark.services

LA = {"la_code": "999"}


@pytest.fixture(autouse=True)
def _fake_register(harness: Harness) -> None:
    """Register as a fake that knows the schools (one with its own LA contact) and their duties."""
    token = service_token("casework", "register", harness.platform)
    cw = harness.app.state.casework
    cw.register = RegisterClient("http://register", token, transport=httpx.ASGITransport(app=fake_register({}, {})))
    cw.schools = SchoolDirectory(cw.register)


async def _severe_case(harness: Harness, school_urn: str) -> UUID:
    pupil_id = uuid4()
    event = register_event(pupil_id, school_urn=school_urn, event_type="became_severely_absent",
                           display_name="Sam Severe")
    assert (await harness.http.post("/internal/events", json=event, headers=harness.service())).status_code == 200
    return pupil_id


async def test_a_school_named_contact_overrides_the_la_wide_one(harness: Harness) -> None:
    pupil_id = await _severe_case(harness, "900002")
    case = (await harness.http.get(f"/api/v1/cases/{pupil_id}", headers=harness.as_(Role.LA_EWO, **LA))).json()
    assert case["la_point_of_contact"] == {"name": "Dev Patel", "email": "dev.patel@northshire.example.gov",
                                           "phone": None, "named_for": "school"}
    page = await harness.http.get(f"/cases/{pupil_id}", headers=_signed_in(harness, Role.LA_EWO, **LA))
    assert "LA point of contact for the school" in page.text
    assert "Dev Patel (dev.patel@northshire.example.gov), named for this school" in page.text
    started = await harness.temporal.get_workflow_handle(journey_workflow_id(pupil_id)).query(
        "input", result_type=JourneyInput)
    contact = started.policy.la_attendance_contact
    assert contact is not None
    assert (contact.name, contact.email) == ("Dev Patel", "dev.patel@northshire.example.gov")


async def test_without_a_school_contact_the_la_wide_one_is_shown(harness: Harness) -> None:
    pupil_id = await _severe_case(harness, "900001")
    case = (await harness.http.get(f"/api/v1/cases/{pupil_id}", headers=harness.as_(Role.LA_EWO, **LA))).json()
    assert case["la_point_of_contact"]["name"] == "Priya Shah"
    assert case["la_point_of_contact"]["named_for"] == "la"


async def test_the_school_page_shows_its_duties(harness: Harness) -> None:
    page = await harness.http.get("/schools/900001", headers=_signed_in(harness, Role.LA_EWO, **LA))
    assert page.status_code == 200, page.text
    assert "School duties" in page.text
    assert "Grace Adeyemi, Deputy headteacher (g.adeyemi@millbrook.example.org)" in page.text
    assert "Priya Shah" in page.text
    summary = (await harness.http.get("/api/v1/schools/900002/summary",
                                      headers=harness.as_(Role.LA_EWO, **LA))).json()
    assert summary["la_point_of_contact"]["named_for"] == "school"
    assert summary["duties"]["attendance_policy"] is None
