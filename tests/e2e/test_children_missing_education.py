"""Children missing education through the running system (issue 18 item 3): a new pupil absent all of their first
school day, a pupil deleted with destination unknown and 10 school days of continuous unauthorised absence each open
a CME concern in the pupil's journey; the LA's CME officer is told, the school's and the LA's reasonable enquiries
have deadlines on the case, the enquiries and the outcome are recorded through the casework API and shown on the
case page. Dates come from the demo school's calendar through register's API, so the test passes on any day."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from scripts.embedded import EmbeddedSystem
from shared import clock
from shared.auth import SESSION_COOKIE, Role
from shared.demo import DEMO_LA_CODE
from tests.e2e.test_leave_requests import OFFICER, school_days
from tests.e2e.test_walking_skeleton import SETTINGS, Register
from tests.support.identities import bearer, token_for
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

EWO = bearer(token_for(SETTINGS, Role.LA_EWO, la_code=DEMO_LA_CODE, name="Daniel Price"))
PAGE = {"Cookie": f"{SESSION_COOKIE}={token_for(SETTINGS, Role.LA_EWO, la_code=DEMO_LA_CODE)}"}
CME_OFFICER_TOLD = "Child who may be missing education (CME officer): sent"


class Case:
    def __init__(self, system: EmbeddedSystem, pupil: dict[str, object]) -> None:
        self.base = system.config.url("casework")
        self.url = f"{self.base}/api/v1/cases/{pupil['pupil_id']}"
        self.page = f"{self.base}/cases/{pupil['pupil_id']}"

    def get(self) -> dict[str, Any] | None:
        response = httpx.get(self.url, headers=EWO, timeout=15)
        return response.json() if response.status_code == 200 else None

    def concern(self, trigger: str) -> dict[str, Any]:
        """The open CME concern once the journey opened it for this reason and the officer's message went."""
        def opened() -> dict[str, Any] | None:
            case = self.get()
            if case is None or case["journey"] is None:
                return None
            told = any(e["title"] == CME_OFFICER_TOLD for e in case["timeline"])
            found = [c for c in case["journey"]["cme_concerns"]
                     if any(t["event_type"] == trigger for t in c["triggers"])]
            return found[-1] if found and told else None
        try:
            return wait_for(opened, timeout=240)
        except AssertionError:
            case = self.get()
            raise AssertionError(f"no CME concern for {trigger}: journey {case and case['journey']}, timeline "
                                 f"{case and [e['title'] for e in case['timeline']]}") from None

    def act(self, action: str, details: dict[str, Any], headers: dict[str, str] = EWO) -> httpx.Response:
        return httpx.post(f"{self.url}/actions", headers=headers, timeout=60,
                          json={"action": action, "details": details})


def _school_days_before_today(system: EmbeddedSystem, count: int) -> list[date]:
    days = [d for d in school_days(system, clock.today() - timedelta(days=69), clock.today()) if d < clock.today()]
    assert len(days) >= count, f"fewer than {count} school days in the last 10 weeks"
    return days[-count:]


def _mark(register: Register, pupil: dict[str, object], day: date, code: str) -> None:
    for session in ("AM", "PM"):
        response = register.mark(pupil, day, session, code)
        assert response.status_code == 200, response.text


def test_a_new_pupil_who_did_not_arrive_starts_the_cme_path_to_its_outcome(system: EmbeddedSystem) -> None:
    register = Register(system)
    [start_day] = _school_days_before_today(system, 1)
    pupil = register.admit_pupil_with_social_worker("Cora", start_day)
    _mark(register, pupil, start_day, "O")
    case = Case(system, pupil)

    concern = case.concern("did_not_arrive")
    assert concern["triggers"][0]["summary"] == \
        f"New pupil did not arrive on the agreed start day ({start_day.isoformat()})"
    assert concern["cme_officer"] == "Tom Okafor"
    current = case.get()
    assert current is not None
    kinds = {d["key"].split(":")[0]: d["due_date"] for d in current["deadlines"]}
    assert kinds == {"cme_school_enquiries": concern["school_enquiries_due"],
                     "cme_la_enquiries": concern["la_enquiries_due"]}
    assert clock.today().isoformat() < concern["school_enquiries_due"] <= concern["la_enquiries_due"]

    blank = case.act("record_cme_enquiry", {"by": "school", "made_by": "Priya Shah", "what_was_done": " ",
                                            "result": "No answer"}, headers=OFFICER)
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["field"] == "details.what_was_done"
    school = case.act("record_cme_enquiry", {"by": "school", "made_by": "Priya Shah, attendance officer",
                                             "what_was_done": "Phoned the mother twice and visited the home",
                                             "result": "Neighbours say the family moved to Southshire"},
                      headers=OFFICER)
    assert school.status_code == 200, school.text
    la = case.act("record_cme_enquiry", {"by": "la", "made_by": "Daniel Price, EWO",
                                         "what_was_done": "Asked Southshire's CME officer and the admissions team",
                                         "result": "On roll at Southshire Academy since last week"})
    assert la.status_code == 200, la.text
    found = case.act("record_cme_outcome", {"outcome": "found_at_school", "new_school": "Southshire Academy",
                                            "details": "Southshire Academy confirmed the pupil is on its roll"})
    assert found.status_code == 200, found.text

    closed = found.json()["cme_concerns"][-1]
    assert (closed["status"], closed["outcome"]) == ("closed", "found_at_school")
    assert [e["by"] for e in closed["enquiries"]] == ["school", "la"]
    assert not [d for d in found.json()["deadlines"] if d["kind"].startswith("cme_")]
    page = httpx.get(case.page, headers=PAGE, timeout=30)
    assert page.status_code == 200
    assert "Child missing education" in page.text
    assert "Found on the roll of another school, Southshire Academy" in page.text
    assert "Phoned the mother twice and visited the home" in page.text


def test_a_deletion_with_no_known_destination_and_continuous_absence_reach_the_la(system: EmbeddedSystem) -> None:
    register = Register(system)
    days = _school_days_before_today(system, 10)
    # Admitted long before the absence began: its first day is no start day the pupil failed to arrive on.
    admitted = clock.today() - timedelta(days=70)
    gone = register.admit_pupil_with_social_worker("Dara", admitted)
    deleted = httpx.post(f"{register.url}/api/v1/pupils/{gone['pupil_id']}/deletions", headers=OFFICER, timeout=30,
                         json={"ground": "9(1)(g)", "deletion_date": clock.today().isoformat(),
                               "destination": "unknown",
                               "details": "The family left the address; nobody knows where they went"})
    assert deleted.status_code == 201, deleted.text
    assert deleted.json()["destination_known"] is False
    concern = Case(system, gone).concern("pending_deletion")
    assert [t["summary"] for t in concern["triggers"]] == [
        "To be deleted from the admission register on ground 9(1)(g) with no known destination"]

    absent = register.admit_pupil_with_social_worker("Eli", admitted)
    for day in days:
        _mark(register, absent, day, "O")
    concern = Case(system, absent).concern("continuous_unauthorised_absence")
    assert [t["summary"] for t in concern["triggers"]] == ["10 school days of continuous unauthorised absence"]
    assert concern["status"] == "open"
    assert concern["la_enquiries_due"] > clock.today().isoformat()
