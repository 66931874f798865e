"""The LA's views: every school's figures and overdue returns (dashboard), and statutory deadlines met and
missed (compliance). Pure functions over extracts and stored returns."""

from __future__ import annotations

from collections import Counter
from datetime import date

from pydantic import BaseModel

from services.returns.reports.figures import GroupFigures, cohort_pupils, figures_by_cohort
from shared.contracts.returns import RegisterExtract, ReturnKind, ReturnStatus, ReturnSummary


class SchoolFigures(BaseModel):
    urn: str
    name: str
    figures: GroupFigures
    overdue_returns: int


class LaDashboard(BaseModel):
    la_code: str
    from_date: date
    to_date: date
    area: list[GroupFigures]
    schools: list[SchoolFigures]
    overdue_returns: list[ReturnSummary]
    # Held by casework, not by returns: see the report of what is missing.
    cases_by_stage: dict[str, int] | None = None


def la_dashboard(la_code: str, extracts: list[RegisterExtract], returns: list[ReturnSummary], from_date: date,
                 to_date: date, minimum_group: int) -> LaDashboard:
    overdue = [r for r in returns if r.status is ReturnStatus.LATE]
    overdue_by_school = Counter(r.school_urn for r in overdue)
    schools = [SchoolFigures(urn=e.school.urn, name=e.school.name,
                             figures=figures_by_cohort(cohort_pupils([e], from_date), minimum_group)[0],
                             overdue_returns=overdue_by_school[e.school.urn]) for e in extracts]
    return LaDashboard(la_code=la_code, from_date=from_date, to_date=to_date,
                       area=figures_by_cohort(cohort_pupils(extracts, from_date), minimum_group),
                       schools=schools, overdue_returns=overdue)


class ComplianceCount(BaseModel):
    school_urn: str
    kind: ReturnKind
    submitted_on_time: int = 0
    submitted_late: int = 0
    overdue: int = 0
    not_yet_due: int = 0


class Compliance(BaseModel):
    la_code: str
    returns: list[ComplianceCount]
    not_measured_here: list[str]


def compliance(la_code: str, returns: list[ReturnSummary]) -> Compliance:
    """Returns on time and late, per school and kind. A return submitted after its due date was late."""
    counts: dict[tuple[str, ReturnKind], ComplianceCount] = {}
    for r in returns:
        row = counts.setdefault((r.school_urn, r.kind), ComplianceCount(school_urn=r.school_urn, kind=r.kind))
        if r.submitted_at is not None:
            if r.submitted_at.date() <= r.due_date:
                row.submitted_on_time += 1
            else:
                row.submitted_late += 1
        elif r.status is ReturnStatus.LATE:
            row.overdue += 1
        else:
            row.not_yet_due += 1
    return Compliance(la_code=la_code, returns=[counts[k] for k in sorted(counts)], not_measured_here=[
        "Social workers told of unexplained absence the same day (held by notifications and casework).",
        "N codes resolved within 5 school days (needs register's amendment history)."])
