"""A pupil, with or without a case: the pupil page and the child's penalty notices (notice ledger)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Depends

from services.casework import service
from services.casework.dependencies import (
    CASE_READERS,
    PRIOR_NOTICE_RECORDERS,
    CaseInScope,
    CaseworkDep,
    CaseworkIdentity,
)
from services.casework.schemas import LedgerEntryView, PriorNoticeIn, PupilView
from services.casework.service import ledger

router = APIRouter(prefix="/api/v1", tags=["cases"])


@router.get("/pupils/{pupil_id}", dependencies=[Depends(CASE_READERS)],
            summary="A pupil's summary, figures, recent marks and case (if any)")
async def pupil(pupil_id: UUID, identity: CaseworkIdentity, cw: CaseworkDep) -> PupilView:
    return await service.pupil_view(cw, identity, pupil_id)


@router.get("/pupils/{pupil_id}/penalty-notices", dependencies=[Depends(CASE_READERS)],
            summary="The child's penalty notices (notice ledger)")
async def penalty_notices(pupil_id: UUID, identity: CaseworkIdentity, cw: CaseworkDep) -> list[LedgerEntryView]:
    return await ledger.list_notices(cw, identity, pupil_id)


@router.post("/pupils/{pupil_id}/prior-penalty-notices", dependencies=[Depends(PRIOR_NOTICE_RECORDERS)],
             status_code=201,
             summary="Record a penalty notice another LA issued to one of the child's parents")
async def record_prior_notice(pupil_id: CaseInScope, body: PriorNoticeIn, identity: CaseworkIdentity,
                              cw: CaseworkDep) -> LedgerEntryView:
    return await ledger.record_other_la_notice(cw, identity, pupil_id, body)
