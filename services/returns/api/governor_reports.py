"""The stored termly governor reports for the school's headteacher and governors (JSON and HTML); the scheduled
run that stores them is in api/internal.py."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from services.returns.dependencies import STORED_REPORT_READERS, ReturnsDep
from services.returns.reports.governor import GovernorReport, render_html
from services.returns.service import governor_reports
from shared.auth import CurrentIdentity
from shared.contracts.identifiers import Urn
from shared.contracts.returns import StoredGovernorReport

router = APIRouter(prefix="/api/v1/schools", tags=["reports"])


@router.get("/{urn}/governor-reports", dependencies=[Depends(STORED_REPORT_READERS)],
            response_model=list[StoredGovernorReport])
async def stored(urn: Urn, identity: CurrentIdentity, returns: ReturnsDep) -> list[StoredGovernorReport]:
    """The school's termly governor reports, newest term first (its headteacher and governors)."""
    return await governor_reports.list_for_school(returns, identity, urn)


# The page first: a path ending in .html would otherwise be taken for a report id and refused.
@router.get("/{urn}/governor-reports/{report_id}.html", dependencies=[Depends(STORED_REPORT_READERS)],
            response_class=HTMLResponse)
async def stored_report_page(urn: Urn, report_id: uuid.UUID, identity: CurrentIdentity,
                             returns: ReturnsDep) -> HTMLResponse:
    return HTMLResponse(render_html(await governor_reports.stored_report(returns, identity, urn, report_id)))


@router.get("/{urn}/governor-reports/{report_id}", dependencies=[Depends(STORED_REPORT_READERS)],
            response_model=GovernorReport)
async def stored_report(urn: Urn, report_id: uuid.UUID, identity: CurrentIdentity,
                        returns: ReturnsDep) -> GovernorReport:
    return await governor_reports.stored_report(returns, identity, urn, report_id)
