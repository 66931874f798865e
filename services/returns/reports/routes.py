"""Report endpoints: the governor report (HTML, PDF, JSON), the LA dashboard and compliance view, and the
DfE daily extract."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import HTMLResponse

from services.returns.dependencies import Casework, Notifications, RegisterSource, Repository, Settings, Today
from services.returns.export import to_csv
from services.returns.reports import service
from services.returns.reports.compliance import Compliance
from services.returns.reports.dfe import DFE_COLUMNS
from services.returns.reports.governor import GovernorReport, render_html, render_pdf
from services.returns.reports.la import LaDashboard
from services.returns.reports.la_page import render_la_page
from shared.auth import CurrentIdentity
from shared.contracts.identifiers import LaCode, SchoolDate, Urn

router = APIRouter(prefix="/api/v1", tags=["reports"])


def school_year_start(today: date) -> date:
    """1 September of the school year containing `today` (a report's default period runs from it)."""
    return date(today.year if today.month >= 9 else today.year - 1, 9, 1)


async def _report(source: RegisterSource, identity: CurrentIdentity, settings: Settings, today: Today, urn: Urn,
                  term_start: date | None, term_end: date | None) -> GovernorReport:
    # Without dates the report covers the school year so far, which is what a governor opening it expects.
    start, end = term_start or school_year_start(today), term_end or today
    return await service.governor_report(source, identity, urn, start, end, settings.report_minimum_group, today)


@router.get("/schools/{urn}/governor-report.json", response_model=GovernorReport)
async def governor_report_json(urn: Urn, identity: CurrentIdentity, source: RegisterSource, settings: Settings,
                               today: Today, term_start: SchoolDate | None = None,
                               term_end: SchoolDate | None = None) -> GovernorReport:
    return await _report(source, identity, settings, today, urn, term_start, term_end)


@router.get("/schools/{urn}/governor-report.pdf", response_class=Response)
async def governor_report_pdf(urn: Urn, identity: CurrentIdentity, source: RegisterSource, settings: Settings,
                              today: Today, term_start: SchoolDate | None = None,
                               term_end: SchoolDate | None = None) -> Response:
    report = await _report(source, identity, settings, today, urn, term_start, term_end)
    pdf = await asyncio.to_thread(render_pdf, render_html(report))
    name = f"governor-report-{urn}-{report.term_start.isoformat()}_{report.term_end.isoformat()}.pdf"
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.get("/schools/{urn}/governor-report", response_class=HTMLResponse)
async def governor_report_html(urn: Urn, identity: CurrentIdentity, source: RegisterSource, settings: Settings,
                               today: Today, term_start: SchoolDate | None = None,
                               term_end: SchoolDate | None = None) -> HTMLResponse:
    return HTMLResponse(render_html(await _report(source, identity, settings, today, urn, term_start, term_end)))


@router.get("/las/{la_code}/dashboard", response_model=LaDashboard)
async def dashboard(la_code: LaCode, identity: CurrentIdentity, source: RegisterSource, casework: Casework,
                    repository: Repository, settings: Settings, today: Today,
                    from_date: Annotated[SchoolDate | None, Query(alias="from")] = None,
                    to_date: Annotated[SchoolDate | None, Query(alias="to")] = None) -> LaDashboard:
    """Without dates: the school year so far."""
    return await service.dashboard(source, casework, repository, identity, la_code,
                                   from_date or school_year_start(today), to_date or today,
                                   settings.report_minimum_group, today)


@router.get("/las/{la_code}/dashboard.html", response_class=HTMLResponse)
async def dashboard_page(la_code: LaCode, identity: CurrentIdentity, source: RegisterSource, casework: Casework,
                         notifications: Notifications, repository: Repository, settings: Settings, today: Today,
                         from_date: Annotated[SchoolDate | None, Query(alias="from")] = None,
                         to_date: Annotated[SchoolDate | None, Query(alias="to")] = None) -> HTMLResponse:
    """The dashboard, compliance view and returns as one page for the LA's officers."""
    page = await service.la_page(source, casework, notifications, repository, identity, la_code,
                                 from_date or school_year_start(today), to_date or today,
                                 settings.report_minimum_group, today)
    names = {s.urn: s.name for s in page.dashboard.schools}
    return HTMLResponse(render_la_page(page, names))


@router.get("/las/{la_code}/compliance", response_model=Compliance)
async def compliance(la_code: LaCode, identity: CurrentIdentity, repository: Repository, source: RegisterSource,
                     notifications: Notifications, today: Today,
                     from_date: Annotated[SchoolDate | None, Query(alias="from")] = None,
                     to_date: Annotated[SchoolDate | None, Query(alias="to")] = None) -> Compliance:
    """Without dates: the school year so far."""
    return await service.compliance_view(repository, source, notifications, identity, la_code,
                                         from_date or school_year_start(today), to_date or today, today)


@router.get("/schools/{urn}/dfe-daily-extract.csv", response_class=Response)
async def dfe_daily_extract(urn: Urn, identity: CurrentIdentity, source: RegisterSource,
                            day: Annotated[SchoolDate, Query(alias="date")]) -> Response:
    rows = await service.dfe_daily_extract(source, identity, urn, day)
    return Response(to_csv(rows, DFE_COLUMNS), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="dfe-daily-{urn}-{day.isoformat()}.csv"'})
