"""Returns' reports as JSON, as casework's pages read them: the governor report and the LA's page (dashboard,
compliance view and returns). Returns computes them (services/returns/reports/); casework renders them.

Every figure here counts the DfE statistics cohort (pupils aged 5 to 15 on 31 August before the school year)
over the report's dates; rates are exact decimals rounded to one place, as strings.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from shared.contracts.casework import CasesByStage
from shared.contracts.returns import ReturnKind, ReturnSummary

# What the figures count, in the words every page uses for them.
DFE_COHORT_LABEL = "DfE statistics cohort (aged 5 to 15)"
ALL_PUPILS_LABEL = "All pupils on roll"


class GroupFigures(BaseModel):
    """One group's figures; `suppressed` when it has fewer pupils than the minimum group (none are shown)."""

    group: str
    pupils: int
    suppressed: bool = False
    possible_sessions: int | None = None
    attendance_rate: str | None = None
    overall_absence_rate: str | None = None
    authorised_absence_rate: str | None = None
    unauthorised_absence_rate: str | None = None
    persistent_absence_rate: str | None = None
    severe_absence_rate: str | None = None


class NationalFigure(BaseModel):
    group: str
    measure: str
    value: str
    year: str
    source: str
    status: str


class Comparison(BaseModel):
    group: str
    measure: str
    label: str
    school: str | None
    la: str | None
    national: NationalFigure | None


class GovernorReport(BaseModel):
    school_urn: str
    school_name: str
    la_code: str
    term_start: date
    term_end: date
    generated_on: date
    minimum_group: int
    cohorts: list[GroupFigures]
    la_schools: int
    comparisons: list[Comparison]
    weekly_attendance: list[tuple[date, str]]


class SchoolFigures(BaseModel):
    urn: str
    name: str
    figures: GroupFigures
    overdue_returns: int


class LaDashboard(BaseModel):
    la_code: str
    from_date: date
    to_date: date
    # Groups with fewer pupils than this are not shown, so that no pupil can be picked out.
    minimum_group: int
    area: list[GroupFigures]
    # Area-wide patterns over the range: attendance week by week (by Monday) and absence by weekday.
    weekly_attendance: list[tuple[date, str]] = Field(default_factory=list)
    absence_by_weekday: list[tuple[str, str]] = Field(default_factory=list)
    schools: list[SchoolFigures]
    overdue_returns: list[ReturnSummary]
    # Casework's case files by journey stage (now, not over the period); None when casework did not answer.
    cases: CasesByStage | None = None
    unavailable: list[str] = Field(default_factory=list)


class ReturnsOnTime(BaseModel):
    school_urn: str
    kind: ReturnKind
    submitted_on_time: int = 0
    submitted_late: int = 0
    overdue: int = 0
    not_yet_due: int = 0


class NCodesResolved(BaseModel):
    """Sessions coded N in the period, by where they stand against the limit."""

    school_urn: str
    resolved_in_time: int = 0
    resolved_late: int = 0
    open_in_time: int = 0
    open_overdue: int = 0

    @property
    def missed(self) -> int:
        return self.resolved_late + self.open_overdue


class SameDayAlerts(BaseModel):
    """Unexplained absences someone had to be told of on the day, by whether they were."""

    school_urn: str
    recipient_role: str
    told_same_day: int = 0
    told_later: int = 0
    # The alert failed, is still queued, or was never asked for.
    not_told: int = 0


class Compliance(BaseModel):
    la_code: str
    from_date: date
    to_date: date
    # Returns due in the period, and returns submitted in it ahead of a later due date.
    returns: list[ReturnsOnTime]
    n_codes: list[NCodesResolved] = Field(default_factory=list)
    same_day_alerts: list[SameDayAlerts] = Field(default_factory=list)
    # Measures that could not be shown because the service holding their facts did not answer.
    unavailable: list[str] = Field(default_factory=list)


class LaPage(BaseModel):
    """Everything the LA's page shows, in one answer."""

    dashboard: LaDashboard
    compliance: Compliance
    # Returns whose period overlaps the page's range, newest first.
    returns: list[ReturnSummary]
