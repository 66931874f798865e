"""TermlyGovernorReportsWorkflow: each school's governor report stored at the end of each term of its own calendar.
Each LA has one daily Schedule; a run asks returns to store the report of every term that ended before the
scheduled day and has none yet, so the day after a school's term ends its report is there, and a rerun or a
caught-up run stores nothing twice. Only the LA code, the date and counts travel in these payloads.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey

with workflow.unsafe.imports_passed_through():
    from shared.contracts.returns import (
        GOVERNOR_REPORTS_ACTIVITY,
        GOVERNOR_REPORTS_WORKFLOW_TYPE,
        GovernorReportsInput,
        GovernorReportsRequest,
        GovernorReportsResult,
    )

SCHEDULED_START = SearchAttributeKey.for_datetime("TemporalScheduledStartTime")
# A term's reports read the registers of every school of the LA for the term: minutes on a busy machine.
PRODUCE_TIMEOUT = timedelta(minutes=20)
PRODUCE_RETRY = RetryPolicy(initial_interval=timedelta(seconds=10), maximum_interval=timedelta(minutes=10),
                            maximum_attempts=20, non_retryable_error_types=["InvalidInput", "NotFound"])


@workflow.defn(name=GOVERNOR_REPORTS_WORKFLOW_TYPE)
class TermlyGovernorReportsWorkflow:
    @workflow.run
    async def run(self, request: GovernorReportsInput) -> GovernorReportsResult:
        # The scheduled day, even when the run is caught up late; scheduled in the English morning, when the UTC
        # date is the English date.
        scheduled = workflow.info().typed_search_attributes.get(SCHEDULED_START) or workflow.now()
        day = (scheduled + timedelta(days=request.clock_offset_days)).date()
        result: GovernorReportsResult = await workflow.execute_activity(
            GOVERNOR_REPORTS_ACTIVITY, GovernorReportsRequest(la_code=request.la_code, as_of=day),
            result_type=GovernorReportsResult, start_to_close_timeout=PRODUCE_TIMEOUT, retry_policy=PRODUCE_RETRY)
        return result
