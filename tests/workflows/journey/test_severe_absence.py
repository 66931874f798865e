"""Severe absence's joint approach (issue 13, rules.md s10): the LA's named contact joins a severely absent pupil's
case and is told, a whole-family plan with the other agencies and a review timer, home visits recorded as a court
needs them. Time-skipping server."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.testing import WorkflowEnvironment

from shared.contracts.journey import (
    SIGNAL_REGISTER_FACT,
    WORKFLOW_TYPE,
    ActionName,
    JourneyInput,
    JourneyPolicy,
    LaContact,
    Stage,
)
from shared.contracts.notifications import RecipientRole
from shared.contracts.register import RegisterEventType
from tests.workflows.journey.support import (
    FIGURES,
    FakeServices,
    Journey,
    eventually,
    fact,
    new_queue,
    refusal_of,
    running_worker,
    school_day,
    today,
)
from workflows.journey.severe import NOT_SEVERE
from workflows.journey.state import JourneyState
from workflows.journey.workflow import PATCH_SEVERE_ABSENCE_JOINT

pytestmark = pytest.mark.workflows

A = ActionName
E = RegisterEventType
DAY = timedelta(days=1)
CONTACT = LaContact(name="Priya Shah", email="attendance.contact@northshire.example.gov")
WITH_CONTACT = JourneyPolicy(la_attendance_contact=CONTACT)
VISIT = {"attendees": ["EWO", "school family support worker"], "seen": ["mother", "pupil"],
         "observations": "Pupil in bed at 10am; mother says mornings are a struggle",
         "agreed": "Mother will wake the pupil at 7:30 and walk with her to the bus",
         "next_steps": "EWO calls on Monday at 8am; school meets the pupil at the gate"}


def _plan(review: str, **overrides: Any) -> dict[str, Any]:
    return {"agencies": [{"agency": "Early help", "will_do": "Weekly family support sessions"},
                         {"agency": "School nurse", "will_do": "Health assessment of the pupil"}],
            "lead_professional": "Early help key worker", "actions": ["Morning routine at home", "Gate check-in"],
            "review_date": review, **overrides}


async def _severely_absent(journey: Journey, fakes: FakeServices) -> None:
    await journey.signal(fact(E.BECAME_SEVERELY_ABSENT, details={**FIGURES, "attendance_rate": "48.0"}))
    await eventually(lambda: any(e.kind in ("participant_joined", "participant_missing") for e in fakes.entries())
                     and bool(fakes.calendar_reads))


async def test_the_las_named_contact_joins_a_severely_absent_pupils_case(journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue, WITH_CONTACT)
    async with running_worker(env.client, queue, fakes):
        await _severely_absent(journey, fakes)
        # Register says it again (another crossing): the contact joined once and is told once.
        await journey.signal(fact(E.BECAME_SEVERELY_ABSENT, details=FIGURES))
        await eventually(lambda: sum(e.details.get("event_type") == "became_severely_absent"
                                     for e in fakes.entries()) == 2)
        view = await journey.view()
    assert view.stage is Stage.SEVERE_ABSENCE
    joined = [e for e in fakes.entries() if e.kind == "participant_joined"]
    assert [e.title for e in joined] == ["Priya Shah, the LA's named contact for attendance, joined the case "
                                         "(severe absence: a joint approach with the LA)"]
    assert joined[0].details["email"] == CONTACT.email
    told = [r for r in fakes.sent.values() if r.template == "severe_absence_la_contact"]
    assert len(told) == 1
    assert told[0].recipient_role is RecipientRole.LA_ATTENDANCE_CONTACT
    assert told[0].context["la_contact"] == {"name": "Priya Shah", "email": CONTACT.email}
    assert told[0].context["stage"] == "Severe absence"
    last = fakes.projections[-1]
    assert last.severely_absent is True
    assert [(p.role, p.name) for p in last.participants] == [("la_attendance_contact", "Priya Shah")]
    history = await journey.handle.fetch_history()
    markers = [e.marker_recorded_event_attributes for e in history.events
               if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED]
    assert any(PATCH_SEVERE_ABSENCE_JOINT.encode() in p.data for m in markers for ps in m.details.values()
               for p in ps.payloads)


async def test_without_a_named_contact_the_case_says_so_and_nobody_is_told(journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await _severely_absent(journey, fakes)
    missing = [e for e in fakes.entries() if e.kind == "participant_missing"]
    assert len(missing) == 1
    assert missing[0].title.startswith("Severely absent: the LA has no named contact for attendance set up")
    assert "severe_absence_la_contact" not in fakes.templates()
    assert fakes.projections[-1].participants == []


async def test_a_case_already_in_severe_absence_is_joined_when_the_journey_carries_on(
        journey_env: WorkflowEnvironment) -> None:
    """A journey that reached severe absence before the contact was asked for (its state carried over
    continue-as-new into a run of today's code) is joined by the contact at its next piece of work."""
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue, WITH_CONTACT)
    carried = JourneyState(pupil_id=str(journey.pupil_id), school_urn="900001", la_code="999", journey_ref="old1",
                           stage=Stage.SEVERE_ABSENCE, state_version=5)
    async with running_worker(env.client, queue, fakes):
        await env.client.start_workflow(
            WORKFLOW_TYPE, JourneyInput(pupil_id=journey.pupil_id, school_urn="900001", la_code="999",
                                        policy=journey.policy, state=carried.model_dump(mode="json")),
            id=journey.workflow_id, task_queue=queue, start_signal=SIGNAL_REGISTER_FACT,
            start_signal_args=[fact(E.UNEXPLAINED_ABSENCE, code="N")])
        await eventually(lambda: any(e.kind == "participant_joined" for e in fakes.entries()))
    assert "severe_absence_la_contact" in fakes.templates()
    assert fakes.projections[-1].severely_absent is True


async def test_a_whole_family_plan_only_for_severe_absence_with_agencies_a_lead_and_a_review(
        journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue, WITH_CONTACT)
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT, details=FIGURES))
        await eventually(lambda: bool(fakes.entries()) and bool(fakes.calendar_reads))
        review = (await school_day(env, 28)).isoformat()
        assert await refusal_of(journey, A.AGREE_WHOLE_FAMILY_PLAN, **_plan(review)) == NOT_SEVERE
        await journey.signal(fact(E.BECAME_SEVERELY_ABSENT, details=FIGURES))
        await eventually(lambda: any(e.kind == "participant_joined" for e in fakes.entries()))
        no_task = _plan(review, agencies=[{"agency": "Early help", "will_do": "  "}])
        assert (await refusal_of(journey, A.AGREE_WHOLE_FAMILY_PLAN, **no_task)).startswith("details.agencies")
        assert (await refusal_of(journey, A.AGREE_WHOLE_FAMILY_PLAN, **_plan(review, agencies=[]))).startswith(
            "details.agencies")
        assert (await refusal_of(journey, A.AGREE_WHOLE_FAMILY_PLAN, **_plan(review, lead_professional=" "))
                ).startswith("details.lead_professional")
        too_late = (await school_day(env, 60)).isoformat()
        assert (await refusal_of(journey, A.AGREE_WHOLE_FAMILY_PLAN, **_plan(too_late))).startswith(
            "The whole-family plan review must be no more than 6 school weeks away")
        view = await journey.act(A.AGREE_WHOLE_FAMILY_PLAN, **_plan(review))
        assert [d["kind"] for d in view.deadlines] == ["whole_family_plan_review"]
        assert view.deadlines[0]["due_date"] == review
        assert (await refusal_of(journey, A.AGREE_WHOLE_FAMILY_PLAN, **_plan(review))) == \
            "Review the open whole-family plan first"
        # The review date passes without a review: the case is flagged and the EWO told.
        await env.sleep(timedelta(days=(await school_day(env, 28) - await today(env)).days + 2))
        await eventually(lambda: any(e.title == "Whole-family plan review date passed without a review"
                                     for e in fakes.entries()))
        assert (await journey.view()).flagged
        next_review = (await school_day(env, 20)).isoformat()
        view = await journey.act(A.REVIEW_WHOLE_FAMILY_PLAN, outcome="not_improved", next_review_date=next_review)
        assert not view.flagged
        assert [d["due_date"] for d in view.deadlines if d["kind"] == "whole_family_plan_review"] == [next_review]
        view = await journey.act(A.REVIEW_WHOLE_FAMILY_PLAN, outcome="improved")
    assert not [d for d in view.deadlines if d["kind"] == "whole_family_plan_review"]
    agreed = next(e for e in fakes.entries() if e.kind == "agree_whole_family_plan")
    assert agreed.title == (f"Whole-family plan agreed with Early help, School nurse; lead professional Early help "
                            f"key worker; review by {review}")
    assert agreed.details["agencies"][0] == {"agency": "Early help", "will_do": "Weekly family support sessions"}
    assert "escalation_ewo" in fakes.templates()


async def test_a_home_visit_records_what_a_court_needs(journey_env: WorkflowEnvironment) -> None:
    env, fakes, queue = journey_env, FakeServices(), new_queue()
    journey = Journey(env.client, queue)
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT, details=FIGURES))
        await eventually(lambda: bool(fakes.entries()) and bool(fakes.calendar_reads))
        now = await today(env)
        for field in ("observations", "agreed", "next_steps"):
            refused = await refusal_of(journey, A.RECORD_HOME_VISIT, **{**VISIT, field: "   "})
            assert refused.startswith(f"details.{field}: say ")
        assert (await refusal_of(journey, A.RECORD_HOME_VISIT, **{**VISIT, "seen": [" "]})).startswith(
            "details.seen: say who was seen")
        assert (await refusal_of(journey, A.RECORD_HOME_VISIT, **{**VISIT, "attendees": []})).startswith(
            "details.attendees")
        assert (await refusal_of(journey, A.RECORD_HOME_VISIT, effective_date=now + DAY, **VISIT)).endswith(
            "is after today: record a step once it has happened")
        await journey.act(A.RECORD_HOME_VISIT, effective_date=now - 2 * DAY, **VISIT)
        assert "before the journey's previous step" in await refusal_of(
            journey, A.RECORD_HOME_VISIT, effective_date=now - 3 * DAY, **VISIT)
    visit = next(e for e in fakes.entries() if e.kind == "record_home_visit")
    assert visit.title == (f"Home visit on {(now - 2 * DAY).isoformat()} by EWO, school family support worker; "
                           "seen: mother, pupil")
    assert visit.details["agreed"] == VISIT["agreed"]
    assert visit.details["effective_date"] == (now - 2 * DAY).isoformat()


def test_the_pupil_is_severely_absent_as_register_last_said() -> None:
    state = JourneyState(pupil_id=str(uuid.uuid4()), school_urn="900001", la_code="999")
    assert not state.is_severely_absent()
    state.stage = Stage.SEVERE_ABSENCE  # a state kept before severe absence was tracked: the stage says it
    assert state.is_severely_absent()
    state.severe_absence = False  # register said the pupil left severe absence; the stage moves forward only
    assert not state.is_severely_absent()
    state.stage, state.severe_absence = Stage.LEGAL_INTERVENTION, True
    assert state.is_severely_absent()
