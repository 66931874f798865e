"""Leave of absence through the running system: a parent's request granted by the head pre-fills the register with
C; refused leave taken as G reaches the case file, which says support is not appropriate for a term-time holiday;
deletion on ground 9(1)(h) needs a period of leave and 10 school days since it ended. Dates come from the demo
school's calendar through register's API, so the test passes on any day, in term or in the holidays."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest

from scripts.embedded import EmbeddedSystem
from services.register.domain.school_age import academic_year_of
from shared import clock
from shared.auth import Role
from shared.demo import DEMO_LA_CODE
from tests.e2e.test_walking_skeleton import SCHOOL_URN, SETTINGS, Register
from tests.support.identities import bearer, token_for
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

OFFICER = bearer(token_for(SETTINGS, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[SCHOOL_URN], name="Priya Shah"))
HEAD = bearer(token_for(SETTINGS, Role.HEADTEACHER, school_urns=[SCHOOL_URN], name="Hana Head"))
EWO = bearer(token_for(SETTINGS, Role.LA_EWO, la_code=DEMO_LA_CODE))
PARENT = "Pat Skeleton"  # the parent the walking skeleton's pupils live with


def school_days(system: EmbeddedSystem, since: date, until: date) -> list[date]:
    """Whole school days of the demo school from `since` to `until`, from its calendars (every weekday in a year
    without one, as register takes marks); days with any planned closure are left out."""
    url = system.config.url("register")
    days: list[date] = []
    for year in range(academic_year_of(since), academic_year_of(until) + 1):
        response = httpx.get(f"{url}/api/v1/schools/{SCHOOL_URN}/calendar/{year}", headers=OFFICER, timeout=30)
        start, end = max(since, date(year, 9, 1)), min(until, date(year + 1, 8, 31))
        span = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        weekdays = [d for d in span if d.weekday() < 5]
        if response.status_code == 404:
            days += weekdays
            continue
        assert response.status_code == 200, response.text
        calendar = response.json()
        closed = {date.fromisoformat(c["closure_date"]) for c in calendar["closures"]}

        def in_term(d: date, terms: list[dict[str, Any]] = calendar["terms"]) -> bool:
            for term in terms:
                if date.fromisoformat(term["start_date"]) <= d <= date.fromisoformat(term["end_date"]):
                    half = term.get("half_term_start")
                    return not (half and date.fromisoformat(half) <= d <= date.fromisoformat(term["half_term_end"]))
            return False

        days += [d for d in weekdays if in_term(d) and d not in closed]
    return sorted(days)


def admit(system: EmbeddedSystem, name: str) -> dict[str, object]:
    return Register(system).admit_pupil_with_social_worker(name, clock.today() - timedelta(days=70))


def recent_school_days(system: EmbeddedSystem, pupil: dict[str, object], count: int) -> list[date]:
    days = school_days(system, clock.today() - timedelta(days=69), clock.today())
    assert len(days) >= count, f"fewer than {count} school days since the pupil's admission"
    return days[-count:]


def request_leave(system: EmbeddedSystem, pupil: dict[str, object], start: date, end: date,
                  **overrides: str) -> dict[str, Any]:
    body = {"ground": "exceptional_circumstances", "start_date": start.isoformat(), "end_date": end.isoformat(),
            "reasons": "Family holiday abroad", "requested_by": "parent", "requester_name": PARENT,
            "requested_on": (start - timedelta(days=14)).isoformat(), **overrides}
    response = httpx.post(f"{system.config.url('register')}/api/v1/pupils/{pupil['pupil_id']}/leave-requests",
                          json=body, headers=OFFICER, timeout=30)
    assert response.status_code == 201, response.text
    made: dict[str, Any] = response.json()
    return made


def decide(system: EmbeddedSystem, pupil: dict[str, object], leave_id: str, decision: str,
           headers: dict[str, str] = HEAD) -> httpx.Response:
    return httpx.post(
        f"{system.config.url('register')}/api/v1/pupils/{pupil['pupil_id']}/leave-requests/{leave_id}/decision",
        json={"decision": decision}, headers=headers, timeout=60)


def marks(system: EmbeddedSystem, pupil: dict[str, object], start: date, end: date) -> dict[tuple[str, str], str]:
    response = httpx.get(f"{system.config.url('register')}/api/v1/pupils/{pupil['pupil_id']}/marks",
                         params={"from": start.isoformat(), "to": end.isoformat()}, headers=OFFICER, timeout=30)
    assert response.status_code == 200, response.text
    return {(m["session_date"], m["session"]): m["code"] for m in response.json()}


def test_granted_leave_prefills_the_register_with_c(system: EmbeddedSystem) -> None:
    pupil = admit(system, "Lena")
    first, last = recent_school_days(system, pupil, 2)
    made = request_leave(system, pupil, first, last, reasons="Funeral of a grandparent abroad")
    assert made["status"] == "requested"
    assert decide(system, pupil, made["id"], "granted", headers=OFFICER).status_code == 403

    granted = decide(system, pupil, made["id"], "granted")
    assert granted.status_code == 200, granted.text
    assert granted.json()["prefilled_sessions"] == 4
    assert set(marks(system, pupil, first, last).values()) == {"C"}
    assert len(marks(system, pupil, first, last)) == 4


def _refusal_on_case(system: EmbeddedSystem, pupil_id: str) -> dict[str, Any] | None:
    response = httpx.get(f"{system.config.url('casework')}/api/v1/cases/{UUID(pupil_id)}", headers=EWO, timeout=10)
    if response.status_code != 200:
        return None
    return next((e for e in response.json().get("timeline", []) if e["kind"] == "register_event"
                 and e["title"].startswith("Leave refused but taken")), None)


def test_refused_leave_taken_as_g_reaches_the_case(system: EmbeddedSystem) -> None:
    pupil = admit(system, "Milo")
    first, last = recent_school_days(system, pupil, 2)
    made = request_leave(system, pupil, first, last)
    refused = decide(system, pupil, made["id"], "refused")
    assert refused.status_code == 200, refused.text
    assert marks(system, pupil, first, last) == {}

    assert Register(system).mark(pupil, first, "AM", "G").status_code == 200
    entry = wait_for(lambda: _refusal_on_case(system, str(pupil["pupil_id"])), timeout=90)
    assert "support is not appropriate" in entry["title"]
    assert entry["details"]["session_date"] == first.isoformat()
    assert entry["details"]["code"] == "G"


def delete_on_h(system: EmbeddedSystem, pupil: dict[str, object]) -> httpx.Response:
    return httpx.post(f"{system.config.url('register')}/api/v1/pupils/{pupil['pupil_id']}/deletions",
                      json={"ground": "9(1)(h)", "deletion_date": clock.today().isoformat(),
                            "details": "Not back after leave; school and LA enquiries have not located the family"},
                      headers=OFFICER, timeout=30)


def test_deletion_on_9_1_h_needs_leave_that_ended_10_school_days_ago(system: EmbeddedSystem) -> None:
    without_leave = admit(system, "Nia")
    refused = delete_on_h(system, without_leave)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "ground"

    days = recent_school_days(system, without_leave, 14)
    recent = admit(system, "Omar")
    # Leave that ended on the last school day before today: too few school days have passed since.
    ended = [d for d in days if d < clock.today()][-1]
    assert decide(system, recent, request_leave(system, recent, ended, ended)["id"], "granted").status_code == 200
    too_soon = delete_on_h(system, recent)
    assert too_soon.status_code == 422, too_soon.text
    assert "9(1)(h) needs 10" in too_soon.json()["detail"]

    gone = admit(system, "Pia")
    # The leave ended on a school day followed by at least 12 more before today.
    end = days[0]
    assert decide(system, gone, request_leave(system, gone, end, end)["id"], "granted").status_code == 200
    deleted = delete_on_h(system, gone)
    assert deleted.status_code == 201, deleted.text
    assert deleted.json()["ground"] == "9(1)(h)"
