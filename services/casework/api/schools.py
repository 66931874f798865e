"""A school: its summary page and its Targeting Support Meeting pack."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from services.casework import service
from services.casework.dependencies import CASE_READERS, CaseworkDep, CaseworkIdentity
from services.casework.schemas import SchoolSummaryView
from shared.callers import SCHOOL_FIGURES
from shared.contracts.identifiers import Urn

router = APIRouter(prefix="/api/v1", tags=["cases"])


@router.get("/schools/{urn}/summary", dependencies=[Depends(SCHOOL_FIGURES)],
            summary="A school's figures, cohorts and open cases (figures only for governors)")
async def school_summary(urn: Urn, identity: CaseworkIdentity, cw: CaseworkDep,
                         academic_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                         ) -> SchoolSummaryView:
    return await service.school_summary(cw, identity, urn, academic_year)


@router.get("/schools/{urn}/tsm-pack", dependencies=[Depends(CASE_READERS)],
            summary="Targeting Support Meeting pack for one school")
async def tsm_pack(urn: Urn, identity: CaseworkIdentity,
                   cw: CaseworkDep) -> service.TsmPack:
    return await service.tsm_pack(cw, identity, urn)
