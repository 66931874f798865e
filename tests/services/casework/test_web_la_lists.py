"""The LA's absence lists as a casework page, against a stand-in for register's paged list: read as the
signed-in person (their token, so register's scope applies), 50 a page on register's cursor with each pupil
linked to their record, a stale cursor or another LA as a GOV.UK page saying so, a silent register as 503 (never
JSON), and each page that names pupils in the data protection lead's audit log."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from services.casework.service.school_directory import SchoolDirectory
from shared.auth import SESSION_COOKIE, Role, service_token
from shared.clients.register import RegisterClient
from shared.clients.register_lists import RegisterListsClient
from tests.services.casework.conftest import Harness
from tests.services.casework.fake_register_lists import PUPILS, FakeRegisterLists
from tests.services.casework.fakes import fake_register
from tests.support.identities import token_for

pytestmark = pytest.mark.services

ROW_LINK = re.compile(r'<td class="govuk-table__cell"><a class="govuk-link" href="/pupils/([0-9a-f-]+)">')


def _cookie(harness: Harness, role: Role, **scope: Any) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={token_for(harness.platform, role, **scope)}"}


@pytest.fixture
async def lists(harness: Harness) -> FakeRegisterLists:
    fake = FakeRegisterLists(harness.platform)
    await harness.app.state.register_lists.aclose()
    harness.app.state.register_lists = RegisterListsClient("http://register",
                                                           transport=httpx.ASGITransport(app=fake.app()))
    token = service_token("casework", "register", harness.platform)
    cw = harness.app.state.casework
    cw.register = RegisterClient("http://register", token, transport=httpx.ASGITransport(app=fake_register({}, {})))
    cw.schools = SchoolDirectory(cw.register)  # the schools' names from the same stand-in
    return fake


async def test_the_list_pages_through_registers_cursor_as_the_officer(harness: Harness,
                                                                      lists: FakeRegisterLists) -> None:
    ewo = _cookie(harness, Role.LA_EWO, la_code="999")
    first = await harness.http.get("/las/999/persistent-absentees", headers=ewo)
    assert first.status_code == 200, first.text
    assert lists.callers == ["test-la_ewo"]  # the officer's own token, not casework's
    assert ROW_LINK.findall(first.text) == [str(p.pupil_id) for p in PUPILS[:50]]
    assert "120 pupils" in first.text
    assert "Millbrook Primary School" in first.text  # schools by name, not URN
    assert re.search(r'href="/las/999/persistent-absentees\?severity=persistent&amp;after=at-50"', first.text)
    assert "First page" not in first.text
    second = await harness.http.get("/las/999/persistent-absentees?severity=persistent&after=at-50", headers=ewo)
    assert ROW_LINK.findall(second.text) == [str(p.pupil_id) for p in PUPILS[50:100]]
    assert "First page" in second.text
    last = await harness.http.get("/las/999/persistent-absentees?after=at-100", headers=ewo)
    assert ROW_LINK.findall(last.text) == [str(p.pupil_id) for p in PUPILS[100:]]
    assert "Next page" not in last.text
    severe = await harness.http.get("/las/999/persistent-absentees?severity=severe", headers=ewo)
    assert ROW_LINK.findall(severe.text) == [str(p.pupil_id) for p in PUPILS if p.severe_absence]
    assert severe.text.count(">Severe</strong>") == 3
    # An unknown list name is the persistent list, not an error.
    unknown = await harness.http.get("/las/999/persistent-absentees?severity=everyone", headers=ewo)
    assert ROW_LINK.findall(unknown.text) == [str(p.pupil_id) for p in PUPILS[:50]]

    dpo = {"Authorization": f"Bearer {token_for(harness.platform, Role.DATA_PROTECTION_LEAD, la_code='999')}"}
    audit = (await harness.http.get("/api/v1/audit", headers=dpo)).json()
    read = [item for item in audit["items"] if item["what"] == "la_flagged_pupils"]
    assert len(read) == 5
    assert {item["actor_subject"] for item in read} == {"test-la_ewo"}


async def test_the_virtual_school_head_is_shown_what_register_lets_her_see(harness: Harness,
                                                                           lists: FakeRegisterLists) -> None:
    vsh = _cookie(harness, Role.VIRTUAL_SCHOOL_HEAD, la_code="999")
    page = await harness.http.get("/las/999/persistent-absentees", headers=vsh)
    assert page.status_code == 200
    assert ROW_LINK.findall(page.text) == [str(PUPILS[0].pupil_id), str(PUPILS[7].pupil_id)]
    assert "looked-after pupils only" in page.text


async def test_refusals_and_silence_are_govuk_pages(harness: Harness, lists: FakeRegisterLists) -> None:
    ewo = _cookie(harness, Role.LA_EWO, la_code="999")
    other = await harness.http.get("/las/888/persistent-absentees", headers=ewo)
    assert other.status_code == 403
    assert "You do not have access to this page" in other.text
    stale = await harness.http.get("/las/999/persistent-absentees?after=forged", headers=ewo)
    assert stale.status_code == 422
    assert "Start again from the first page" in stale.text
    lists.down = True
    down = await harness.http.get("/las/999/persistent-absentees", headers=ewo)
    assert down.status_code == 503
    assert down.headers["content-type"].startswith("text/html")
    assert "The register service could not give the list just now" in down.text
    assert (await harness.http.get("/las/999/persistent-absentees")).status_code == 303  # not signed in
