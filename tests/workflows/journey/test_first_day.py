"""The walking-skeleton slice: first-day response to an unexplained absence, stage facts, restarts."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from shared.contracts.journey import ActionName, JourneyPolicy, Stage
from shared.contracts.register import PupilFlags, RegisterEventType
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

pytestmark = pytest.mark.workflows

E = RegisterEventType


async def test_same_event_twice_sends_one_notification(journey_env: WorkflowEnvironment) -> None:
    fakes, queue = FakeServices(), new_queue()
    journey = Journey(journey_env.client, queue)
    absence = fact(E.UNEXPLAINED_ABSENCE, PupilFlags(has_social_worker=True), code="N")
    async with running_worker(journey_env.client, queue, fakes):
        await journey.signal(absence)
        await journey.signal(absence)  # re-delivery of the same register event
        await eventually(lambda: len(fakes.notify_calls) >= 2)
        view = await journey.view()
    assert [r.template for r in fakes.notify_calls] == ["unexplained_absence_social_worker",
                                                        "first_day_absence_parent"]
    sw = fakes.notify_calls[0]
    assert sw.idempotency_key == f"{journey.workflow_id}:{absence.event_id}:unexplained_absence_social_worker"
    assert sw.recipient_role == "social_worker"
    assert sw.pupil_id == journey.pupil_id
    assert view.stage is Stage.MONITORING
    assert len(view.notifications_requested) == 2
    kinds = [e.kind for e in fakes.entries()]
    assert kinds.count("register_fact") == 1
    assert kinds.count("notification") == 2
    keys = [e.entry_key for e in fakes.entries()]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(("flags", "expected"), [
    (PupilFlags(), ["first_day_absence_parent"]),
    (PupilFlags(has_youth_justice_worker=True), ["unexplained_absence_youth_justice_worker",
                                                 "first_day_absence_parent"]),
    (PupilFlags(looked_after=True, has_social_worker=True),
     ["unexplained_absence_social_worker", "unexplained_absence_virtual_school_head", "first_day_absence_parent"]),
])
async def test_each_fact_reaches_the_right_recipients(journey_env: WorkflowEnvironment, flags: PupilFlags,
                                                      expected: list[str]) -> None:
    fakes, queue = FakeServices(), new_queue()
    journey = Journey(journey_env.client, queue)
    async with running_worker(journey_env.client, queue, fakes):
        await journey.signal(fact(E.UNEXPLAINED_ABSENCE, flags, code="N"))
        await eventually(lambda: len(fakes.notify_calls) >= len(expected))
        await eventually(lambda: bool(fakes.projections))
    assert fakes.templates() == expected
    for request in fakes.notify_calls:  # no personal data in the payload, only ids and codes
        assert set(request.context) <= {"pupil_id", "school_urn", "session_date", "session", "code"}


async def test_stage_facts_move_the_stage_and_write_the_projection(journey_env: WorkflowEnvironment) -> None:
    fakes, queue = FakeServices(), new_queue()
    journey = Journey(journey_env.client, queue)
    async with running_worker(journey_env.client, queue, fakes):
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT, details=FIGURES))
        await eventually(lambda: any(p.stage == "persistent_absence" for p in fakes.projections))
        await journey.signal(fact(E.BECAME_SEVERELY_ABSENT, details=FIGURES))
        await eventually(lambda: any(p.stage == "severe_absence" for p in fakes.projections))
        view = await journey.view()
    assert view.stage is Stage.SEVERE_ABSENCE
    versions = [p.state_version for p in fakes.projections]
    assert versions == sorted(set(versions))  # strictly increasing
    assert fakes.templates().count("traffic_light_letter_parent") == 2


async def test_illegal_action_is_refused_with_a_reason_and_stays_out_of_history(
        journey_env: WorkflowEnvironment) -> None:
    fakes, queue = FakeServices(), new_queue()
    journey = Journey(journey_env.client, queue)
    async with running_worker(journey_env.client, queue, fakes):
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT))
        await eventually(lambda: bool(fakes.projections))
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await journey.act(ActionName.ISSUE_PENALTY_NOTICE, parent="parent-1", absence_period="autumn 1")
        cause = refused.value.cause
        assert isinstance(cause, ApplicationError)
        # The lawful pathway checks the threshold at the notice's date with its details, after the decision log.
        assert cause.message == "Record the decision factors before a legal step"
        missing_date = await refusal_of(journey, ActionName.AGREE_ACTION_PLAN, actions=["Attend daily"])
        assert missing_date.startswith("details.review_date")
        far = await today(journey_env) + timedelta(days=60)
        too_far = await refusal_of(journey, ActionName.AGREE_ACTION_PLAN, actions=["x"], review_date=far.isoformat())
        assert too_far.startswith("The review must be no more than 6 school weeks away")
        accepted = await journey.act(ActionName.RECORD_MEETING, attendees=["parent", "pupil"])
        history = await journey.handle.fetch_history()
    updates = [e for e in history.events if e.event_type == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED]
    assert len(updates) == 1  # only the legal meeting reached history
    assert accepted.state_version > fakes.projections[0].state_version


async def test_worker_restarted_mid_journey_resumes_without_loss_or_duplicates(
        journey_env: WorkflowEnvironment) -> None:
    fakes, queue = FakeServices(), new_queue()
    client = journey_env.client
    journey = Journey(client, queue, JourneyPolicy(action_plan_review_days=42))
    first = fact(E.UNEXPLAINED_ABSENCE, PupilFlags(has_social_worker=True), code="N")
    async with running_worker(client, queue, fakes, sticky=False, settle=False):
        await journey.signal(first)
        await eventually(lambda: len(fakes.notify_calls) == 2)
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT, PupilFlags(has_social_worker=True), details=FIGURES))
        await eventually(lambda: len(fakes.notify_calls) == 3)
        review = await school_day(journey_env, 28)
        await journey.act(ActionName.AGREE_ACTION_PLAN, actions=["Attend every day"],
                          review_date=review.isoformat())
        await eventually(lambda: len(fakes.notify_calls) == 4)  # the action plan letter
    # No worker: a new fact arrives, and a duplicate of an old one. (The test server skips no time while a
    # workflow task waits for a worker, so the review date passes once the new worker runs.)
    second = fact(E.UNEXPLAINED_ABSENCE, PupilFlags(has_social_worker=True), event_id=uuid.uuid4(), code="N")
    await journey.signal(second)
    await journey.signal(first)
    async with running_worker(client, queue, fakes, sticky=False):
        # A workflow task the stopped worker had taken is handed to the new one only when it times out (10 s,
        # the server's default), so the new worker may take that long to resume.
        await eventually(lambda: len(fakes.notify_calls) == 6, timeout=40)
        await journey_env.sleep(timedelta(days=30))
        await eventually(lambda: "escalation_ewo" in fakes.templates())
        await eventually(lambda: fakes.projections[-1].status == "flagged")
        view = await journey.view()
    sent = fakes.templates()
    assert sent.count("unexplained_absence_social_worker") == 2  # one per event, none repeated
    assert sent.count("escalation_ewo") == 1
    assert len(fakes.notify_calls) == len(fakes.sent)  # nothing asked twice
    assert view.stage is Stage.PERSISTENT_ABSENCE
    assert view.flagged
