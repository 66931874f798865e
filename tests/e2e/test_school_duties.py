"""School duties the guidance lists (rules.md s10, issue 18 item 7) on the running system, as the real roles use
it: a school records its attendance policy (required items covered, review date flagged once past) and its senior
attendance champion, which its LA reads; the LA names its point of contact for a school, which the school's cases
and page then show; an independent school's pupils get no penalty notice (the journey says why) while its register
and returns go on; and each school's governor report is stored at the end of each term of its own calendar, once.
Dates come from shared.clock.today()."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from temporalio.service import RPCError

from scripts.embedded import EmbeddedSystem
from services.casework.settings import CaseworkSettings
from services.register.domain.upn import make_upn
from shared import clock
from shared.auth import SESSION_COOKIE, Role
from shared.contracts.returns import (
    TASK_QUEUE,
    GovernorReportsInput,
    GovernorReportsResult,
    LaReturnsInput,
    LaReturnsOutcome,
    ReturnKind,
    governor_reports_schedule_id,
)
from shared.demo import DEMO_LA_CODE
from shared.settings import PlatformSettings
from shared.temporal import connect
from tests.support.identities import bearer, token_for
from tests.support.waiting import wait_for
from workflows.returns import LaReturnsWorkflow, TermlyGovernorReportsWorkflow

pytestmark = pytest.mark.e2e

SETTINGS = PlatformSettings(environment="test")
MILLBROOK, HARBOUR, OAKFIELD = "900001", "900002", "900003"
EWO_TOKEN = token_for(SETTINGS, Role.LA_EWO, la_code=DEMO_LA_CODE, name="Daniel Price")
EWO = bearer(EWO_TOKEN)
EWO_PAGES = {"Cookie": f"{SESSION_COOKIE}={EWO_TOKEN}"}
OTHER_LA = bearer(token_for(SETTINGS, Role.LA_EWO, la_code="998", name="Elsewhere Officer"))
MILLBROOK_OFFICER = bearer(token_for(SETTINGS, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[MILLBROOK],
                                     name="Priya Shah"))
OAKFIELD_OFFICER = bearer(token_for(SETTINGS, Role.SCHOOL_ATTENDANCE_OFFICER, school_urns=[OAKFIELD],
                                    name="Oakfield Officer"))
OAKFIELD_HEAD = bearer(token_for(SETTINGS, Role.HEADTEACHER, school_urns=[OAKFIELD], name="Martin Hughes"))
OAKFIELD_GOVERNOR = bearer(token_for(SETTINGS, Role.GOVERNOR, school_urns=[OAKFIELD], name="Oakfield Governor"))
# Register tells casework a school's LA contact changed (a register change through its outbox), and casework rebuilds
# the school's case views: seconds, with a margin for a busy machine, and far less than the views' maximum age.
CONTACT_REACHES_CASES = 45.0
assert CONTACT_REACHES_CASES < CaseworkSettings.model_fields["case_view_max_age_seconds"].default
SCHOOL_CONTACT = {"name": "Dev Patel", "email": "dev.patel@northshire.example.gov", "phone": "01632 960 777"}
DECISION = {"support_offered": "Attendance meetings and an action plan", "support_taken_up": False,
            "family_view": "Parent says the pupil refuses to go"}


def register(system: EmbeddedSystem, path: str) -> str:
    return f"{system.config.url('register')}/api/v1{path}"


def casework(system: EmbeddedSystem, path: str) -> str:
    return f"{system.config.url('casework')}{path}"


def admit(system: EmbeddedSystem, urn: str, headers: dict[str, str], admitted: date) -> str:
    # An establishment number of its own, so no demo pupil (serials from 1 at each school) shares the UPN.
    upn = make_upn(DEMO_LA_CODE, "7009", "26", uuid.uuid4().int % 1000)
    response = httpx.post(register(system, f"/schools/{urn}/pupils"), headers=headers, timeout=30,
                          json={"upn": upn, "legal_forename": "Indy", "legal_surname": "Duties",
                                "date_of_birth": "2013-06-01", "sex": "F", "year_group": "9",
                                "address": "7 Policy Row, Northshire", "admission_date": admitted.isoformat(),
                                "parents": [{"name": "Kit Duties", "relationship": "Mother",
                                             "email": "kit.duties@example.org", "parental_responsibility": True,
                                             "lives_with_pupil": True}]})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def case_file(system: EmbeddedSystem, pupil_id: str) -> dict[str, Any] | None:
    response = httpx.get(casework(system, f"/api/v1/cases/{pupil_id}"), headers=EWO, timeout=30)
    return response.json() if response.status_code == 200 else None


def contact_named_for(system: EmbeddedSystem, pupil_id: str) -> dict[str, Any] | None:
    case = case_file(system, pupil_id)
    return case["la_point_of_contact"] if case is not None else None


def wait_for_journey(system: EmbeddedSystem, pupil_id: str) -> dict[str, Any]:
    # The journey answers once its worker has taken its first task (busy while the demo loads).
    def ready() -> dict[str, Any] | None:
        case = case_file(system, pupil_id)
        return case if case is not None and case["journey"] is not None else None

    return wait_for(ready, timeout=120)


def fields(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return [e["field"] for e in response.json()["errors"]]


def test_a_school_records_its_policy_and_champion_and_its_la_reads_them(system: EmbeddedSystem) -> None:
    today = clock.today()
    policy = {"url": "https://millbrook.example.org/attendance-policy",
              "review_date": (today - timedelta(days=1)).isoformat(),
              "covers": ["expectations_and_times", "senior_attendance_champion", "first_day_follow_up"]}
    url = register(system, f"/schools/{MILLBROOK}/attendance-policy")
    # Only the school's own staff record it; the LA reads.
    assert httpx.put(url, json=policy, headers=EWO, timeout=30).status_code == 403
    assert "url" in fields(httpx.put(url, json={**policy, "url": "millbrook policy"}, headers=MILLBROOK_OFFICER,
                                     timeout=30))
    bad_day = f"{today.year}-02-30"
    assert "review_date" in fields(httpx.put(url, json={**policy, "review_date": bad_day},
                                             headers=MILLBROOK_OFFICER, timeout=30))
    assert "covers" in fields(httpx.put(url, json={**policy, "covers": ["homework"]}, headers=MILLBROOK_OFFICER,
                                        timeout=30))
    recorded = httpx.put(url, json=policy, headers=MILLBROOK_OFFICER, timeout=30)
    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["review_overdue"] is True
    assert "leave_of_absence" in recorded.json()["missing"]

    champion = {"name": "Grace Adeyemi", "role": "Deputy headteacher", "email": "g.adeyemi@millbrook.example.org"}
    champion_url = register(system, f"/schools/{MILLBROOK}/attendance-champion")
    assert "email" in fields(httpx.put(champion_url, json={**champion, "email": "grace"},
                                       headers=MILLBROOK_OFFICER, timeout=30))
    assert httpx.put(champion_url, json=champion, headers=MILLBROOK_OFFICER, timeout=30).status_code == 200

    duties = httpx.get(register(system, f"/schools/{MILLBROOK}/duties"), headers=EWO, timeout=30)
    assert duties.status_code == 200, duties.text
    assert duties.json()["attendance_policy"]["url"] == policy["url"]
    assert duties.json()["attendance_policy"]["review_overdue"] is True
    assert duties.json()["attendance_champion"] == champion
    assert httpx.get(register(system, f"/schools/{MILLBROOK}/duties"), headers=OTHER_LA,
                     timeout=30).status_code == 403

    # The school page in casework shows them, the overdue review marked.
    page = httpx.get(casework(system, f"/schools/{MILLBROOK}"), headers=EWO_PAGES, timeout=60)
    assert page.status_code == 200, page.text
    assert "School duties" in page.text
    assert "Review overdue" in page.text
    assert "Grace Adeyemi, Deputy headteacher (g.adeyemi@millbrook.example.org)" in page.text

    # Reviewed: a review date ahead is not overdue.
    ahead = httpx.put(url, json={**policy, "review_date": (today + timedelta(days=180)).isoformat()},
                      headers=MILLBROOK_OFFICER, timeout=30)
    assert ahead.json()["review_overdue"] is False

    # The demo loader gives Harbour View a policy (one item not yet covered) and its champion.
    harbour = httpx.get(register(system, f"/schools/{HARBOUR}/duties"), headers=EWO, timeout=30).json()
    assert harbour["attendance_policy"]["missing"] == ["legal_intervention"]
    assert harbour["attendance_champion"]["name"] == "Grace Okafor"


def test_the_las_point_of_contact_for_a_school_is_on_its_cases_and_page(system: EmbeddedSystem) -> None:
    pupil_id = admit(system, OAKFIELD, OAKFIELD_OFFICER, clock.today() - timedelta(days=3))
    case = wait_for_journey(system, pupil_id)
    # Without one named for the school, the LA-wide named contact (casework's CASEWORK_LAS).
    assert case["la_point_of_contact"]["named_for"] == "la"
    contact_url = register(system, f"/schools/{OAKFIELD}/la-contact")
    assert httpx.put(contact_url, json=SCHOOL_CONTACT, headers=OAKFIELD_OFFICER, timeout=30).status_code == 403
    assert "email" in fields(httpx.put(contact_url, json={**SCHOOL_CONTACT, "email": "dev"}, headers=EWO,
                                       timeout=30))
    try:
        assert httpx.put(contact_url, json=SCHOOL_CONTACT, headers=EWO, timeout=30).status_code == 200
        wait_for(lambda: contact_named_for(system, pupil_id) == {**SCHOOL_CONTACT, "named_for": "school"},
                 timeout=CONTACT_REACHES_CASES, interval=1)
        page = httpx.get(casework(system, f"/cases/{pupil_id}"), headers=EWO_PAGES, timeout=60)
        assert page.status_code == 200, page.text
        assert "LA point of contact for the school" in page.text
        assert "Dev Patel (dev.patel@northshire.example.gov, 01632 960 777), named for this school" in page.text
        school_page = httpx.get(casework(system, f"/schools/{OAKFIELD}"), headers=EWO_PAGES, timeout=60)
        assert "Dev Patel" in school_page.text
    finally:
        # The rest of the suite expects the LA-wide contact at the demo's schools.
        assert httpx.delete(contact_url, headers=EWO, timeout=30).status_code == 204
    wait_for(lambda: (contact_named_for(system, pupil_id) or {}).get("named_for") == "la",
             timeout=CONTACT_REACHES_CASES, interval=1)


def test_an_independent_schools_pupils_get_no_penalty_notice_but_its_returns_go_on(system: EmbeddedSystem) -> None:
    independent_url = register(system, f"/schools/{OAKFIELD}/independent")
    assert httpx.put(independent_url, json={"independent": True}, headers=OAKFIELD_OFFICER,
                     timeout=30).status_code == 403
    admitted = clock.today() - timedelta(days=3)
    try:
        assert httpx.put(independent_url, json={"independent": True}, headers=EWO, timeout=30).status_code == 200
        pupil_id = admit(system, OAKFIELD, OAKFIELD_OFFICER, admitted)
        case = wait_for_journey(system, pupil_id)
        assert case["case"]["flags"]["independent_school"] is True

        url = casework(system, f"/api/v1/cases/{pupil_id}")
        decided = httpx.post(f"{url}/decisions", headers=EWO, timeout=60,
                             json={"legal_step": "issue_penalty_notice", **DECISION})
        assert decided.status_code in (200, 201), decided.text
        refused = httpx.post(f"{url}/actions", headers=EWO, timeout=60,
                             json={"action": "issue_penalty_notice",
                                   "details": {"parent": "parent-1", "service_method": "by_hand"}})
        assert refused.status_code == 409, refused.text
        assert "not a pupil at an independent school" in refused.json()["detail"]

        # Registers and returns apply: the new pupil return for the admission is made as for any school.
        outcome = asyncio.run(_new_pupil_returns(system, admitted, clock.today() - timedelta(days=1)))
        assert outcome.returns_generated >= 1
        returns = httpx.get(f"{system.config.url('returns')}/api/v1/returns", headers=EWO, timeout=30,
                            params={"school_urn": OAKFIELD, "kind": ReturnKind.NEW_PUPIL.value,
                                    "period": outcome.period}).json()
        assert [r["row_count"] >= 1 for r in returns] == [True]
    finally:
        # The DfE share and the rest of the suite expect the demo's three state-funded schools.
        assert httpx.put(independent_url, json={"independent": False}, headers=EWO, timeout=30).status_code == 200
    after = case_file(system, pupil_id)
    assert after is not None
    assert not any(e["kind"] == "issue_penalty_notice" for e in after["timeline"])


async def _new_pupil_returns(system: EmbeddedSystem, start: date, end: date) -> LaReturnsOutcome:
    client = await connect(SETTINGS, address=f"127.0.0.1:{system.config.temporal_port}")
    outcome: LaReturnsOutcome = await client.execute_workflow(
        LaReturnsWorkflow.run, LaReturnsInput(la_code=DEMO_LA_CODE, period_start=start, period_end=end,
                                              kinds=[ReturnKind.NEW_PUPIL], clock_offset_days=clock.offset_days()),
        id=f"la-return-e2e-{uuid.uuid4()}", task_queue=TASK_QUEUE, execution_timeout=timedelta(minutes=5))
    return outcome


def test_each_schools_governor_report_is_stored_at_its_terms_end_once(system: EmbeddedSystem) -> None:
    today = clock.today()
    this_year = today.year if today.month >= 9 else today.year - 1
    last_year = this_year - 1
    calendar_url = register(system, f"/schools/{OAKFIELD}/calendar/{last_year}")
    existing = httpx.get(calendar_url, headers=OAKFIELD_OFFICER, timeout=30)
    if existing.status_code == 404:
        # Last school year's summer term, from the school's own calendar (the demo enters this year's and next).
        term = {"name": "Summer", "start_date": date(this_year, 4, 13).isoformat(),
                "end_date": date(this_year, 7, 31).isoformat()}
        put = httpx.put(calendar_url, json={"terms": [term], "closures": []}, headers=OAKFIELD_OFFICER, timeout=30)
        assert put.status_code == 200, put.text
    else:
        # Early September, while the demo still shows last school year: its last term has ended.
        term = [t for t in existing.json()["terms"] if date.fromisoformat(t["end_date"]) < today][-1]

    reports_url = f"{system.config.url('returns')}/api/v1/schools/{OAKFIELD}/governor-reports"
    asyncio.run(_trigger_governor_schedule(system))

    def stored() -> list[dict[str, Any]]:
        response = httpx.get(reports_url, headers=OAKFIELD_HEAD, timeout=30)
        assert response.status_code == 200, response.text
        return [r for r in response.json() if (r["academic_year"], r["term_name"]) == (last_year, term["name"])]

    [report] = wait_for(stored, timeout=180)
    assert (report["term_start"], report["term_end"]) == (term["start_date"], term["end_date"])
    assert report["school_urn"] == OAKFIELD

    # The governors read it; the attendance officer and the LA's officer are not its readers.
    body = httpx.get(f"{reports_url}/{report['id']}", headers=OAKFIELD_GOVERNOR, timeout=30)
    assert body.status_code == 200, body.text
    assert (body.json()["school_urn"], body.json()["term_end"]) == (OAKFIELD, term["end_date"])
    assert httpx.get(f"{reports_url}/{report['id']}.html", headers=OAKFIELD_GOVERNOR, timeout=60).status_code == 200
    for outsider in (OAKFIELD_OFFICER, EWO):
        assert httpx.get(reports_url, headers=outsider, timeout=30).status_code == 403

    # Run again (a rerun or a caught-up day): nothing is stored twice.
    again = asyncio.run(_run_governor_reports(system))
    assert f"{OAKFIELD} {last_year} {term['name']}" not in again.produced_terms
    assert again.already_stored >= 1
    assert len(stored()) == 1


async def _trigger_governor_schedule(system: EmbeddedSystem) -> None:
    client = await connect(SETTINGS, address=f"127.0.0.1:{system.config.temporal_port}")
    handle = client.get_schedule_handle(governor_reports_schedule_id(DEMO_LA_CODE))
    for _ in range(240):  # the worker creates the schedules once it is up (busy while the demo loads)
        try:
            await handle.describe()
            break
        except RPCError:
            await asyncio.sleep(0.5)
    else:
        raise AssertionError("the worker never created the governor reports schedule")
    await handle.trigger()


async def _run_governor_reports(system: EmbeddedSystem) -> GovernorReportsResult:
    client = await connect(SETTINGS, address=f"127.0.0.1:{system.config.temporal_port}")
    result: GovernorReportsResult = await client.execute_workflow(
        TermlyGovernorReportsWorkflow.run,
        GovernorReportsInput(la_code=DEMO_LA_CODE, clock_offset_days=clock.offset_days()),
        id=f"governor-reports-e2e-{uuid.uuid4()}", task_queue=TASK_QUEUE, execution_timeout=timedelta(minutes=10))
    return result
