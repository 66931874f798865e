"""Service-to-service routes: what the LA's schedules (the returns worker's activities) ask returns to do."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from services.returns.dependencies import ReturnsDep
from services.returns.service import dfe_share, governor_reports, la_returns
from shared.auth import Identity, service_caller
from shared.contracts.returns import (
    DfeShareDropRequest,
    DfeShareDropResult,
    GenerateReturnsIn,
    GenerateReturnsResult,
    GovernorReportsRequest,
    GovernorReportsResult,
)

router = APIRouter(prefix="/internal", tags=["internal"])
# Only the LA's schedules (worker activities, as the returns worker) generate returns, drop the DfE share's file
# and store governor reports.
WorkerCaller = Annotated[Identity, Depends(service_caller("returns-worker"))]


@router.post("/returns/generate", response_model=GenerateReturnsResult)
async def generate(body: GenerateReturnsIn, _caller: WorkerCaller, returns: ReturnsDep) -> GenerateReturnsResult:
    """Generate (or regenerate) every return of every school of an LA for a period."""
    return await la_returns.generate(returns, body)


@router.post("/dfe/daily-share/drop", response_model=DfeShareDropResult)
async def drop(body: DfeShareDropRequest, caller: WorkerCaller, returns: ReturnsDep) -> DfeShareDropResult:
    """The scheduled file drop: the same share written to `RETURNS_DFE_SHARE_DROP_DIR` and recorded."""
    return await dfe_share.drop(returns, caller, body)


@router.post("/governor-reports/produce", response_model=GovernorReportsResult)
async def produce(body: GovernorReportsRequest, caller: WorkerCaller, returns: ReturnsDep) -> GovernorReportsResult:
    """Store the governor report of every term of the LA's schools that ended by `as_of` and has none yet."""
    return await governor_reports.produce(returns, caller, body)
