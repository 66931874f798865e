"""The case page's "Sickness expected to reach 15 days" card through casework's web app, against a stand-in
returns speaking the shared contract: only this pupil's expectations, recorded and withdrawn as the officer
(their own token), returns' refusals in the error summary, returns down as a message, who sees the grounds,
and the form token."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from services.casework.web.sickness_card import KeptExpectations
from shared.auth import SESSION_COOKIE, Role
from shared.clients.returns_expectations import SicknessExpectationsClient
from tests.services.casework.conftest import Harness, register_event, unreachable
from tests.services.casework.fake_returns import FakeReturns
from tests.services.casework.form_tokens import form_token, token_of_session
from tests.support.identities import token_for

pytestmark = pytest.mark.services

OFFICER: dict[str, Any] = {"role": Role.SCHOOL_ATTENDANCE_OFFICER, "school_urns": ["900001"]}
GROUNDS = "Hospital letter: knee surgery on 1 March and 4 weeks' recovery"
FORM = {"sickness_start-day": "1", "sickness_start-month": "3", "sickness_start-year": "2027",
        "expected_return-day": "6", "expected_return-month": "4", "expected_return-year": "2027",
        "grounds": GROUNDS}


class Officer:
    """One signed-in person: their session token, sent as the cookie the officer UI sets."""

    def __init__(self, harness: Harness, role: Role, **scope: Any) -> None:
        self.harness = harness
        self.token = (harness.social_worker_token(scope.pop("pupil_ids", []), **scope) if role is Role.SOCIAL_WORKER
                      else token_for(harness.platform, role, **scope))
        self.headers = {"Cookie": f"{SESSION_COOKIE}={self.token}"}

    async def page(self, pupil_id: UUID) -> httpx.Response:
        return await self.harness.http.get(f"/cases/{pupil_id}", headers=self.headers)

    async def form_token(self, pupil_id: UUID) -> str:
        """The token of the form that records an expectation, on its own page, reached from the case page."""
        case_page = await self.page(pupil_id)
        assert f'href="/cases/{pupil_id}/sickness-expectations/new"' in case_page.text
        form_page = await self.harness.http.get(f"/cases/{pupil_id}/sickness-expectations/new", headers=self.headers)
        assert form_page.status_code == 200, form_page.text
        return form_token(form_page, f"/cases/{pupil_id}/sickness-expectations")

    async def record(self, pupil_id: UUID, **changes: str) -> httpx.Response:
        data = {**FORM, "csrf_token": await self.form_token(pupil_id), **changes}
        return await self.harness.http.post(f"/cases/{pupil_id}/sickness-expectations", data=data,
                                            headers=self.headers)

    async def withdraw(self, pupil_id: UUID, expectation_id: UUID, *, via: UUID | None = None) -> httpx.Response:
        """Withdraw with the token read from the expectation's withdraw form on the case page of `via` (this
        pupil's unless given), as a browser would post it."""
        shown = via or pupil_id
        token = form_token(await self.page(shown),
                           f"/cases/{shown}/sickness-expectations/{expectation_id}/withdraw")
        return await self.harness.http.post(
            f"/cases/{pupil_id}/sickness-expectations/{expectation_id}/withdraw",
            data={"csrf_token": token}, headers=self.headers)


async def _opened(harness: Harness, name: str = "Ava Example") -> UUID:
    event = register_event(display_name=name)
    assert (await harness.http.post("/internal/events", json=event, headers=harness.service())).status_code == 200
    return UUID(event["pupil"]["pupil_id"])


@pytest.fixture
async def returns(harness: Harness) -> FakeReturns:
    fake = FakeReturns(harness.platform)
    await harness.app.state.sickness_expectations.aclose()
    harness.app.state.sickness_expectations = SicknessExpectationsClient(
        "http://returns", transport=httpx.ASGITransport(app=fake.app()))
    return fake


async def test_the_card_lists_only_this_pupils_expectations_read_as_the_officer(harness: Harness,
                                                                              returns: FakeReturns) -> None:
    ava, ben = await _opened(harness), await _opened(harness, "Ben Example")
    returns.add("900001", ava, GROUNDS)
    returns.add("900001", ben, "Ben's consultant letter about glandular fever")
    officer = Officer(harness, **OFFICER)
    page = await officer.page(ava)
    assert page.status_code == 200
    assert "Sickness expected to reach 15 days" in page.text
    assert "Hospital letter: knee surgery" in page.text
    assert "1 March 2027" in page.text
    assert "6 April 2027" in page.text
    assert "By Priya Shah on 26 February 2027 at 9:30am" in page.text  # recorded 09:30 UTC, GMT in February
    assert "glandular fever" not in page.text
    assert [c.authorization for c in returns.calls] == [f"Bearer {officer.token}"]
    assert returns.calls[0].path == "/api/v1/schools/900001/sickness-expectations"
    empty = await officer.page(await _opened(harness, "Cara Example"))
    assert "No sickness is expected to reach 15 days for this pupil." in empty.text


async def test_recording_posts_the_contract_body_as_the_officer(harness: Harness, returns: FakeReturns) -> None:
    ava = await _opened(harness)
    returns.registers["900001"] = {ava}
    officer = Officer(harness, **OFFICER)
    done = await officer.record(ava, grounds=f"  {GROUNDS}  ")
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"/cases/{ava}?done=sickness#sickness-expectations"
    posted = [c for c in returns.calls if c.method == "POST"]
    assert len(posted) == 1
    assert posted[0].authorization == f"Bearer {officer.token}"
    assert posted[0].subject == "test-school_attendance_officer"
    assert posted[0].body == {"pupil_id": str(ava), "sickness_start": "2027-03-01",
                              "expected_return": "2027-04-06", "grounds": GROUNDS}
    page = await harness.http.get(done.headers["location"], headers=officer.headers)
    assert "The sickness expectation has been recorded." in page.text
    assert "Hospital letter: knee surgery" in page.text
    # An LA officer of the school's LA may record too.
    ewo = Officer(harness, Role.LA_EWO, la_code="999")
    assert (await ewo.record(ava, **{"sickness_start-day": "2"})).status_code == 303
    assert returns.calls[-1].subject == "test-la_ewo"


async def test_returns_refusal_shows_in_the_error_summary_and_keeps_the_answers(harness: Harness,
                                                                                returns: FakeReturns) -> None:
    ava = await _opened(harness)
    returns.registers["900001"] = {ava}
    officer = Officer(harness, **OFFICER)
    early = await officer.record(ava, **{"expected_return-day": "1", "expected_return-month": "2"})
    assert early.status_code == 422
    assert "govuk-error-summary" in early.text
    assert '<a href="#expected_return-day">The expected return must be after the first day of sickness.</a>' \
        in early.text
    assert 'id="expected_return-error"' in early.text
    assert 'name="expected_return-month" type="text" value="2"' in early.text
    assert "knee surgery on 1 March and 4 weeks&#39; recovery</textarea>" in early.text
    assert "<title>Error:" in early.text
    # Not on the register that day: returns' refusal on pupil_id is shown against the first day of sickness.
    returns.registers["900001"] = set()
    absent = await officer.record(ava)
    assert absent.status_code == 422
    assert '<a href="#sickness_start-day">That pupil is not on this school' in absent.text
    assert 'id="sickness_start-error"' in absent.text


async def test_answers_checked_before_asking_returns(harness: Harness, returns: FakeReturns) -> None:
    ava = await _opened(harness)
    officer = Officer(harness, **OFFICER)
    wrong = await officer.record(ava, **{"sickness_start-day": "31", "sickness_start-month": "2",
                                         "expected_return-day": "", "expected_return-month": "",
                                         "expected_return-year": "", "grounds": " "})
    assert wrong.status_code == 422
    text = wrong.text
    assert '<a href="#sickness_start-day">The first day of sickness must be a real date</a>' in text
    assert '<a href="#expected_return-day">Enter the expected return</a>' in text
    assert '<a href="#grounds">Enter the grounds for expecting 15 days of sickness</a>' in text
    assert 'name="sickness_start-day" type="text" value="31"' in text
    assert not [c for c in returns.calls if c.method == "POST"]


async def test_a_conflict_is_shown_as_a_message(harness: Harness, returns: FakeReturns) -> None:
    ava = await _opened(harness)
    returns.registers["900001"] = {ava}
    returns.add("900001", ava, GROUNDS)
    officer = Officer(harness, **OFFICER)
    again = await officer.record(ava, grounds="A second letter")
    assert again.status_code == 409
    assert "govuk-error-summary" in again.text
    assert "already recorded: withdraw it first" in again.text
    assert "A second letter</textarea>" in again.text


async def test_returns_down_is_a_message_and_nothing_is_saved(harness: Harness) -> None:
    ava = await _opened(harness)
    await harness.app.state.sickness_expectations.aclose()
    harness.app.state.sickness_expectations = SicknessExpectationsClient(unreachable(), timeout=1.0)
    officer = Officer(harness, **OFFICER)
    page = await officer.page(ava)
    assert page.status_code == 200
    assert "could not be loaded from the returns service just now" in page.text
    posted = await officer.record(ava)
    assert posted.status_code < 500
    assert "The returns service could not be reached, so nothing was saved." in posted.text
    assert "knee surgery on 1 March" in posted.text
    assert "Ava Example" in posted.text


async def test_withdrawing_removes_it_from_the_card(harness: Harness, returns: FakeReturns) -> None:
    ava = await _opened(harness)
    kept = returns.add("900001", ava, GROUNDS)
    officer = Officer(harness, **OFFICER)
    page = await officer.page(ava)
    assert f'action="/cases/{ava}/sickness-expectations/{kept.id}/withdraw"' in page.text
    done = await officer.withdraw(ava, kept.id)
    assert done.status_code == 303
    assert done.headers["location"] == f"/cases/{ava}?done=sickness_withdrawn#sickness-expectations"
    assert returns.expectations[kept.id].withdrawn_by == "test-school_attendance_officer"
    assert returns.calls[-1].authorization == f"Bearer {officer.token}"
    after = await harness.http.get(done.headers["location"], headers=officer.headers)
    assert "The sickness expectation has been withdrawn." in after.text
    assert "knee surgery" not in after.text
    # Posted again (the back button): it is no longer one of this pupil's current expectations.
    twice = await harness.http.post(f"/cases/{ava}/sickness-expectations/{kept.id}/withdraw", headers=officer.headers,
                                    data={"csrf_token": await officer.form_token(ava)})
    assert twice.status_code == 404
    assert "This pupil has no such sickness expectation" in twice.text
    assert len([c for c in returns.calls if c.method == "POST"]) == 1


async def test_who_sees_the_grounds(harness: Harness, returns: FakeReturns) -> None:
    ava = await _opened(harness)
    kept = returns.add("900001", ava, GROUNDS)
    for role, scope in ((Role.SOCIAL_WORKER, {"pupil_ids": [ava]}),
                        (Role.VIRTUAL_SCHOOL_HEAD, {"la_code": "999"})):
        person = Officer(harness, role, **scope)
        page = await person.page(ava)
        assert "knee surgery" not in page.text
        assert "Sickness expected to reach 15 days" not in page.text
        assert "csrf_token" not in page.text
    social_worker = Officer(harness, Role.SOCIAL_WORKER, pupil_ids=[ava])
    assert (await social_worker.page(ava)).status_code == 200
    governor = Officer(harness, Role.GOVERNOR, school_urns=["900001"])
    refused = await governor.page(ava)
    assert refused.status_code == 403
    assert "knee surgery" not in refused.text
    assert returns.calls == []  # returns was never asked on their behalf
    # The data protection lead reads them, with no form and no withdraw button.
    lead = Officer(harness, Role.DATA_PROTECTION_LEAD, la_code="999")
    read = await lead.page(ava)
    assert "knee surgery" in read.text
    assert "Record sickness expectation" not in read.text
    assert "/sickness-expectations/new" not in read.text
    assert "/withdraw" not in read.text
    assert (await harness.http.get(f"/cases/{ava}/sickness-expectations/new",
                                   headers=lead.headers)).status_code == 403
    # Nor may any of them post, even with the genuine form token of their own session.
    for person in (social_worker, governor, lead):
        posted = await harness.http.post(f"/cases/{ava}/sickness-expectations", headers=person.headers,
                                         data={**FORM, "csrf_token": token_of_session(harness.platform,
                                                                                       person.token)})
        assert posted.status_code == 403, (person.token, posted.status_code)
        withdrawn = await harness.http.post(f"/cases/{ava}/sickness-expectations/{kept.id}/withdraw",
                                            headers=person.headers,
                                            data={"csrf_token": token_of_session(harness.platform, person.token)})
        assert withdrawn.status_code == 403
    assert not [c for c in returns.calls if c.method == "POST"]
    assert returns.expectations[kept.id].withdrawn_at is None


async def test_forms_need_this_sessions_form_token(harness: Harness, returns: FakeReturns) -> None:
    ava = await _opened(harness)
    returns.registers["900001"] = {ava}
    kept = returns.add("900001", ava, GROUNDS)
    officer = Officer(harness, **OFFICER)
    other = Officer(harness, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=["900001"], name="Someone Else")
    others_token = await other.form_token(ava)
    assert others_token != await officer.form_token(ava)
    for token in (None, "", "0" * 64, others_token):
        data = {**FORM} if token is None else {**FORM, "csrf_token": token}
        refused = await harness.http.post(f"/cases/{ava}/sickness-expectations", data=data, headers=officer.headers)
        assert refused.status_code == 403
        assert "This form could not be checked" in refused.text
        withdrawal = await harness.http.post(f"/cases/{ava}/sickness-expectations/{kept.id}/withdraw",
                                             data={} if token is None else {"csrf_token": token},
                                             headers=officer.headers)
        assert withdrawal.status_code == 403
    assert not [c for c in returns.calls if c.method == "POST"]
    signed_out = await harness.http.post(f"/cases/{ava}/sickness-expectations", data=FORM)
    assert signed_out.status_code == 303
    assert signed_out.headers["location"] == "/sign-in"
    assert (await officer.record(ava, **{"sickness_start-day": "8"})).status_code == 303


async def test_a_pupil_id_that_is_not_a_case_is_not_found(harness: Harness, returns: FakeReturns) -> None:
    officer = Officer(harness, **OFFICER)
    ava = await _opened(harness)
    token = await officer.form_token(ava)
    missing = await harness.http.post(f"/cases/{uuid4()}/sickness-expectations",
                                      data={**FORM, "csrf_token": token}, headers=officer.headers)
    assert missing.status_code == 404
    assert not [c for c in returns.calls if c.method == "POST"]


async def test_only_this_pupils_current_expectations_can_be_withdrawn(harness: Harness,
                                                                      returns: FakeReturns) -> None:
    ava, ben = await _opened(harness), await _opened(harness, "Ben Example")
    avas = returns.add("900001", ava, GROUNDS)
    bens = returns.add("900001", ben, "Ben's consultant letter about glandular fever")
    officer = Officer(harness, **OFFICER)
    # Ben's, through Ava's case: the same school, so returns would withdraw it; casework must not ask it to.
    crossed = await officer.withdraw(ava, bens.id, via=ben)
    assert crossed.status_code == 404
    assert "This pupil has no such sickness expectation" in crossed.text
    assert "glandular fever" not in crossed.text
    unknown = await harness.http.post(f"/cases/{ava}/sickness-expectations/{uuid4()}/withdraw",
                                      headers=officer.headers, data={"csrf_token": await officer.form_token(ava)})
    assert unknown.status_code == 404
    assert not [c for c in returns.calls if c.method == "POST"]
    assert returns.expectations[bens.id].withdrawn_at is None
    # Returns down when casework checks: a message on the case page, and nothing withdrawn.
    token = form_token(await officer.page(ava), f"/cases/{ava}/sickness-expectations/{avas.id}/withdraw")
    reachable = harness.app.state.sickness_expectations
    harness.app.state.sickness_expectations = SicknessExpectationsClient(unreachable(), timeout=1.0)
    down = await harness.http.post(f"/cases/{ava}/sickness-expectations/{avas.id}/withdraw",
                                   headers=officer.headers, data={"csrf_token": token})
    await harness.app.state.sickness_expectations.aclose()
    harness.app.state.sickness_expectations = reachable
    assert down.status_code == 200
    assert "The returns service could not be reached, so the expectation was not withdrawn." in down.text
    assert returns.expectations[avas.id].withdrawn_at is None
    # Each through its own pupil's case.
    assert (await officer.withdraw(ben, bens.id)).status_code == 303
    assert returns.expectations[bens.id].withdrawn_by == "test-school_attendance_officer"
    assert (await officer.withdraw(ava, avas.id)).status_code == 303


async def test_the_card_keeps_the_schools_list_briefly_and_forgets_it_on_casework_changes(
        harness: Harness, returns: FakeReturns) -> None:
    ava, ben = await _opened(harness), await _opened(harness, "Ben Example")
    returns.registers["900001"] = {ava, ben}
    officer = Officer(harness, **OFFICER)

    def listed() -> int:
        return len([c for c in returns.calls if c.method == "GET"])

    await officer.page(ava)
    await officer.page(ben)  # the same school's list, kept: returns is not asked again
    assert listed() == 1
    # Recorded through returns' API directly: shown once the kept list is older than its maximum age.
    returns.add("900001", ben, "Ben's consultant letter about glandular fever")
    assert "glandular fever" not in (await officer.page(ben)).text
    harness.app.state.sickness_kept = KeptExpectations(0)
    assert "glandular fever" in (await officer.page(ben)).text
    # Recorded through casework: the page it redirects to shows it at once, however long lists are kept.
    harness.app.state.sickness_kept = KeptExpectations(600)
    await officer.page(ava)
    done = await officer.record(ava)
    assert done.status_code == 303, done.text
    assert "Hospital letter: knee surgery" in (await officer.page(ava)).text
