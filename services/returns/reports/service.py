"""Reading the registers for reports, and who may see which report."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from services.returns import service as returns_service
from services.returns.register_source import RegisterExtractClient, from_register
from services.returns.reports.compliance import (
    SAME_DAY_TEMPLATES,
    Compliance,
    compliance,
    pupils_needing_same_day_alerts,
)
from services.returns.reports.dfe import dfe_daily_rows
from services.returns.reports.governor import GovernorReport, build_governor_report, load_national_figures
from services.returns.reports.la import LaDashboard, la_dashboard
from services.returns.repository import ReturnRepository
from shared.auth import LA_ROLES, SCHOOL_ROLES, Identity
from shared.clients.casework import CaseworkClient
from shared.clients.notifications import NotificationsClient
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


async def governor_report(source: RegisterExtractClient, identity: Identity, urn: str, term_start: date,
                          term_end: date, minimum_group: int, today: date) -> GovernorReport:
    """Figures for one school and term; anyone who may see the school's figures (governors too)."""
    check_range(term_start, term_end, end_field="term_end")
    if identity.role in SCHOOL_ROLES and urn not in identity.scope.school_urns:
        raise OutOfScope("You do not have access to this school's figures.")
    school: RegisterExtract = await from_register(source.extract(urn, term_start, term_end))
    if not identity.can_see_school_figures(school_urn=urn, la_code=school.school.la_code):
        raise OutOfScope("You do not have access to this school's figures.")
    la = await la_extracts(source, school.school.la_code, term_start, term_end)
    national = await asyncio.to_thread(load_national_figures)
    return build_governor_report(school, la, term_start, term_end, national, minimum_group=minimum_group,
                                 today=today)


async def _returns_of_la(repository: ReturnRepository, la_code: str, today: date) -> list[ReturnSummary]:
    """Every stored return of the LA (the caller's scope is checked before)."""
    return [returns_service.summary(r, today) for r in await repository.search(la_code=la_code)]


async def dashboard(source: RegisterExtractClient, casework: CaseworkClient, repository: ReturnRepository,
                    identity: Identity, la_code: str, start: date, end: date, minimum_group: int,
                    today: date, *, returns: list[ReturnSummary] | None = None) -> LaDashboard:
    """`returns`: the LA's returns when the caller has read them already."""
    _require_la(identity, la_code)
    check_range(start, end, end_field="to")
    extracts = await la_extracts(source, la_code, start, end)
    if returns is None:
        returns = await _returns_of_la(repository, la_code, today)
    try:
        cases: CasesByStage | None = await casework.cases_by_stage(la_code)
    except ServiceCallFailed as exc:
        # The figures and returns stand on their own; the page says what is missing rather than failing.
        log.warning("casework did not give cases by stage", extra={"status": exc.status})
        cases = None
    return la_dashboard(la_code, extracts, returns, start, end, minimum_group, cases)


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


async def compliance_view(repository: ReturnRepository, source: RegisterExtractClient,
                          notifications: NotificationsClient, identity: Identity, la_code: str, start: date,
                          end: date, today: date, *, returns: list[ReturnSummary] | None = None) -> Compliance:
    """Returns due in the period, N sessions in the period and their same-day alerts."""
    _require_la(identity, la_code)
    check_range(start, end, end_field="to")
    if returns is None:
        returns = await _returns_of_la(repository, la_code, today)
    unavailable = []
    n_marks = await _n_marks(source, la_code, start, end)
    timings: list[AlertTiming] | None = None
    if n_marks is None:
        unavailable.append(N_MARKS_UNAVAILABLE)
    else:
        timings = await _alert_timings(notifications, pupils_needing_same_day_alerts(n_marks), start, end)
        if timings is None:
            unavailable.append(ALERTS_UNAVAILABLE)
    return compliance(la_code, start, end, returns, n_marks, timings, unavailable)


async def la_page(source: RegisterExtractClient, casework: CaseworkClient, notifications: NotificationsClient,
                  repository: ReturnRepository, identity: Identity, la_code: str, start: date, end: date,
                  minimum_group: int, today: date) -> LaPage:
    """The dashboard, the compliance view and the returns whose period overlaps the dates, for one page."""
    _require_la(identity, la_code)
    returns = await _returns_of_la(repository, la_code, today)
    board = await dashboard(source, casework, repository, identity, la_code, start, end, minimum_group, today,
                            returns=returns)
    view = await compliance_view(repository, source, notifications, identity, la_code, start, end, today,
                                 returns=returns)
    return LaPage(dashboard=board, compliance=view,
                  returns=[r for r in returns if r.period_start <= end and r.period_end >= start])


async def dfe_daily_extract(source: RegisterExtractClient, identity: Identity, urn: str, day: date
                            ) -> list[dict[str, Any]]:
    """Pupil-level: the school's own staff and the LA's officers only."""
    if identity.role in SCHOOL_ROLES and urn not in identity.scope.school_urns or not (
            identity.is_service or identity.role in SCHOOL_ROLES or identity.role in LA_ROLES):
        raise OutOfScope("You do not have access to this school's register.")
    extract: RegisterExtract = await from_register(source.extract(urn, day, day))
    if identity.role in LA_ROLES and extract.school.la_code != identity.scope.la_code:
        raise OutOfScope("You do not have access to this school's register.")
    return dfe_daily_rows(extract, day)
