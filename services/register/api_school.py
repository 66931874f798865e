"""Register's public API for a school's calendar and register times, follow-up lists and deletions."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Depends, Path, Query, Request, status

from services.register import repository
from services.register.api import PROBLEMS
from services.register.dependencies import (
    LA_FIGURES,
    REGISTER_KEEPERS,
    SCHOOL_LIST,
    KeptPupil,
    KeptSchool,
    Settings,
    Today,
    Uow,
)
from services.register.models import School
from services.register.schemas import (
    CalendarIn,
    CalendarView,
    DeletionRequest,
    DeletionView,
    ImportReport,
    LaFigures,
    RegisterTimes,
    SchoolFigures,
    SchoolView,
    UnresolvedN,
)
from services.register.service import admissions, deletions, imports, school_admin, school_figures
from shared.auth import CurrentIdentity
from shared.callers import SCHOOL_FIGURES, SCHOOL_STAFF_OR_LA
from shared.contracts.identifiers import LaCode, Urn
from shared.errors import InvalidInput, OutOfScope

router = APIRouter(prefix="/api/v1", tags=["register"])


@router.put("/schools/{urn}/calendar/{academic_year}", response_model=CalendarView, responses=PROBLEMS,
            summary="Set a school's terms and planned closures (#) for an academic year")
async def put_calendar(school: KeptSchool, body: CalendarIn, identity: CurrentIdentity, uow: Uow,
                       academic_year: int = Path(ge=2000, le=2100)) -> CalendarView:
    view = await school_admin.set_calendar(uow.session, identity, school, academic_year, body)
    await uow.commit()
    return view


@router.get("/schools/{urn}/calendar/{academic_year}", dependencies=[Depends(SCHOOL_STAFF_OR_LA)],
            response_model=CalendarView, responses=PROBLEMS,
            summary="A school's terms and planned closures for an academic year")
async def get_calendar(urn: Urn, identity: CurrentIdentity, uow: Uow,
                       academic_year: int = Path(ge=2000, le=2100)) -> CalendarView:
    school = await admissions.school_or_404(uow.session, urn)
    return await school_admin.get_calendar(uow.session, identity, school, academic_year)


@router.put("/schools/{urn}/register-times", response_model=RegisterTimes, responses=PROBLEMS,
            summary="When the AM and PM registers open and close (open no more than 30 minutes)")
async def put_register_times(school: KeptSchool, body: RegisterTimes, identity: CurrentIdentity,
                             uow: Uow) -> RegisterTimes:
    result = school_admin.set_register_times(identity, school, body)
    await uow.commit()
    return result


@router.get("/schools/{urn}/unresolved-n", dependencies=[Depends(SCHOOL_STAFF_OR_LA)],
            response_model=list[UnresolvedN], responses=PROBLEMS,
            summary="N marks still unresolved after 5 school days, for follow-up")
async def unresolved_n(urn: Urn, identity: CurrentIdentity, uow: Uow, today: Today,
                       settings: Settings) -> list[UnresolvedN]:
    school = await admissions.school_or_404(uow.session, urn)
    return await school_admin.unresolved_n(uow.session, identity, school, today, settings.unresolved_n_school_days)


@router.post("/pupils/{pupil_id}/deletions", response_model=DeletionView, status_code=status.HTTP_201_CREATED,
             responses={**PROBLEMS, 409: {"description": "Not on roll, or a deletion is already pending"}},
             summary="Delete a pupil from the admission register on a regulation 9 ground")
async def request_deletion(kept: KeptPupil, body: DeletionRequest, identity: CurrentIdentity, uow: Uow,
                           today: Today) -> DeletionView:
    pupil, school = kept
    view = await deletions.request_deletion(uow.session, identity, pupil, school, body, today)
    await uow.commit()
    return view


@router.post("/pupils/{pupil_id}/deletions/{deletion_id}/complete", dependencies=[Depends(REGISTER_KEEPERS)],
             response_model=DeletionView,
             responses=PROBLEMS, summary="Complete a pending deletion once its date has come")
async def complete_deletion(pupil_id: uuid.UUID, deletion_id: uuid.UUID, identity: CurrentIdentity, uow: Uow,
                            today: Today) -> DeletionView:
    pupil, school = await admissions.readable_pupil(uow.session, identity, pupil_id)
    view = await deletions.complete_deletion(uow.session, identity, pupil, school, deletion_id, today)
    await uow.commit()
    return view


CSV_BODY = {"requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}}


async def _csv_text(request: Request) -> str:
    raw = await request.body()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput("Send the file as UTF-8 text.", field="file") from exc


@router.post("/schools/{urn}/imports/pupils", response_model=ImportReport, openapi_extra=CSV_BODY,
             responses=PROBLEMS, summary="Import pupils from a MIS CSV export (all rows or none)")
async def import_pupils(school: KeptSchool, request: Request, identity: CurrentIdentity, uow: Uow,
                        today: Today, settings: Settings) -> ImportReport:
    count = await imports.import_pupils(uow.session, identity, school, await _csv_text(request), today, settings)
    await uow.commit()
    return ImportReport(imported=count, unchanged=0)


@router.post("/schools/{urn}/imports/marks", response_model=ImportReport, openapi_extra=CSV_BODY,
             responses=PROBLEMS, summary="Import marks from a MIS CSV export (all rows or none)")
async def import_marks(school: KeptSchool, request: Request, identity: CurrentIdentity, uow: Uow, today: Today,
                       settings: Settings) -> ImportReport:
    created, unchanged = await imports.import_marks(uow.session, identity, school, await _csv_text(request), today,
                                                    settings)
    await uow.commit()
    return ImportReport(imported=created, unchanged=unchanged)


@router.get("/schools/{urn}/figures", dependencies=[Depends(SCHOOL_FIGURES)],
            response_model=SchoolFigures, responses=PROBLEMS,
            summary="A school's figures for an academic year or any date range (from and to), breakdowns, "
                    "and PA and at-risk pupils")
async def get_school_figures(urn: Urn, identity: CurrentIdentity, uow: Uow, today: Today, settings: Settings,
                             academic_year: int | None = Query(None, ge=2000, le=2100),
                             from_date: date | None = Query(None, alias="from"),
                             to_date: date | None = Query(None, alias="to")) -> SchoolFigures:
    school = await admissions.school_or_404(uow.session, urn)
    period = school_figures.figures_period(academic_year, from_date, to_date, today)
    return await school_figures.school_figures(uow.session, identity, school, period, settings)


@router.get("/las/{la_code}/figures", dependencies=[Depends(LA_FIGURES)], response_model=LaFigures, responses=PROBLEMS,
            summary="An LA's figures for an academic year by school and characteristic, with PA and at-risk pupils")
async def get_la_figures(la_code: LaCode, identity: CurrentIdentity, uow: Uow, today: Today, settings: Settings,
                         academic_year: int | None = Query(None, ge=2000, le=2100),
                         from_date: date | None = Query(None, alias="from"),
                         to_date: date | None = Query(None, alias="to")) -> LaFigures:
    period = school_figures.figures_period(academic_year, from_date, to_date, today)
    return await school_figures.la_figures(uow.session, identity, la_code, period, settings)


def _school_view(school: School) -> SchoolView:
    return SchoolView.model_validate(school, from_attributes=True)


@router.get("/schools", dependencies=[Depends(SCHOOL_LIST)],
            response_model=list[SchoolView], summary="The schools whose figures the caller may see")
async def list_schools(identity: CurrentIdentity, uow: Uow) -> list[SchoolView]:
    return [_school_view(s) for s in await repository.list_schools(uow.session)
            if identity.can_see_school_figures(school_urn=s.urn, la_code=s.la_code)]


@router.get("/schools/{urn}", dependencies=[Depends(SCHOOL_FIGURES)], response_model=SchoolView, responses=PROBLEMS,
            summary="A school with its register opening and closing times")
async def get_school(urn: Urn, identity: CurrentIdentity, uow: Uow) -> SchoolView:
    school = await admissions.school_or_404(uow.session, urn)
    if not identity.can_see_school_figures(school_urn=school.urn, la_code=school.la_code):
        raise OutOfScope("You do not have access to this school.")
    return _school_view(school)
