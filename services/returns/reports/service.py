"""Reading the registers for reports, and who may see which report."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

from services.returns import service as returns_service
from services.returns.exceptions import RegisterUnavailable
from services.returns.register_source import RegisterExtractClient
from services.returns.reports.dfe import dfe_daily_rows
from services.returns.reports.governor import GovernorReport, build_governor_report, load_national_figures
from services.returns.reports.la import Compliance, LaDashboard, compliance, la_dashboard
from services.returns.repository import ReturnRepository
from shared.auth import LA_ROLES, SCHOOL_ROLES, Identity
from shared.contracts.returns import RegisterExtract
from shared.errors import InvalidInput, NotFound, OutOfScope
from shared.http import ServiceCallFailed

MAX_RANGE = timedelta(days=366)


def check_range(start: date, end: date, *, end_field: str) -> None:
    if start > end:
        raise InvalidInput("The end date must not be before the start date.", field=end_field)
    if end - start > MAX_RANGE:
        raise InvalidInput("Reports cover at most one school year.", field=end_field)


async def _register(call: Any) -> Any:
    try:
        return await call
    except ServiceCallFailed as exc:
        if exc.status == 404:
            raise NotFound("The register does not know that school or local authority.") from exc
        raise RegisterUnavailable(f"The register could not provide the registers: {exc.detail}") from exc


async def la_extracts(source: RegisterExtractClient, la_code: str, start: date, end: date) -> list[RegisterExtract]:
    schools = await _register(source.schools_of_la(la_code))
    if not schools:
        raise NotFound(f"The register holds no school of local authority {la_code}.")
    return [await _register(source.extract(s.urn, start, end)) for s in schools]


def _require_la(identity: Identity, la_code: str) -> None:
    if not (identity.is_service or identity.role in LA_ROLES and identity.scope.la_code == la_code):
        raise OutOfScope("Only the local authority's own officers see its dashboard.")


async def governor_report(source: RegisterExtractClient, identity: Identity, urn: str, term_start: date,
                          term_end: date, minimum_group: int, today: date) -> GovernorReport:
    """Figures for one school and term; anyone who may see the school's figures (governors too)."""
    check_range(term_start, term_end, end_field="term_end")
    if identity.role in SCHOOL_ROLES and urn not in identity.scope.school_urns:
        raise OutOfScope("You do not have access to this school's figures.")
    school: RegisterExtract = await _register(source.extract(urn, term_start, term_end))
    if not identity.can_see_school_figures(school_urn=urn, la_code=school.school.la_code):
        raise OutOfScope("You do not have access to this school's figures.")
    la = await la_extracts(source, school.school.la_code, term_start, term_end)
    national = await asyncio.to_thread(load_national_figures)
    return build_governor_report(school, la, term_start, term_end, national, minimum_group=minimum_group,
                                 today=today)


async def dashboard(source: RegisterExtractClient, repository: ReturnRepository, identity: Identity,
                    la_code: str, start: date, end: date, minimum_group: int, today: date) -> LaDashboard:
    _require_la(identity, la_code)
    check_range(start, end, end_field="to")
    extracts = await la_extracts(source, la_code, start, end)
    returns = await returns_service.list_returns(repository, identity, today)
    return la_dashboard(la_code, extracts, [r for r in returns if r.la_code == la_code], start, end,
                        minimum_group)


async def compliance_view(repository: ReturnRepository, identity: Identity, la_code: str,
                          today: date) -> Compliance:
    _require_la(identity, la_code)
    returns = await returns_service.list_returns(repository, identity, today)
    return compliance(la_code, [r for r in returns if r.la_code == la_code])


async def dfe_daily_extract(source: RegisterExtractClient, identity: Identity, urn: str, day: date
                            ) -> list[dict[str, Any]]:
    """Pupil-level: the school's own staff and the LA's officers only."""
    if identity.role in SCHOOL_ROLES and urn not in identity.scope.school_urns or not (
            identity.is_service or identity.role in SCHOOL_ROLES or identity.role in LA_ROLES):
        raise OutOfScope("You do not have access to this school's register.")
    extract: RegisterExtract = await _register(source.extract(urn, day, day))
    if identity.role in LA_ROLES and extract.school.la_code != identity.scope.la_code:
        raise OutOfScope("You do not have access to this school's register.")
    return dfe_daily_rows(extract, day)
