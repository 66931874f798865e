"""Register's internal API (/internal): pupil facts for other services; service tokens only."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from services.register.dependencies import RegisterDep, Settings, Today
from services.register.service import (
    admissions,
    extract,
    family,
    marks,
    n_marks,
    school_admin,
    school_days,
    school_duties,
    school_figures,
)
from services.register.service import contacts as pupil_contacts
from services.register.service.figures import pupil_figures
from shared.auth import Identity, service_caller
from shared.contracts.identifiers import Urn
from shared.contracts.register import (
    MarkView,
    NMarkRecord,
    PupilContacts,
    PupilFigures,
    PupilSummary,
    SchoolDays,
    SchoolDuties,
    SchoolFigures,
    SchoolSummary,
    SchoolTermDates,
)
from shared.contracts.returns import RegisterExtract

router = APIRouter(prefix="/internal", tags=["internal"])

# Which services each endpoint answers (their tokens name them); a person's token is refused everywhere here.
CaseworkCaller = Annotated[Identity, Depends(service_caller("casework"))]
ReturnsCaller = Annotated[Identity, Depends(service_caller("returns"))]
CaseworkOrReturnsCaller = Annotated[Identity, Depends(service_caller("casework", "returns"))]
NotificationsCaller = Annotated[Identity, Depends(service_caller("notifications"))]
JourneyWorkerCaller = Annotated[Identity, Depends(service_caller("journey-worker"))]
# The journey counts its deadlines on a school's days; casework works out the fast track entry figures on them.
SchoolDaysCaller = Annotated[Identity, Depends(service_caller("journey-worker", "casework"))]


@router.get("/schools", response_model=list[SchoolSummary], summary="Every school with its LA")
async def schools(caller: CaseworkOrReturnsCaller, reg: RegisterDep) -> list[SchoolSummary]:
    return await school_duties.school_summaries(reg)


@router.get("/schools/{urn}/duties", response_model=SchoolDuties,
            summary="The school's attendance policy, senior attendance champion and LA named point of contact")
async def duties_of_school(urn: Urn, caller: CaseworkOrReturnsCaller, reg: RegisterDep, today: Today,
                           settings: Settings) -> SchoolDuties:
    school = await admissions.school_or_404(reg, urn)
    return school_duties.duties_view(school, settings.attendance_policy_items, today)


@router.get("/schools/{urn}/terms", response_model=list[SchoolTermDates],
            summary="Every term of the school's own calendars, oldest first (the governor reports follow them)")
async def terms_of_school(urn: Urn, caller: ReturnsCaller, reg: RegisterDep) -> list[SchoolTermDates]:
    return await school_admin.terms_of_school(reg, urn)


@router.get("/schools/{urn}/extract", response_model=RegisterExtract,
            summary="The school's registers over a range, as the statutory returns are built from them")
async def register_extract(urn: Urn, caller: ReturnsCaller, reg: RegisterDep,
                           from_date: date = Query(alias="from"),
                           to_date: date = Query(alias="to")) -> RegisterExtract:
    school = await admissions.school_or_404(reg, urn)
    return await extract.register_extract(reg, school, from_date, to_date)


@router.get("/schools/{urn}/school-days", response_model=SchoolDays,
            summary="The days the school meets over a range (at most about 3 years), from its calendars")
async def days_of_school(urn: Urn, caller: SchoolDaysCaller, reg: RegisterDep,
                         from_date: date = Query(alias="from"),
                         to_date: date = Query(alias="to")) -> SchoolDays:
    school = await admissions.school_or_404(reg, urn)
    return await school_days.days_of_school(reg, school, from_date, to_date)


@router.get("/schools/{urn}/n-marks", response_model=list[NMarkRecord],
            summary="Every session in the range that carried N, and whether it was replaced within the limit")
async def n_marks_of_school(urn: Urn, caller: ReturnsCaller, reg: RegisterDep, today: Today, settings: Settings,
                            from_date: date = Query(alias="from"),
                            to_date: date = Query(alias="to")) -> list[NMarkRecord]:
    school = await admissions.school_or_404(reg, urn)
    return await n_marks.n_marks(reg, school, from_date, to_date, today, settings.unresolved_n_school_days)


@router.get("/schools/{urn}/figures", response_model=SchoolFigures,
            summary="A school's figures for an academic year (as GET /api/v1/schools/{urn}/figures)")
async def figures_of_school(urn: Urn, caller: CaseworkOrReturnsCaller, reg: RegisterDep, today: Today,
                            academic_year: int | None = Query(None, ge=2000, le=2100)) -> SchoolFigures:
    school = await admissions.school_or_404(reg, urn)
    period = school_figures.figures_period(academic_year, None, None, today)
    return await school_figures.school_figures(reg, caller, school, period)


@router.get("/pupils/allocated", response_model=list[uuid.UUID],
            summary="Pupils on roll whose social worker has this email")
async def allocated(caller: CaseworkCaller, reg: RegisterDep,
                    worker_email: str = Query(min_length=3, max_length=320)) -> list[uuid.UUID]:
    return await family.allocated_to(reg, worker_email)


@router.get("/pupils/{pupil_id}/summary", response_model=PupilSummary)
async def summary(pupil_id: uuid.UUID, caller: CaseworkCaller, reg: RegisterDep, today: Today) -> PupilSummary:
    return await admissions.pupil_summary_of(reg, pupil_id, today)


@router.get("/pupils/{pupil_id}/family", response_model=list[PupilSummary],
            summary="Siblings and other children of the same parents in the LA's schools (the pupil excluded)")
async def pupil_family(pupil_id: uuid.UUID, caller: CaseworkCaller, reg: RegisterDep,
                       today: Today) -> list[PupilSummary]:
    pupil, school = await admissions.pupil_and_school(reg, pupil_id)
    return await family.family(reg, pupil, school, today)


@router.get("/pupils/{pupil_id}/contacts", response_model=PupilContacts)
async def contacts(pupil_id: uuid.UUID, caller: NotificationsCaller, reg: RegisterDep,
                   today: Today) -> PupilContacts:
    return await pupil_contacts.pupil_contacts(reg, pupil_id, today)


@router.get("/pupils/{pupil_id}/figures", response_model=PupilFigures)
async def figures(pupil_id: uuid.UUID, caller: CaseworkCaller, reg: RegisterDep, today: Today,
                  from_date: date | None = Query(None, alias="from"),
                  to_date: date | None = Query(None, alias="to")) -> PupilFigures:
    pupil, _ = await admissions.pupil_and_school(reg, pupil_id)
    return await pupil_figures(reg, pupil, from_date, to_date, today)


@router.get("/pupils/{pupil_id}/marks", response_model=list[MarkView])
async def pupil_marks(pupil_id: uuid.UUID, caller: CaseworkCaller, reg: RegisterDep, today: Today,
                      from_date: date | None = Query(None, alias="from"),
                      to_date: date | None = Query(None, alias="to")) -> list[MarkView]:
    pupil, _ = await admissions.pupil_and_school(reg, pupil_id)
    return await marks.marks_of(reg, pupil, from_date, to_date, today)
