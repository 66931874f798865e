"""The reports' rules: reading the registers (and casework and notifications) for a report, and who may see
which report. The figures themselves are built in services/returns/reports/."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from services.returns.reports.compliance import (
    SAME_DAY_TEMPLATES,
    Compliance,
    compliance,
    pupils_needing_same_day_alerts,
)
from services.returns.reports.dfe import dfe_daily_rows
from services.returns.reports.figures import statistics_census
from services.returns.reports.governor import GovernorReport, build_governor_report, load_national_figures
from services.returns.reports.la import LaDashboard, la_dashboard_of_figures
from services.returns.repository import returns as repository
from services.returns.service import Returns
from services.returns.service.la_returns import summary
from services.returns.service.register import from_register
from shared.auth import LA_ROLES, SCHOOL_ROLES, Identity
from shared.clients.notifications import NotificationsClient
from shared.clients.register_extract import RegisterExtractClient
from shared.contracts.casework import CasesByStage
from shared.contracts.notifications import AlertTiming, AlertTimingsRequest
from shared.contracts.register import NMarkRecord
from shared.contracts.reports import LaPage
from shared.contracts.returns import RegisterExtract, ReturnSummary
from shared.errors import InvalidInput, NotFound, OutOfScope
from shared.http import ServiceCallFailed

MAX_RANGE = timedelta(days=366)
N_MARKS_UNAVAILABLE = "N codes resolved in time, and same-day alerts: register did not answer."
ALERTS_UNAVAILABLE = "Same-day alerts: notifications did not answer."

log = logging.getLogger(__name__)


def school_year_start(today: date) -> date:
    """1 September of the school year containing `today` (a report's default period runs from it)."""
    return date(today.year if today.month >= 9 else today.year - 1, 9, 1)


def check_range(start: date, end: date, *, end_field: str) -> None:
    if start > end:
        raise InvalidInput("The end date must not be before the start date.", field=end_field)
    if end - start > MAX_RANGE:
        raise InvalidInput("Reports cover at most one school year.", field=end_field)


async def la_extracts(source: RegisterExtractClient, la_code: str, start: date, end: date) -> list[RegisterExtract]:
    schools = await from_register(source.schools_of_la(la_code))
    if not schools:
        raise NotFound(f"The register holds no school of local authority {la_code}.")
    return [await from_register(source.extract(s.urn, start, end)) for s in schools]


def _require_la(identity: Identity, la_code: str) -> None:
    if not (identity.is_service or identity.role in LA_ROLES and identity.scope.la_code == la_code):
        raise OutOfScope("Only the local authority's own officers see its dashboard.")


async def governor_report(returns: Returns, identity: Identity, urn: str, term_start: date | None,
                          term_end: date | None) -> GovernorReport:
    """Figures for one school and term; anyone who may see the school's figures (governors too). Without dates
    the report covers the school year so far, which is what a governor opening it expects."""
    source, today = returns.register, returns.today
    term_start, term_end = term_start or school_year_start(today), term_end or today
    check_range(term_start, term_end, end_field="term_end")
    if identity.role in SCHOOL_ROLES and urn not in identity.scope.school_urns:
        raise OutOfScope("You do not have access to this school's figures.")
    school: RegisterExtract = await from_register(source.extract(urn, term_start, term_end))
    if not identity.can_see_school_figures(school_urn=urn, la_code=school.school.la_code):
        raise OutOfScope("You do not have access to this school's figures.")
    la = await la_extracts(source, school.school.la_code, term_start, term_end)
    national = await asyncio.to_thread(load_national_figures)
    return build_governor_report(school, la, term_start, term_end, national,
                                 minimum_group=returns.settings.report_minimum_group, today=today)


async def _returns_of_la(returns: Returns, la_code: str) -> list[ReturnSummary]:
    """Every stored return of the LA (the caller's scope is checked before)."""
    return [summary(r, returns.today) for r in await repository.search(returns.db, la_code=la_code)]


def _period(returns: Returns, start: date | None, end: date | None) -> tuple[date, date]:
    """Without dates: the school year so far."""
    return start or school_year_start(returns.today), end or returns.today


async def dashboard(returns: Returns, identity: Identity, la_code: str, start: date | None, end: date | None, *,
                    la_returns: list[ReturnSummary] | None = None) -> LaDashboard:
    """`la_returns`: the LA's returns when the caller has read them already."""
    start, end = _period(returns, start, end)
    _require_la(identity, la_code)
    check_range(start, end, end_field="to")
    schools = await from_register(returns.register.schools_of_la(la_code))
    if not schools:
        raise NotFound(f"The register holds no school of local authority {la_code}.")
    figures = await from_register(returns.register.attendance_figures(la_code, start, end,
                                                                      statistics_census(start)))
    if la_returns is None:
        la_returns = await _returns_of_la(returns, la_code)
    try:
        cases: CasesByStage | None = await returns.casework.cases_by_stage(la_code)
    except ServiceCallFailed as exc:
        # The figures and returns stand on their own; the page says what is missing rather than failing.
        log.warning("casework did not give cases by stage", extra={"status": exc.status})
        cases = None
    return la_dashboard_of_figures(la_code, schools, figures, la_returns, start, end,
                                   returns.settings.report_minimum_group, cases)


async def _n_marks(source: RegisterExtractClient, la_code: str, start: date,
                   end: date) -> dict[str, list[NMarkRecord]] | None:
    try:
        schools = await source.schools_of_la(la_code)
        return {s.urn: await source.n_marks(s.urn, start, end) for s in schools}
    except ServiceCallFailed as exc:
        log.warning("register did not give N marks", extra={"status": exc.status})
        return None


async def _alert_timings(notifications: NotificationsClient, pupil_ids: list[UUID], start: date,
                         end: date) -> list[AlertTiming] | None:
    if not pupil_ids:
        return []
    try:
        return await notifications.alert_timings(AlertTimingsRequest(
            templates=list(SAME_DAY_TEMPLATES.values()), pupil_ids=pupil_ids, session_from=start, session_to=end))
    except ServiceCallFailed as exc:
        log.warning("notifications did not give alert timings", extra={"status": exc.status})
        return None


async def compliance_view(returns: Returns, identity: Identity, la_code: str, start: date | None, end: date | None,
                          *, la_returns: list[ReturnSummary] | None = None) -> Compliance:
    """Returns due in the period, N sessions in the period and their same-day alerts."""
    start, end = _period(returns, start, end)
    _require_la(identity, la_code)
    check_range(start, end, end_field="to")
    if la_returns is None:
        la_returns = await _returns_of_la(returns, la_code)
    unavailable = []
    n_marks = await _n_marks(returns.register, la_code, start, end)
    timings: list[AlertTiming] | None = None
    if n_marks is None:
        unavailable.append(N_MARKS_UNAVAILABLE)
    else:
        timings = await _alert_timings(returns.notifications, pupils_needing_same_day_alerts(n_marks), start, end)
        if timings is None:
            unavailable.append(ALERTS_UNAVAILABLE)
    return compliance(la_code, start, end, la_returns, n_marks, timings, unavailable)


async def la_page(returns: Returns, identity: Identity, la_code: str, start: date | None,
                  end: date | None) -> LaPage:
    """The dashboard, the compliance view and the returns whose period overlaps the dates, for one page."""
    start, end = _period(returns, start, end)
    _require_la(identity, la_code)
    la_returns = await _returns_of_la(returns, la_code)
    board = await dashboard(returns, identity, la_code, start, end, la_returns=la_returns)
    view = await compliance_view(returns, identity, la_code, start, end, la_returns=la_returns)
    return LaPage(dashboard=board, compliance=view,
                  returns=[r for r in la_returns if r.period_start <= end and r.period_end >= start])


async def dfe_daily_extract(returns: Returns, identity: Identity, urn: str, day: date) -> list[dict[str, Any]]:
    """Pupil-level: the school's own staff and the LA's officers only."""
    if identity.role in SCHOOL_ROLES and urn not in identity.scope.school_urns or not (
            identity.is_service or identity.role in SCHOOL_ROLES or identity.role in LA_ROLES):
        raise OutOfScope("You do not have access to this school's register.")
    extract: RegisterExtract = await from_register(returns.register.extract(urn, day, day))
    if identity.role in LA_ROLES and extract.school.la_code != identity.scope.la_code:
        raise OutOfScope("You do not have access to this school's register.")
    return dfe_daily_rows(extract, day)
