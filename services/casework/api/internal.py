"""Service-to-service routes: register's events, the journey's case record and returns' LA figures."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends

from services.casework import service
from services.casework.dependencies import CaseworkDep, Today
from services.casework.service import case_view
from services.casework.service.stages import cases_by_stage
from shared.auth import Identity, service_caller
from shared.contracts.casework import CaseProjection, CasesByStage, EventReceipt
from shared.contracts.identifiers import LaCode
from shared.contracts.register import RegisterChange, RegisterChangeReceipt, RegisterEvent

router = APIRouter(prefix="/internal", tags=["internal"])

# Which service each internal endpoint answers (their tokens name them); a person's token is refused there.
RegisterCaller = Annotated[Identity, Depends(service_caller("register"))]
JourneyWorkerCaller = Annotated[Identity, Depends(service_caller("journey-worker"))]
ReturnsCaller = Annotated[Identity, Depends(service_caller("returns"))]


@router.post("/events", summary="A register event (from register's outbox relay)")
async def receive_event(event: RegisterEvent, _: RegisterCaller, cw: CaseworkDep) -> EventReceipt:
    return await service.receive_event(cw, event)


@router.post("/register-changes", summary="Marks or school details changed (from register's outbox relay): the "
             "case views they touch are rebuilt")
async def receive_register_change(change: RegisterChange, _: RegisterCaller,
                                  cw: CaseworkDep) -> RegisterChangeReceipt:
    return await case_view.receive_register_change(cw, change)


@router.post("/cases/{pupil_id}/projection", summary="The journey's case record (single writer)")
async def record_projection(pupil_id: UUID, projection: CaseProjection, _: JourneyWorkerCaller,
                            cw: CaseworkDep) -> CaseProjection:
    return await service.record_projection(cw, pupil_id, projection)


@router.get("/las/{la_code}/cases-by-stage", summary="An LA's open case files counted by stage (returns)")
async def las_cases_by_stage(la_code: LaCode, _: ReturnsCaller,
                             cw: CaseworkDep, today: Today) -> CasesByStage:
    return await cases_by_stage(cw, la_code, today)
