"""The LA's dashboard: every school's figures, area-wide patterns, overdue returns and cases by stage. Pure
functions over the stored returns, casework's counts and either register's sums (`la_dashboard_of_figures`, what
the service serves) or every mark of the extracts (`la_dashboard`, the definition the sums are checked against).
The compliance view is compliance.py."""

from __future__ import annotations

from collections import Counter
from datetime import date

from services.returns.reports.figures import (
    absence_by_weekday,
    absence_by_weekday_of_days,
    cohort_cells,
    cohort_pupils,
    figures_by_cohort,
    weekly_attendance_of_days,
    weekly_attendance_of_marks,
)
from shared.contracts.casework import CasesByStage
from shared.contracts.register import SchoolSummary
from shared.contracts.reports import LaDashboard, SchoolFigures
from shared.contracts.returns import LaAttendanceFigures, RegisterExtract, ReturnStatus, ReturnSummary

CASES_UNAVAILABLE = "Cases by stage: casework did not answer."


def la_dashboard(la_code: str, extracts: list[RegisterExtract], returns: list[ReturnSummary], from_date: date,
                 to_date: date, minimum_group: int, cases: CasesByStage | None = None) -> LaDashboard:
    overdue = [r for r in returns if r.status is ReturnStatus.LATE]
    overdue_by_school = Counter(r.school_urn for r in overdue)
    schools = [SchoolFigures(urn=e.school.urn, name=e.school.name,
                             figures=figures_by_cohort(cohort_pupils([e], from_date), minimum_group)[0],
                             overdue_returns=overdue_by_school[e.school.urn]) for e in extracts]
    marks = [m for e in extracts for m in e.marks]
    return LaDashboard(la_code=la_code, from_date=from_date, to_date=to_date, minimum_group=minimum_group,
                       area=figures_by_cohort(cohort_pupils(extracts, from_date), minimum_group),
                       weekly_attendance=weekly_attendance_of_marks(marks, from_date, to_date),
                       absence_by_weekday=absence_by_weekday(marks, from_date, to_date),
                       schools=schools, overdue_returns=overdue, cases=cases,
                       unavailable=[] if cases is not None else [CASES_UNAVAILABLE])


def la_dashboard_of_figures(la_code: str, schools: list[SchoolSummary], figures: LaAttendanceFigures,
                            returns: list[ReturnSummary], from_date: date, to_date: date, minimum_group: int,
                            cases: CasesByStage | None = None) -> LaDashboard:
    """The same dashboard as la_dashboard, from the register's sums (cohort cells and days) instead of every
    mark: the figures are sums of the same sessions, so they come out the same."""
    overdue = [r for r in returns if r.status is ReturnStatus.LATE]
    overdue_by_school = Counter(r.school_urn for r in overdue)
    cells = cohort_cells(figures.cells)
    board = [SchoolFigures(urn=s.urn, name=s.name,
                           figures=figures_by_cohort([c for c in cells if c[0].school_urn == s.urn],
                                                     minimum_group)[0],
                           overdue_returns=overdue_by_school[s.urn]) for s in schools]
    return LaDashboard(la_code=la_code, from_date=from_date, to_date=to_date, minimum_group=minimum_group,
                       area=figures_by_cohort(cells, minimum_group),
                       weekly_attendance=weekly_attendance_of_days(figures.days),
                       absence_by_weekday=absence_by_weekday_of_days(figures.days),
                       schools=board, overdue_returns=overdue, cases=cases,
                       unavailable=[] if cases is not None else [CASES_UNAVAILABLE])
