"""Retention of records (rules.md s3: every register entry is kept for at least 6 years from its date [H]): what a
service's retention run is asked and what it reports, and the names the scheduled retention workflow is reached by.

Only dates, counts and record kinds travel here, never pupil data.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field

RETENTION_WORKFLOW_TYPE = "RetentionWorkflow"
RETENTION_ACTIVITY = "run_retention"
RETENTION_SCHEDULE_ID = "retention-daily"
RETENTION_SERVICES = ("register", "casework", "notifications", "returns")
# rules.md s3 [H]: no register entry may go before 6 years from its date.
REGISTER_MINIMUM_YEARS = 6


class RetentionRunRequest(BaseModel):
    """POST /internal/retention/run. `as_of` is the day the periods are counted back from (today when absent; a
    later day only outside production). `pupil_ids` limits the run to those pupils' records."""

    as_of: date | None = None
    pupil_ids: list[UUID] | None = Field(default=None, max_length=1000)


class RetentionRunReport(BaseModel):
    """One run of one service: the cut-off of each kind of record and how many of each were removed."""

    id: UUID
    service: str
    ran_at: datetime
    ran_by: str
    as_of: date
    cutoffs: dict[str, date]
    removed: dict[str, int]


class RetentionInput(BaseModel):
    # Whole days a pinned system (shared.clock) runs ahead of Temporal's clock; 0 in production.
    clock_offset_days: int = 0
    services: list[str] = Field(default_factory=lambda: list(RETENTION_SERVICES))


class RetentionServiceRun(BaseModel):
    service: str
    as_of: date


class RetentionOutcome(BaseModel):
    as_of: date
    reports: list[RetentionRunReport]


def years_before(day: date, years: int) -> date:
    """The same day `years` years earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
