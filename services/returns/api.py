"""The returns service's HTTP API: /internal for the scheduled workflow, /api/v1 for schools and LAs."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from services.returns import service
from services.returns.dependencies import (
    RETURN_READERS,
    RETURN_SUBMITTERS,
    Now,
    RegisterSource,
    Repository,
    Settings,
    Today,
)
from services.returns.export import kind_columns, to_csv, to_xlsx
from services.returns.models import LaReturn
from services.returns.schemas import ReturnDetail
from shared.auth import CurrentIdentity, Identity, service_caller
from shared.contracts.identifiers import Urn
from shared.contracts.returns import GenerateReturnsIn, GenerateReturnsResult, ReturnKind, ReturnSummary

internal = APIRouter(prefix="/internal/returns", tags=["internal"])
public = APIRouter(prefix="/api/v1/returns", tags=["returns"])
# Only the LA's returns schedule (a worker activity) generates returns.
ScheduleCaller = Annotated[Identity, Depends(service_caller("returns-worker"))]

# A return's period as listed: its first and last day (shared.contracts.returns.period_label).
PERIOD_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}_[0-9]{4}-[0-9]{2}-[0-9]{2}$"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@internal.post("/generate", response_model=GenerateReturnsResult)
async def generate(body: GenerateReturnsIn, _caller: ScheduleCaller, repository: Repository,
                   source: RegisterSource, settings: Settings, now: Now, today: Today) -> GenerateReturnsResult:
    """Generate (or regenerate) every return of every school of an LA for a period."""
    return await service.generate(repository, source, settings.rules, body, now, today)


@public.get("", dependencies=[Depends(RETURN_READERS)], response_model=list[ReturnSummary])
async def list_returns(identity: CurrentIdentity, repository: Repository, today: Today,
                       school_urn: Urn | None = None, kind: ReturnKind | None = None,
                       period: Annotated[str | None, Query(pattern=PERIOD_PATTERN)] = None) -> list[ReturnSummary]:
    """Returns in the caller's scope, newest period first."""
    return await service.list_returns(repository, identity, today, school_urn=school_urn, kind=kind,
                                      period=period)


def _file_name(la_return: LaReturn, extension: str) -> str:
    # Identifiers only: no pupil data in file names.
    return f"{la_return.kind}-return-{la_return.school_urn}-{la_return.period}.{extension}"


@public.get("/{return_id}.csv", dependencies=[Depends(RETURN_READERS)], response_class=Response)
async def download_csv(return_id: uuid.UUID, identity: CurrentIdentity, repository: Repository) -> Response:
    la_return = await service.get_return(repository, identity, return_id)
    columns = kind_columns(ReturnKind(la_return.kind))
    return Response(to_csv(la_return.content, columns), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{_file_name(la_return, "csv")}"'})


@public.get("/{return_id}.xlsx", dependencies=[Depends(RETURN_READERS)], response_class=Response)
async def download_xlsx(return_id: uuid.UUID, identity: CurrentIdentity, repository: Repository,
                        today: Today) -> Response:
    la_return = await service.get_return(repository, identity, return_id)
    about = {"LA": la_return.la_code, "School URN": la_return.school_urn, "Period": la_return.period,
             "Due": la_return.due_date.isoformat(), "Status": service.effective_status(la_return, today).value}
    body = to_xlsx(la_return.content, kind=ReturnKind(la_return.kind), about=about)
    return Response(body, media_type=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{_file_name(la_return, "xlsx")}"'})


@public.get("/{return_id}", dependencies=[Depends(RETURN_READERS)], response_model=ReturnDetail)
async def get_return(return_id: uuid.UUID, identity: CurrentIdentity, repository: Repository,
                     today: Today) -> ReturnDetail:
    return service.detail(await service.get_return(repository, identity, return_id), today)


@public.post("/{return_id}/submit", dependencies=[Depends(RETURN_SUBMITTERS)], response_model=ReturnSummary)
async def submit(return_id: uuid.UUID, identity: CurrentIdentity, repository: Repository, now: Now,
                 today: Today) -> ReturnSummary:
    """The school submits the return to its LA; its content is kept as submitted."""
    return await service.submit(repository, identity, return_id, now, today)
