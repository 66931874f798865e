"""The response body of an LA's paged lists of flagged pupils."""

from __future__ import annotations

from pydantic import BaseModel, Field

from services.register.domain.figures import FlagList
from shared.contracts.register import PupilFlagLine


class FlaggedPupilsPage(BaseModel):
    """One page of an LA's persistently absent, severely absent or at-risk pupils for an academic year, lowest
    attendance first (ties by pupil id)."""

    la_code: str
    academic_year: int
    severity: FlagList
    total: int | None = Field(description="How many pupils the whole list has (those the caller may see by name); "
                                          "null unless asked for with with_total=true")
    pupils: list[PupilFlagLine]
    next: str | None = Field(description="Pass as `after` for the next page; null on the last page")
