"""Report endpoints: the governor report (JSON, and PDF as a document), the LA dashboard and compliance view, and
the DfE daily extract. The pages a person reads are casework's (its GOV.UK layout and sign-in): the two old HTML
addresses here send a browser there, so links kept from before still work."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import RedirectResponse

from services.returns.dependencies import ReturnsDep, Settings
from services.returns.reports.dfe import DFE_COLUMNS
from services.returns.reports.governor import render_html, render_pdf
from services.returns.service import reports
from services.returns.service.export import to_csv
from shared.auth import CurrentIdentity
from shared.callers import LA_OFFICERS, SCHOOL_FIGURES, SCHOOL_STAFF_OR_LA
from shared.contracts.identifiers import LaCode, SchoolDate, Urn
from shared.contracts.reports import Compliance, GovernorReport, LaDashboard, LaPage

router = APIRouter(prefix="/api/v1", tags=["reports"])


@router.get("/schools/{urn}/governor-report.json", dependencies=[Depends(SCHOOL_FIGURES)],
            response_model=GovernorReport)
async def governor_report_json(urn: Urn, identity: CurrentIdentity, returns: ReturnsDep,
                               term_start: SchoolDate | None = None,
                               term_end: SchoolDate | None = None) -> GovernorReport:
    return await reports.governor_report(returns, identity, urn, term_start, term_end)


@router.get("/schools/{urn}/governor-report.pdf", dependencies=[Depends(SCHOOL_FIGURES)], response_class=Response)
async def governor_report_pdf(urn: Urn, identity: CurrentIdentity, returns: ReturnsDep,
                              term_start: SchoolDate | None = None,
                              term_end: SchoolDate | None = None) -> Response:
    report = await reports.governor_report(returns, identity, urn, term_start, term_end)
    pdf = await asyncio.to_thread(render_pdf, render_html(report))
    name = f"governor-report-{urn}-{report.term_start.isoformat()}_{report.term_end.isoformat()}.pdf"
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})


@router.get("/schools/{urn}/governor-report", response_class=RedirectResponse, status_code=303,
            include_in_schema=False)
async def governor_report_page(urn: Urn, request: Request, settings: Settings) -> RedirectResponse:
    """The report as a page is casework's (303 there, with the same dates); the JSON and PDF stay here."""
    return _to_casework(settings, f"/schools/{urn}/governor-report", request)


def _to_casework(settings: Settings, path: str, request: Request) -> RedirectResponse:
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"{settings.platform.casework_url.rstrip('/')}{path}{query}", status_code=303)


@router.get("/las/{la_code}/dashboard", dependencies=[Depends(LA_OFFICERS)], response_model=LaDashboard)
async def dashboard(la_code: LaCode, identity: CurrentIdentity, returns: ReturnsDep,
                    from_date: Annotated[SchoolDate | None, Query(alias="from")] = None,
                    to_date: Annotated[SchoolDate | None, Query(alias="to")] = None) -> LaDashboard:
    """Without dates: the school year so far."""
    return await reports.dashboard(returns, identity, la_code, from_date, to_date)


@router.get("/las/{la_code}/page", dependencies=[Depends(LA_OFFICERS)], response_model=LaPage)
async def la_page(la_code: LaCode, identity: CurrentIdentity, returns: ReturnsDep,
                  from_date: Annotated[SchoolDate | None, Query(alias="from")] = None,
                  to_date: Annotated[SchoolDate | None, Query(alias="to")] = None) -> LaPage:
    """Everything casework's LA dashboard page shows, in one answer: the dashboard, the compliance view and the
    returns whose period overlaps the dates. Without dates: the school year so far."""
    return await reports.la_page(returns, identity, la_code, from_date, to_date)


@router.get("/las/{la_code}/dashboard.html", response_class=RedirectResponse, status_code=303,
            include_in_schema=False)
async def dashboard_page(la_code: LaCode, request: Request, settings: Settings) -> RedirectResponse:
    """The LA's page is casework's (303 there, with the same dates)."""
    return _to_casework(settings, f"/las/{la_code}/dashboard", request)


@router.get("/las/{la_code}/compliance", dependencies=[Depends(LA_OFFICERS)], response_model=Compliance)
async def compliance(la_code: LaCode, identity: CurrentIdentity, returns: ReturnsDep,
                     from_date: Annotated[SchoolDate | None, Query(alias="from")] = None,
                     to_date: Annotated[SchoolDate | None, Query(alias="to")] = None) -> Compliance:
    """Without dates: the school year so far."""
    return await reports.compliance_view(returns, identity, la_code, from_date, to_date)


@router.get("/schools/{urn}/dfe-daily-extract.csv", dependencies=[Depends(SCHOOL_STAFF_OR_LA)], response_class=Response)
async def dfe_daily_extract(urn: Urn, identity: CurrentIdentity, returns: ReturnsDep,
                            day: Annotated[SchoolDate, Query(alias="date")]) -> Response:
    rows = await reports.dfe_daily_extract(returns, identity, urn, day)
    return Response(to_csv(rows, DFE_COLUMNS), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="dfe-daily-{urn}-{day.isoformat()}.csv"'})
