"""The family, school and letter-preview pages in process: what each role sees, refusals as pages, and the
preview form's error summary."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest

from shared.auth import SESSION_COOKIE, Role
from tests.services.casework.conftest import Harness
from tests.services.casework.fakes import summary_for
from tests.services.casework.form_tokens import form_token
from tests.services.casework.test_family_schools import _family, _opened, use_fakes
from tests.support.identities import token_for

pytestmark = pytest.mark.services


def _signed_in(harness: Harness, role: Role, **scope: Any) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={token_for(harness.platform, role, **scope)}"}


async def test_family_page_lists_visible_children_and_counts_the_rest(harness: Harness) -> None:
    ava, _, _ = await _family(harness)
    officer = _signed_in(harness, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    case = await harness.http.get(f"/cases/{ava}", headers=officer)
    assert f'href="/cases/{ava}/family"' in case.text
    assert f'href="/cases/{ava}/preview"' in case.text
    page = await harness.http.get(f"/cases/{ava}/family", headers=officer)
    assert page.status_code == 200
    assert "Ben Family" in page.text
    assert "88.0%" in page.text
    assert "Persistent absence" in page.text
    assert "Cara" not in page.text
    assert "1 other child in the family outside your access" in page.text
    elsewhere = _signed_in(harness, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900002"])
    refused = await harness.http.get(f"/cases/{ava}/family", headers=elsewhere)
    assert refused.status_code == 403
    assert "Ben Family" not in refused.text
    assert (await harness.http.get(f"/cases/{ava}/family")).status_code == 303


async def test_school_page_has_charts_with_tables_and_hides_names_from_governors(harness: Harness) -> None:
    await _family(harness)
    governor = await harness.http.get("/schools/900001", headers=_signed_in(harness, Role.GOVERNOR,
                                                                            school_urns=["900001"]))
    assert governor.status_code == 200
    text = governor.text
    assert "Millbrook Primary School" in text
    assert "<svg" in text
    assert 'role="img"' in text
    assert "Attendance by year group" in text
    assert "90.0%" in text  # overall attendance 7200 / 8000
    assert "Special educational needs" in text
    assert "Family" not in text
    assert "figures only" in text
    assert "Not shown: fewer than 5 pupils" in text
    officer = await harness.http.get("/schools/900001", headers=_signed_in(
        harness, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"]))
    assert "Ben Family" in officer.text
    assert "/schools/900001/tsm-pack" in officer.text
    refused = await harness.http.get("/schools/900001", headers=_signed_in(
        harness, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900002"]))
    assert refused.status_code == 403
    assert "You do not have access" in refused.text
    dashboard = await harness.http.get("/", headers=_signed_in(harness, Role.GOVERNOR, school_urns=["900001"]))
    assert 'href="/schools/900001"' in dashboard.text


async def test_preview_form_renders_the_letter_and_reports_missing_details(harness: Harness) -> None:
    ava, _, _ = await _family(harness)
    officer = _signed_in(harness, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    chooser = await harness.http.get(f"/cases/{ava}/preview", headers=officer)
    assert chooser.status_code == 200
    assert "Attendance meeting invitation" in chooser.text
    unchosen = await harness.http.get(f"/cases/{ava}/preview?choose=1", headers=officer)
    assert unchosen.status_code == 422
    assert "Select the letter or message to preview" in unchosen.text
    form = await harness.http.get(f"/cases/{ava}/preview?template=traffic_light_letter_parent", headers=officer)
    assert 'value="88.0"' in form.text  # attendance from register, filled in
    preview = f"/cases/{ava}/preview"
    shown = await harness.http.post(preview, headers=officer, data={
        "template": "meeting_invitation_parent", "ctx_meeting_date": "2026-12-02", "ctx_meeting_time": "15:30",
        "ctx_meeting_place": "the school office", "csrf_token": form_token(form, preview)})
    assert shown.status_code == 200
    assert "Preview of meeting_invitation_parent" in shown.text
    assert "meeting_place: the school office" in shown.text
    assert "not sent" in shown.text
    missing = await harness.http.post(preview, headers=officer, data={
        "template": "meeting_invitation_parent", "ctx_meeting_date": "2026-12-02",
        "csrf_token": form_token(shown, preview)})
    assert missing.status_code == 422
    assert "govuk-error-summary" in missing.text
    assert "meeting_time" in missing.text
    governor = await harness.http.get(f"/cases/{ava}/preview", headers=_signed_in(harness, Role.GOVERNOR,
                                                                                  school_urns=["900001"]))
    assert governor.status_code == 403


async def test_preview_dates_are_govuk_date_inputs_and_a_bad_date_previews_nothing(harness: Harness) -> None:
    ava = await _opened(harness, uuid4())
    previews = use_fakes(harness, {ava: summary_for(ava)})
    officer = _signed_in(harness, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    preview = f"/cases/{ava}/preview"
    form = await harness.http.get(f"{preview}?template=meeting_invitation_parent", headers=officer)
    assert form.status_code == 200
    assert 'type="date"' not in form.text
    for part in ("day", "month", "year"):
        assert f'name="ctx_meeting_date-{part}"' in form.text
    rest = {"template": "meeting_invitation_parent", "ctx_meeting_time": "15:30",
            "ctx_meeting_place": "the school office"}
    for parts, message in (({}, "Enter the meeting date"),
                           ({"day": "31", "month": "2", "year": "2027"}, "Meeting date must be a real date"),
                           ({"day": "3", "year": "2027"}, "Meeting date must include a month")):
        refused = await harness.http.post(preview, headers=officer, data={
            **rest, **{f"ctx_meeting_date-{k}": v for k, v in parts.items()}, "csrf_token": form_token(form, preview)})
        assert refused.status_code == 422, refused.text
        assert "govuk-error-summary" in refused.text
        assert message in refused.text
        assert 'href="#ctx_meeting_date-day"' in refused.text
        assert "Preview (not sent)" not in refused.text
        assert 'value="the school office"' in refused.text  # the officer's answers are kept
    shown = await harness.http.post(preview, headers=officer, data={
        **rest, "ctx_meeting_date-day": "2", "ctx_meeting_date-month": "12", "ctx_meeting_date-year": "2026",
        "csrf_token": form_token(form, preview)})
    assert shown.status_code == 200, shown.text
    assert "meeting_date: 2026-12-02" in shown.text
    assert [p.context["meeting_date"] for p in previews] == ["2026-12-02"]  # the refused forms previewed nothing


async def test_pupil_page_shows_marks_with_their_meanings(harness: Harness) -> None:
    ava, ben, cara = await _family(harness)
    officer = _signed_in(harness, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"])
    page = await harness.http.get(f"/pupils/{ben}", headers=officer)
    assert page.status_code == 200
    assert "Ben Family" in page.text
    assert "Reason for absence not yet established" in page.text
    assert "Present in the afternoon registration" in page.text
    assert f'href="/cases/{ben}"' in page.text
    refused = await harness.http.get(f"/pupils/{cara}", headers=officer)
    assert refused.status_code == 403
    assert "Cara" not in refused.text
