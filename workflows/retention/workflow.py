"""RetentionWorkflow: one run a day asks register, casework, notifications and returns, in turn, to remove what
is past its retention period as of the scheduled day. Each service decides what is past (register never an entry
younger than 6 years) and records the run with its counts; the workflow returns those reports. Only dates, service
names and counts travel in these payloads, never pupil data.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey

with workflow.unsafe.imports_passed_through():
    from shared.contracts.retention import (
        RETENTION_ACTIVITY,
        RETENTION_WORKFLOW_TYPE,
        RetentionInput,
        RetentionOutcome,
        RetentionRunReport,
        RetentionServiceRun,
    )

TASK_QUEUE = "retention"
SCHEDULED_START = SearchAttributeKey.for_datetime("TemporalScheduledStartTime")
RUN_TIMEOUT = timedelta(minutes=30)
RUN_RETRY = RetryPolicy(initial_interval=timedelta(seconds=10), maximum_interval=timedelta(minutes=10),
                        maximum_attempts=20, non_retryable_error_types=["InvalidInput", "NotFound"])


@workflow.defn(name=RETENTION_WORKFLOW_TYPE)
class RetentionWorkflow:
    @workflow.run
    async def run(self, request: RetentionInput) -> RetentionOutcome:
        # The scheduled day (the Schedule runs at night, when the UTC date is the English date).
        scheduled = workflow.info().typed_search_attributes.get(SCHEDULED_START) or workflow.now()
        as_of = (scheduled + timedelta(days=request.clock_offset_days)).date()
        reports = []
        for service in request.services:
            report: RetentionRunReport = await workflow.execute_activity(
                RETENTION_ACTIVITY, RetentionServiceRun(service=service, as_of=as_of),
                result_type=RetentionRunReport, start_to_close_timeout=RUN_TIMEOUT, retry_policy=RUN_RETRY)
            workflow.logger.info("retention of %s as of %s removed %s", service, as_of, report.removed)
            reports.append(report)
        return RetentionOutcome(as_of=as_of, reports=reports)
