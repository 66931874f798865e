"""DfeShareDropWorkflow: the DfE daily share written to the LA's drop folder at each collection (rules.md s9: the
DfE collects twice a day). Each LA has a morning and an afternoon Schedule; a run asks returns to write and record
that day's share. Only the LA code, the date and counts travel in these payloads, never pupil data.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey

with workflow.unsafe.imports_passed_through():
    from shared.contracts.returns import (
        DFE_DROP_ACTIVITY,
        DFE_DROP_WORKFLOW_TYPE,
        DfeShareDropInput,
        DfeShareDropRequest,
        DfeShareDropResult,
    )

SCHEDULED_START = SearchAttributeKey.for_datetime("TemporalScheduledStartTime")
DROP_TIMEOUT = timedelta(minutes=10)
# A collection that cannot be written within a few hours is stale: the next collection carries the day anyway.
DROP_RETRY = RetryPolicy(initial_interval=timedelta(seconds=5), maximum_interval=timedelta(minutes=5),
                         maximum_attempts=30, non_retryable_error_types=["InvalidInput", "NotFound"])


@workflow.defn(name=DFE_DROP_WORKFLOW_TYPE)
class DfeShareDropWorkflow:
    @workflow.run
    async def run(self, request: DfeShareDropInput) -> DfeShareDropResult:
        # The scheduled day, even when the run is caught up late. Collections are scheduled in the English
        # daytime, when the UTC date is the English date.
        scheduled = workflow.info().typed_search_attributes.get(SCHEDULED_START) or workflow.now()
        day = (scheduled + timedelta(days=request.clock_offset_days)).date()
        result: DfeShareDropResult = await workflow.execute_activity(
            DFE_DROP_ACTIVITY, DfeShareDropRequest(la_code=request.la_code, share_date=day,
                                                   collection=request.collection),
            result_type=DfeShareDropResult, start_to_close_timeout=DROP_TIMEOUT, retry_policy=DROP_RETRY)
        return result
