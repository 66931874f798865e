"""A small stand-in for the pupil journey, registered under the contract's names (casework's tests may not
import workflows/). It dedupes facts by event id, offers a few steps per stage, rejects others in its
validator, and writes its projection back to casework through an activity, as the real journey does."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from temporalio import activity, workflow

with workflow.unsafe.imports_passed_through():
    from shared.clients.casework import CaseworkClient
    from shared.contracts.casework import CaseProjection, Deadline, TimelineEntry
    from shared.contracts.journey import (
        ACTION_DETAILS,
        ACTION_LABELS,
        QUERY_DETAIL,
        QUERY_VIEW,
        SIGNAL_REGISTER_FACT,
        UPDATE_OFFICER_ACTION,
        WORKFLOW_TYPE,
        ActionName,
        AvailableAction,
        JourneyDetail,
        JourneyInput,
        JourneyView,
        LedgerNotice,
        OfficerAction,
        RegisterFact,
        Stage,
        journey_workflow_id,
    )

A = ActionName
STEPS = {
    Stage.MONITORING: [A.OPEN_CASE, A.RECORD_MEETING, A.AGREE_ACTION_PLAN, A.REVIEW_ATTENDANCE_CONTRACT,
                       A.RECORD_HOME_VISIT, A.AGREE_WHOLE_FAMILY_PLAN],
    Stage.FORMAL_SUPPORT: [A.RECORD_MEETING, A.RECORD_DECISION, A.ISSUE_PENALTY_NOTICE, A.CLOSE_CASE],
    Stage.LEGAL_INTERVENTION: [A.RECORD_PENALTY_PAYMENT, A.CLOSE_CASE],
}
MOVES = {A.AGREE_ACTION_PLAN: Stage.FORMAL_SUPPORT, A.ISSUE_PENALTY_NOTICE: Stage.LEGAL_INTERVENTION,
         A.CLOSE_CASE: Stage.CLOSED}
LEGAL = {A.ISSUE_PENALTY_NOTICE}


class ProjectionActivities:
    def __init__(self, casework: CaseworkClient | None) -> None:
        self.casework = casework

    @activity.defn(name="record_case_projection")
    async def record_case_projection(self, projection: CaseProjection) -> None:
        if self.casework is not None:
            await self.casework.record_projection(projection)


@workflow.defn(name=WORKFLOW_TYPE)
class FakeJourney:
    @workflow.init
    def __init__(self, journey: JourneyInput) -> None:
        self.journey = journey
        self.fact_ids: list[str] = []
        self.fact_sessions: list[str] = []
        self.stage = Stage.MONITORING
        self.version = 0
        self.deadlines: list[Deadline] = []
        self.decided = False
        self.actions: list[OfficerAction] = []
        self.notices: list[LedgerNotice] = []

    @workflow.run
    async def run(self, journey: JourneyInput) -> None:
        await workflow.wait_condition(lambda: self.stage is Stage.CLOSED)
        await workflow.wait_condition(workflow.all_handlers_finished)

    @workflow.signal(name=SIGNAL_REGISTER_FACT)
    def register_fact(self, fact: RegisterFact) -> None:
        if str(fact.event_id) not in self.fact_ids:
            self.fact_ids.append(str(fact.event_id))
            self.fact_sessions.append(f"{fact.session_date} {fact.session}")

    @workflow.query(name="fact_ids")
    def facts(self) -> list[str]:
        return self.fact_ids

    @workflow.query(name="fact_sessions")
    def sessions_of_facts(self) -> list[str]:
        return self.fact_sessions

    @workflow.query(name=QUERY_VIEW)
    def view(self) -> JourneyView:
        return JourneyView(
            workflow_id=journey_workflow_id(self.journey.pupil_id), pupil_id=self.journey.pupil_id,
            stage=self.stage, status="closed" if self.stage is Stage.CLOSED else "open",
            state_version=self.version, deadlines=[d.model_dump(mode="json") for d in self.deadlines],
            available_actions=[AvailableAction(action=a.value, label=ACTION_LABELS[a])
                               for a in STEPS.get(self.stage, [])])

    @workflow.query(name="actions")
    def taken(self) -> list[OfficerAction]:
        """Every step as casework sent it (its effective date and prior notices included)."""
        return self.actions

    @workflow.query(name="input")
    def started_with(self) -> JourneyInput:
        """What casework started the journey with (its policy included)."""
        return self.journey

    @workflow.query(name=QUERY_DETAIL)
    def detail(self) -> JourneyDetail:
        offered = {a.value for a in STEPS.get(self.stage, [])}
        return JourneyDetail(view=self.view(), refusals={
            a.value: f"'{a.value.replace('_', ' ')}' is not possible at the {self.stage.value.replace('_', ' ')} stage"
            for a in A if a.value not in offered})

    @workflow.update(name=UPDATE_OFFICER_ACTION)
    async def officer_action(self, action: OfficerAction) -> JourneyView:
        name = ActionName(action.action)
        self.actions.append(action)
        self.version += 1
        self.stage = MOVES.get(name, self.stage)
        self.decided = self.decided or name is A.RECORD_DECISION
        if name is A.AGREE_ACTION_PLAN:
            due = date.fromisoformat(action.details["review_date"])
            self.deadlines = [Deadline(key="action_plan_review", title="Review the action plan", due_date=due)]
        if name is A.ISSUE_PENALTY_NOTICE:
            self.notices.append(LedgerNotice(
                notice_id=f"pn-{len(self.notices) + 1}", parent=action.details["parent"],
                issued_on=action.effective_date or workflow.now().date(), status="issued",
                issued_by=self.journey.la_code))
        if name is A.RECORD_PENALTY_PAYMENT:
            self.notices = [n.model_copy(update={"status": "paid"}) if n.notice_id == action.details["notice_id"]
                            else n for n in self.notices]
        entry = TimelineEntry(entry_key=f"action:{self.version}", kind="officer_action",
                              title=action.action.replace("_", " ").capitalize(), occurred_at=workflow.now(),
                              actor=action.actor.name, details={"note": action.note} if action.note else {})
        projection = CaseProjection(
            pupil_id=self.journey.pupil_id, workflow_id=journey_workflow_id(self.journey.pupil_id),
            state_version=self.version, stage=self.stage.value, status="open", lead_practitioner=action.actor.name,
            deadlines=self.deadlines, new_entries=[entry], penalty_notices=self.notices)
        await workflow.execute_activity("record_case_projection", projection,
                                        start_to_close_timeout=timedelta(seconds=10))
        return self.view()

    @officer_action.validator
    def check_action(self, action: OfficerAction) -> None:
        allowed = {a.value for a in STEPS.get(self.stage, [])}
        if action.action not in allowed:
            raise ValueError(f"'{action.action.replace('_', ' ')}' is not possible at the "
                             f"{self.stage.value.replace('_', ' ')} stage")
        name = ActionName(action.action)
        ACTION_DETAILS[name].model_validate(action.details)
        if name in LEGAL and not self.decided:
            raise ValueError("Record the decision factors before a legal step")


def unique_task_queue() -> str:
    return f"casework-tests-{uuid.uuid4().hex[:8]}"
