"""Register's public API for schools: the schools a caller may see, each school's calendar and register times,
and the N marks overdue for follow-up."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Path

from services.register.api.problems import PROBLEMS
from services.register.dependencies import SCHOOL_LIST, KeptSchool, RegisterDep, Today
from services.register.schemas import CalendarIn, CalendarView, RegisterTimes, SchoolView, UnresolvedN
from services.register.service import admissions, school_admin
from shared.auth import CurrentIdentity
from shared.callers import SCHOOL_FIGURES, SCHOOL_STAFF_OR_LA
from shared.contracts.identifiers import Urn

router = APIRouter(prefix="/api/v1", tags=["register"])


@router.put("/schools/{urn}/calendar/{academic_year}", response_model=CalendarView, responses=PROBLEMS,
            summary="Set a school's terms and planned closures (#) for an academic year")
async def put_calendar(school: KeptSchool, body: CalendarIn, identity: CurrentIdentity, reg: RegisterDep,
                       academic_year: int = Path(ge=2000, le=2100)) -> CalendarView:
    return await school_admin.set_calendar(reg, identity, school, academic_year, body)


@router.get("/schools/{urn}/calendar/{academic_year}", dependencies=[Depends(SCHOOL_STAFF_OR_LA)],
            response_model=CalendarView, responses=PROBLEMS,
            summary="A school's terms and planned closures for an academic year")
async def get_calendar(urn: Urn, identity: CurrentIdentity, reg: RegisterDep,
                       academic_year: int = Path(ge=2000, le=2100)) -> CalendarView:
    school = await admissions.school_or_404(reg, urn)
    return await school_admin.get_calendar(reg, identity, school, academic_year)


@router.put("/schools/{urn}/register-times", response_model=RegisterTimes, responses=PROBLEMS,
            summary="When the AM and PM registers open and close (open no more than 30 minutes)")
async def put_register_times(school: KeptSchool, body: RegisterTimes, identity: CurrentIdentity,
                             reg: RegisterDep) -> RegisterTimes:
    return await school_admin.set_register_times(reg, identity, school, body)


@router.get("/schools/{urn}/unresolved-n", dependencies=[Depends(SCHOOL_STAFF_OR_LA)],
            response_model=list[UnresolvedN], responses=PROBLEMS,
            summary="N marks still unresolved after 5 school days, for follow-up")
async def unresolved_n(urn: Urn, identity: CurrentIdentity, reg: RegisterDep, today: Today) -> list[UnresolvedN]:
    school = await admissions.school_or_404(reg, urn)
    return await school_admin.unresolved_n(reg, identity, school, today)


@router.get("/schools", dependencies=[Depends(SCHOOL_LIST)],
            response_model=list[SchoolView], summary="The schools whose figures the caller may see")
async def list_schools(identity: CurrentIdentity, reg: RegisterDep) -> list[SchoolView]:
    return await school_admin.visible_schools(reg, identity)


@router.get("/schools/{urn}", dependencies=[Depends(SCHOOL_FIGURES)], response_model=SchoolView, responses=PROBLEMS,
            summary="A school with its register opening and closing times")
async def get_school(urn: Urn, identity: CurrentIdentity, reg: RegisterDep) -> SchoolView:
    return await school_admin.readable_school(reg, identity, urn)
