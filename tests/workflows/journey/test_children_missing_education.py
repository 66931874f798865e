"""Children missing education (issue 18 item 3, rules.md s7, s8, s12): a new pupil who did not arrive, a deletion
with no known destination and 10 school days of continuous unauthorised absence open a CME concern; the LA's CME
officer is told, the school's and the LA's reasonable enquiries are due within the policy's school days and
escalate when they lapse, and the outcome is recorded. Time-skipping server."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.testing import WorkflowEnvironment

from shared.contracts.journey import ActionName, JourneyPolicy, LaContact
from shared.contracts.notifications import RecipientRole
from shared.contracts.register import RegisterEventType
from tests.workflows.journey.support import (
    FakeServices,
    Journey,
    eventually,
    fact,
    new_queue,
    refusal_of,
    running_worker,
    today,
)
from workflows.journey import policy as rules
from workflows.journey.cme import ENQUIRIES_FIRST, NO_CONCERN, OPEN_CONCERN
from workflows.journey.workflow import PATCH_CHILDREN_MISSING_EDUCATION

pytestmark = pytest.mark.workflows

A = ActionName
E = RegisterEventType
DAY = timedelta(days=1)
OFFICER = LaContact(name="Tom Okafor", email="cme@northshire.example.gov")
WITH_OFFICER = JourneyPolicy(la_cme_officer=OFFICER)
SCHOOL_ENQUIRY = {"by": "school", "made_by": "J Patel, attendance officer",
                  "what_was_done": "Phoned both parents twice, home visit, asked the previous school",
                  "result": "No answer; neighbours say the family moved out last week"}
LA_ENQUIRY = {**SCHOOL_ENQUIRY, "by": "la", "made_by": "Tom Okafor, CME officer",
              "what_was_done": "Checked council tax, housing and health records; asked neighbouring LAs"}


def date_of(text: str) -> date:
    return date.fromisoformat(text)


def _concern(view: Any) -> dict[str, Any]:
    assert view.cme_concerns, "no CME concern"
    concern: dict[str, Any] = view.cme_concerns[-1]
    return concern


async def _opened(journey: Journey, fakes: FakeServices, event: E, **details: Any) -> None:
    await journey.signal(fact(event, details=details))
    await eventually(lambda: any(e.kind in ("cme_concern_opened", "cme_concern_reason") for e in fakes.entries()))


async def test_a_new_pupil_who_did_not_arrive_opens_a_concern_and_tells_the_cme_officer(
        journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue, WITH_OFFICER)
    async with running_worker(env.client, queue, fakes):
        await _opened(journey, fakes, E.DID_NOT_ARRIVE, start_date="2026-11-25")
        now = await today(env)
        view = await journey.view()
        # A further reason adds to the open concern: the officer is told once.
        await journey.signal(fact(E.CONTINUOUS_UNAUTHORISED_ABSENCE, details={"school_days": 10}))
        await eventually(lambda: any(e.kind == "cme_concern_reason" for e in fakes.entries()))
    concern = _concern(view)
    school_due = rules.add_school_days(None, now, 5).day
    la_due = rules.add_school_days(None, now, 10).day
    assert concern["status"] == "open"
    assert concern["school_enquiries_due"] == school_due.isoformat()
    assert concern["la_enquiries_due"] == la_due.isoformat()
    assert {(d["kind"], d["due_date"]) for d in view.deadlines} == {
        ("cme_school_enquiries", school_due.isoformat()), ("cme_la_enquiries", la_due.isoformat())}
    assert {a.action for a in view.available_actions} >= {A.RECORD_CME_ENQUIRY.value, A.RECORD_CME_OUTCOME.value}
    told = [r for r in fakes.sent.values() if r.template == "cme_concern_la_officer"]
    assert len(told) == 1
    assert told[0].recipient_role is RecipientRole.LA_CME_OFFICER
    assert told[0].context["cme_officer"] == {"name": "Tom Okafor", "email": OFFICER.email}
    assert told[0].context["reasons"] == ["New pupil did not arrive on the agreed start day (2026-11-25)"]
    assert [(p.role, p.name) for p in fakes.projections[-1].participants] == [("la_cme_officer", "Tom Okafor")]
    opened = next(e for e in fakes.entries() if e.kind == "cme_concern_opened")
    assert opened.title.startswith("Child may be missing education: New pupil did not arrive")
    history = await journey.handle.fetch_history()
    markers = [e.marker_recorded_event_attributes for e in history.events
               if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED]
    assert any(PATCH_CHILDREN_MISSING_EDUCATION.encode() in p.data for m in markers for ps in m.details.values()
               for p in ps.payloads)


async def test_only_a_deletion_with_no_known_destination_opens_a_concern(journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.PENDING_DELETION, details={
            "ground": "9(1)(a)", "destination": "Northshire Academy (URN 900009)", "destination_known": True}))
        await eventually(lambda: any(e.details.get("event_type") == "pending_deletion" for e in fakes.entries()))
        assert not (await journey.view()).cme_concerns
        await _opened(journey, fakes, E.PENDING_DELETION, ground="9(1)(g)", destination="unknown",
                      destination_known=False)
        view = await journey.view()
    assert _concern(view)["triggers"][0]["summary"] == \
        "To be deleted from the admission register on ground 9(1)(g) with no known destination"
    # No CME officer set up: the case says so and nobody is told.
    assert any(e.kind == "participant_missing" and "children missing education officer" in e.title
               for e in fakes.entries())
    assert "cme_concern_la_officer" not in fakes.templates()


async def test_lapsed_enquiries_escalate_and_enquiries_then_the_outcome_close_the_concern(
        journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue, WITH_OFFICER)
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.UNEXPLAINED_ABSENCE, code="N"))
        await eventually(lambda: bool(fakes.entries()) and bool(fakes.calendar_reads))
        assert await refusal_of(journey, A.RECORD_CME_ENQUIRY, **SCHOOL_ENQUIRY) == NO_CONCERN
        await _opened(journey, fakes, E.CONTINUOUS_UNAUTHORISED_ABSENCE, school_days=10)
        now = await today(env)
        # The school's deadline passes without an enquiry: the case is flagged and the EWO told.
        school_due = rules.add_school_days(None, now, 5).day
        await env.sleep(timedelta(days=(school_due - now).days + 1, hours=2))
        await eventually(lambda: any(e.kind == "escalation" and e.title.startswith("The school's reasonable "
                                                                                  "enquiries")
                                     for e in fakes.entries()))
        assert (await journey.view()).flagged
        assert "escalation_ewo" in fakes.templates()
        for field in ("made_by", "what_was_done", "result"):
            refused = await refusal_of(journey, A.RECORD_CME_ENQUIRY, **{**SCHOOL_ENQUIRY, field: "  "})
            assert refused.startswith(f"details.{field}: say ")
        assert await refusal_of(journey, A.RECORD_CME_OUTCOME, outcome="still_missing_referred",
                                details="Not found", referred_to="Police") == ENQUIRIES_FIRST
        assert await refusal_of(journey, A.CLOSE_CASE, reason="Attending again") == OPEN_CONCERN
        view = await journey.act(A.RECORD_CME_ENQUIRY, **SCHOOL_ENQUIRY)
        assert not view.flagged
        assert [d["kind"] for d in view.deadlines] == ["cme_la_enquiries"]
        assert (await refusal_of(journey, A.RECORD_CME_OUTCOME, outcome="found_at_school",
                                 details="On roll there")).startswith("details.new_school")
        await journey.act(A.RECORD_CME_ENQUIRY, **LA_ENQUIRY)
        view = await journey.act(A.RECORD_CME_OUTCOME, outcome="still_missing_referred",
                                 details="Not located after the school's and the LA's enquiries",
                                 referred_to="Police and children's social care")
    concern = _concern(view)
    assert concern["status"] == "closed"
    assert concern["outcome"] == "still_missing_referred"
    assert [e["by"] for e in concern["enquiries"]] == ["school", "la"]
    assert concern["enquiries"][0]["made_by"] == "J Patel, attendance officer"
    assert not [d for d in view.deadlines if d["kind"].startswith("cme_")]
    assert A.RECORD_CME_ENQUIRY.value not in {a.action for a in view.available_actions}
    enquiry = next(e for e in fakes.entries() if e.kind == "record_cme_enquiry")
    assert enquiry.title.startswith("Reasonable enquiry by the school (J Patel, attendance officer)")
    outcome = next(e for e in fakes.entries() if e.kind == "record_cme_outcome")
    assert outcome.title == ("Children missing education concern closed: Still missing: referred on "
                             "(referred to Police and children's social care)")



async def test_a_concern_opened_in_the_holidays_counts_school_days_from_the_next_term(
        journey_env: WorkflowEnvironment) -> None:
    """The school is closed for three weeks from today and its calendar is set up only for 60 days: the enquiries
    fall due on its school days after the holiday, and a deadline past the calendar is counted in working days and
    says so."""
    env = journey_env
    now = await today(env)
    reopens = now + timedelta(weeks=3)
    fakes = FakeServices(school_day=lambda d: d >= reopens and rules.is_working_day(d),
                         known_until=now + timedelta(days=60))
    queue = new_queue()
    journey = Journey(env.client, queue, JourneyPolicy(cme_la_enquiry_school_days=40))
    async with running_worker(env.client, queue, fakes):
        await _opened(journey, fakes, E.CONTINUOUS_UNAUTHORISED_ABSENCE, school_days=10)
        concern = _concern(await journey.view())
    school_due = date_of(concern["school_enquiries_due"])
    assert school_due >= reopens
    assert school_due == [d for d in (reopens + timedelta(days=i) for i in range(14)) if rules.is_working_day(d)][4]
    assert date_of(concern["la_enquiries_due"]) > now + timedelta(days=60)
    assert concern["due_note"] == rules.CALENDAR_NOT_SET_UP
