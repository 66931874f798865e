"""A journey that follows the pupil to another school: the new school's calendar counts its deadlines from then on,
and letters go to the parents recorded on the admission the pupil is on now."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from temporalio.testing import WorkflowEnvironment

from shared.contracts.journey import ActionName
from shared.contracts.notifications import TemplateName
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
from workflows.journey.policy import SchoolCalendar

pytestmark = pytest.mark.workflows
A = ActionName
E = RegisterEventType
DAY = timedelta(days=1)
OLD_SCHOOL, NEW_SCHOOL = "900001", "900002"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


async def test_after_a_move_the_new_schools_calendar_and_admission_apply(journey_env: WorkflowEnvironment) -> None:
    env, queue = journey_env, new_queue()
    start = await today(env)
    closed_from = monday_of(start) + timedelta(weeks=2)

    def new_school_meets(day: date) -> bool:
        # The new school is closed for the second and third weeks from now (its own holiday); the old one is not.
        return rules.is_working_day(day) and not closed_from <= day < closed_from + timedelta(weeks=2)

    fakes = FakeServices(schools={NEW_SCHOOL: new_school_meets})
    journey = Journey(env.client, queue)
    new_admission = uuid.uuid4()
    async with running_worker(env.client, queue, fakes):
        await journey.signal(fact(E.BECAME_PERSISTENTLY_ABSENT))
        await eventually(lambda: bool(fakes.calendar_reads) and bool(fakes.projections))
        assert {urn for urn, _, _ in fakes.calendar_reads} == {OLD_SCHOOL}
        await journey.signal(fact(E.PUPIL_ADMITTED, details={"school_urn": NEW_SCHOOL,
                                                              "admission_pupil_id": str(new_admission)}))
        await eventually(lambda: fakes.calendar_reads[-1][0] == NEW_SCHOOL)

        new_calendar = SchoolCalendar(school_urn=NEW_SCHOOL, from_date=start - 70 * DAY,
                                      known_until=start + 366 * DAY, fetched_on=start,
                                      school_days=[start - 70 * DAY + i * DAY for i in range(437)
                                                   if new_school_meets(start - 70 * DAY + i * DAY)])
        latest = rules.add_school_weeks(new_calendar, start, 6).day
        # Six school weeks of the new school are eight calendar weeks: its two closed weeks do not count.
        assert monday_of(latest) == monday_of(start) + timedelta(weeks=8)
        beyond = latest + DAY
        while not new_school_meets(beyond):
            beyond += DAY
        refused = await refusal_of(journey, A.AGREE_ACTION_PLAN, actions=["Attend daily"],
                                   review_date=beyond.isoformat())
        assert refused.startswith(f"The review must be no more than 6 school weeks away (by {latest.isoformat()})")
        in_holiday = closed_from + 2 * DAY
        refused = await refusal_of(journey, A.AGREE_ACTION_PLAN, actions=["Attend daily"],
                                   review_date=in_holiday.isoformat())
        assert f"the school is closed on {in_holiday.isoformat()}" in refused
        view = await journey.act(A.AGREE_ACTION_PLAN, actions=["Attend daily"], review_date=latest.isoformat())
        assert [d["due_date"] for d in view.deadlines] == [latest.isoformat()]

        # A letter home now goes through the new admission, whose parents register knows.
        absence = fact(E.UNEXPLAINED_ABSENCE, code="N", session_date=start)
        await journey.signal(absence)
        await eventually(lambda: any(r.template == TemplateName.FIRST_DAY_ABSENCE_PARENT
                                     for r in fakes.notify_calls))
    letter = next(r for r in fakes.notify_calls if r.template == TemplateName.FIRST_DAY_ABSENCE_PARENT)
    assert letter.pupil_id == new_admission
    assert letter.context["school_urn"] == NEW_SCHOOL
