"""Pages name a pupil's characteristics in the words officers use (one vocabulary), not field names."""

from __future__ import annotations

import pytest

from services.casework.web.action_forms import LONG_TEXT_LIMIT, field_specs, parse_details
from shared.auth import SESSION_COOKIE, Role
from shared.contracts.register import FLAG_LABELS, PupilFlags
from tests.services.casework.conftest import Harness, register_event
from tests.support.identities import token_for

pytestmark = pytest.mark.services


def test_every_characteristic_has_its_words() -> None:
    assert set(FLAG_LABELS) == set(PupilFlags.model_fields)


async def test_the_case_page_says_ehc_plan_and_child_in_need(harness: Harness) -> None:
    event = register_event()
    event["pupil"]["flags"] |= {"ehcp": True, "child_in_need": True, "sen_support": False}
    assert (await harness.http.post("/internal/events", json=event, headers=harness.service())).status_code == 200
    cookie = {"Cookie": f"{SESSION_COOKIE}={token_for(harness.platform, Role.LA_EWO, la_code='999')}"}
    page = await harness.http.get(f"/cases/{event['pupil']['pupil_id']}", headers=cookie)
    assert page.status_code == 200, page.text
    assert "Has a social worker, EHC plan, Child in need" in page.text
    assert "Ehcp" not in page.text


def test_a_long_answer_is_counted_and_refused_past_its_limit() -> None:
    long_text = [spec for spec in field_specs("record_meeting") if spec.kind == "textarea"]
    assert long_text
    assert all(spec.max_length == LONG_TEXT_LIMIT for spec in long_text)
    first = long_text[0]
    details, errors = parse_details("record_meeting", {first.name: "x" * (LONG_TEXT_LIMIT + 1)})
    assert details == {}
    assert errors[first.name].endswith("must be 4,000 characters or fewer")
