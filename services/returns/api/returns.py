"""Statutory returns for schools and LAs: list them, read one (JSON, CSV, XLSX), submit one."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from services.returns.dependencies import RETURN_READERS, RETURN_SUBMITTERS, ReturnsDep
from services.returns.models import LaReturn
from services.returns.schemas import ReturnDetail
from services.returns.service import la_returns
from services.returns.service.export import kind_columns, to_csv, to_xlsx
from shared.auth import CurrentIdentity
from shared.contracts.identifiers import Urn
from shared.contracts.returns import ReturnKind, ReturnSummary

router = APIRouter(prefix="/api/v1/returns", tags=["returns"])

# A return's period as listed: its first and last day (shared.contracts.returns.period_label).
PERIOD_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}_[0-9]{4}-[0-9]{2}-[0-9]{2}$"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("", dependencies=[Depends(RETURN_READERS)], response_model=list[ReturnSummary])
async def list_returns(identity: CurrentIdentity, returns: ReturnsDep,
                       school_urn: Urn | None = None, kind: ReturnKind | None = None,
                       period: Annotated[str | None, Query(pattern=PERIOD_PATTERN)] = None) -> list[ReturnSummary]:
    """Returns in the caller's scope, newest period first."""
    return await la_returns.list_returns(returns, identity, school_urn=school_urn, kind=kind, period=period)


def _file_name(la_return: LaReturn, extension: str) -> str:
    # Identifiers only: no pupil data in file names.
    return f"{la_return.kind}-return-{la_return.school_urn}-{la_return.period}.{extension}"


@router.get("/{return_id}.csv", dependencies=[Depends(RETURN_READERS)], response_class=Response)
async def download_csv(return_id: uuid.UUID, identity: CurrentIdentity, returns: ReturnsDep) -> Response:
    la_return = await la_returns.get_return(returns, identity, return_id)
    columns = kind_columns(ReturnKind(la_return.kind))
    return Response(to_csv(la_return.content, columns), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{_file_name(la_return, "csv")}"'})


@router.get("/{return_id}.xlsx", dependencies=[Depends(RETURN_READERS)], response_class=Response)
async def download_xlsx(return_id: uuid.UUID, identity: CurrentIdentity, returns: ReturnsDep) -> Response:
    la_return = await la_returns.get_return(returns, identity, return_id)
    about = {"LA": la_return.la_code, "School URN": la_return.school_urn, "Period": la_return.period,
             "Due": la_return.due_date.isoformat(),
             "Status": la_returns.effective_status(la_return, returns.today).value}
    body = to_xlsx(la_return.content, kind=ReturnKind(la_return.kind), about=about)
    return Response(body, media_type=XLSX, headers={
        "Content-Disposition": f'attachment; filename="{_file_name(la_return, "xlsx")}"'})


@router.get("/{return_id}", dependencies=[Depends(RETURN_READERS)], response_model=ReturnDetail)
async def get_return(return_id: uuid.UUID, identity: CurrentIdentity, returns: ReturnsDep) -> ReturnDetail:
    return la_returns.detail(await la_returns.get_return(returns, identity, return_id), returns.today)


@router.post("/{return_id}/submit", dependencies=[Depends(RETURN_SUBMITTERS)], response_model=ReturnSummary)
async def submit(return_id: uuid.UUID, identity: CurrentIdentity, returns: ReturnsDep) -> ReturnSummary:
    """The school submits the return to its LA; its content is kept as submitted."""
    return await la_returns.submit(returns, identity, return_id)
