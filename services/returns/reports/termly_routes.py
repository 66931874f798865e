"""The termly governor reports' endpoints: the scheduled run (internal, the returns worker) and the stored reports
for the school's headteacher and governors (JSON and HTML)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from services.returns.dependencies import STORED_REPORT_READERS, RegisterSource, Repository, Settings
from services.returns.reports import termly
from services.returns.reports.governor import GovernorReport, render_html
from shared.auth import CurrentIdentity, Identity, service_caller
from shared.contracts.identifiers import Urn
from shared.contracts.returns import GovernorReportsRequest, GovernorReportsResult, StoredGovernorReport

# The termly schedule runs in the worker, as the returns worker.
WorkerCaller = Annotated[Identity, Depends(service_caller("returns-worker"))]

internal = APIRouter(prefix="/internal/governor-reports", tags=["internal"])
public = APIRouter(prefix="/api/v1/schools", tags=["reports"])


@internal.post("/produce", response_model=GovernorReportsResult)
async def produce(body: GovernorReportsRequest, caller: WorkerCaller, repository: Repository, source: RegisterSource,
                  settings: Settings) -> GovernorReportsResult:
    """Store the governor report of every term of the LA's schools that ended by `as_of` and has none yet."""
    return await termly.produce(repository.session, source, caller, body, minimum_group=settings.report_minimum_group,
                                lookback_days=settings.governor_report_lookback_days)


@public.get("/{urn}/governor-reports", dependencies=[Depends(STORED_REPORT_READERS)],
            response_model=list[StoredGovernorReport])
async def stored(urn: Urn, identity: CurrentIdentity, repository: Repository) -> list[StoredGovernorReport]:
    """The school's termly governor reports, newest term first (its headteacher and governors)."""
    return await termly.list_for_school(repository.session, identity, urn)


# The page first: a path ending in .html would otherwise be taken for a report id and refused.
@public.get("/{urn}/governor-reports/{report_id}.html", dependencies=[Depends(STORED_REPORT_READERS)],
            response_class=HTMLResponse)
async def stored_report_page(urn: Urn, report_id: uuid.UUID, identity: CurrentIdentity,
                             repository: Repository) -> HTMLResponse:
    return HTMLResponse(render_html(await termly.stored_report(repository.session, identity, urn, report_id)))


@public.get("/{urn}/governor-reports/{report_id}", dependencies=[Depends(STORED_REPORT_READERS)],
            response_model=GovernorReport)
async def stored_report(urn: Urn, report_id: uuid.UUID, identity: CurrentIdentity,
                        repository: Repository) -> GovernorReport:
    return await termly.stored_report(repository.session, identity, urn, report_id)
