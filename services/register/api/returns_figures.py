"""Register's internal API for the LA's returns and dashboard: the marks summed in the database, so that returns
never reads every mark of an LA (service tokens only)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from services.register.dependencies import RegisterDep
from services.register.service import returns_figures
from shared.auth import Identity, service_caller
from shared.contracts.identifiers import LaCode
from shared.contracts.returns import LaAttendanceFigures, ReturnsExtract, ReturnsExtractRequest

router = APIRouter(prefix="/internal", tags=["internal"])

ReturnsCaller = Annotated[Identity, Depends(service_caller("returns"))]


@router.get("/las/{la_code}/attendance-figures", response_model=LaAttendanceFigures,
            summary="Sessions of the LA's pupils over a range, summed by cohort cell and by day")
async def attendance_figures(la_code: LaCode, caller: ReturnsCaller, reg: RegisterDep,
                             from_date: date = Query(alias="from"), to_date: date = Query(alias="to"),
                             census: date = Query()) -> LaAttendanceFigures:
    return await returns_figures.la_attendance_figures(reg, la_code, from_date, to_date, census)


@router.post("/las/{la_code}/returns-extract", response_model=list[ReturnsExtract],
             summary="Each school's extract for a return period, holding only the pupils a return may name")
async def returns_extract(la_code: LaCode, body: ReturnsExtractRequest, caller: ReturnsCaller,
                          reg: RegisterDep) -> list[ReturnsExtract]:
    return await returns_figures.returns_extracts(reg, la_code, body)
