"""Register's internal API (/internal): pupil facts for other services; service tokens only."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from services.register import repository
from services.register.api.pupils import default_range
from services.register.dependencies import Settings, Today, Uow
from services.register.models import ContactKind
from services.register.service import (
    admissions,
    events,
    extract,
    family,
    marks,
    n_marks,
    school_days,
    school_duties,
    school_figures,
)
from services.register.service.figures import pupil_figures
from shared.auth import Identity, service_caller
from shared.contracts.identifiers import Urn
from shared.contracts.register import (
    Contact,
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
async def schools(caller: CaseworkOrReturnsCaller, uow: Uow) -> list[SchoolSummary]:
    return [SchoolSummary(urn=s.urn, name=s.name, phase=s.phase, la_code=s.la_code, independent=s.independent,
                          la_contact=school_duties.la_contact_view(s))
            for s in await repository.schools.list_schools(uow.session)]


@router.get("/schools/{urn}/duties", response_model=SchoolDuties,
            summary="The school's attendance policy, senior attendance champion and LA named point of contact")
async def duties_of_school(urn: Urn, caller: CaseworkOrReturnsCaller, uow: Uow, today: Today,
                           settings: Settings) -> SchoolDuties:
    school = await admissions.school_or_404(uow.session, urn)
    return school_duties.duties_view(school, settings.attendance_policy_items, today)


@router.get("/schools/{urn}/terms", response_model=list[SchoolTermDates],
            summary="Every term of the school's own calendars, oldest first (the governor reports follow them)")
async def terms_of_school(urn: Urn, caller: ReturnsCaller, uow: Uow) -> list[SchoolTermDates]:
    school = await admissions.school_or_404(uow.session, urn)
    return [SchoolTermDates(academic_year=t.academic_year, name=t.name, start_date=t.start_date, end_date=t.end_date)
            for t in await repository.schools.school_terms(uow.session, school.urn)]


@router.get("/schools/{urn}/extract", response_model=RegisterExtract,
            summary="The school's registers over a range, as the statutory returns are built from them")
async def register_extract(urn: Urn, caller: ReturnsCaller, uow: Uow,
                           from_date: date = Query(alias="from"),
                           to_date: date = Query(alias="to")) -> RegisterExtract:
    school = await admissions.school_or_404(uow.session, urn)
    return await extract.register_extract(uow.session, school, from_date, to_date)


@router.get("/schools/{urn}/school-days", response_model=SchoolDays,
            summary="The days the school meets over a range (at most about 3 years), from its calendars")
async def days_of_school(urn: Urn, caller: SchoolDaysCaller, uow: Uow,
                         from_date: date = Query(alias="from"),
                         to_date: date = Query(alias="to")) -> SchoolDays:
    school = await admissions.school_or_404(uow.session, urn)
    return await school_days.school_days(uow.session, school, from_date, to_date)


@router.get("/schools/{urn}/n-marks", response_model=list[NMarkRecord],
            summary="Every session in the range that carried N, and whether it was replaced within the limit")
async def n_marks_of_school(urn: Urn, caller: ReturnsCaller, uow: Uow, today: Today, settings: Settings,
                            from_date: date = Query(alias="from"),
                            to_date: date = Query(alias="to")) -> list[NMarkRecord]:
    school = await admissions.school_or_404(uow.session, urn)
    return await n_marks.n_marks(uow.session, school, from_date, to_date, today, settings.unresolved_n_school_days)


@router.get("/schools/{urn}/figures", response_model=SchoolFigures,
            summary="A school's figures for an academic year (as GET /api/v1/schools/{urn}/figures)")
async def figures_of_school(urn: Urn, caller: CaseworkOrReturnsCaller, uow: Uow, today: Today, settings: Settings,
                            academic_year: int | None = Query(None, ge=2000, le=2100)) -> SchoolFigures:
    school = await admissions.school_or_404(uow.session, urn)
    period = school_figures.figures_period(academic_year, None, None, today)
    return await school_figures.school_figures(uow.session, caller, school, period, settings)


@router.get("/pupils/allocated", response_model=list[uuid.UUID],
            summary="Pupils on roll whose social worker has this email")
async def allocated(caller: CaseworkCaller, uow: Uow,
                    worker_email: str = Query(min_length=3, max_length=320)) -> list[uuid.UUID]:
    return await repository.pupils.pupils_allocated_to(uow.session, worker_email)


@router.get("/pupils/{pupil_id}/summary", response_model=PupilSummary)
async def summary(pupil_id: uuid.UUID, caller: CaseworkCaller, uow: Uow, today: Today) -> PupilSummary:
    pupil, school = await admissions.pupil_and_school(uow.session, pupil_id)
    professionals = await repository.pupils.professionals_of(uow.session, [pupil.id])
    return events.pupil_summary(pupil, school, professionals.get(pupil.id, set()), today)


@router.get("/pupils/{pupil_id}/family", response_model=list[PupilSummary],
            summary="Siblings and other children of the same parents in the LA's schools (the pupil excluded)")
async def pupil_family(pupil_id: uuid.UUID, caller: CaseworkCaller, uow: Uow, today: Today) -> list[PupilSummary]:
    pupil, school = await admissions.pupil_and_school(uow.session, pupil_id)
    return await family.family(uow.session, pupil, school, today)


@router.get("/pupils/{pupil_id}/contacts", response_model=PupilContacts)
async def contacts(pupil_id: uuid.UUID, caller: NotificationsCaller, uow: Uow, today: Today) -> PupilContacts:
    pupil, school = await admissions.pupil_and_school(uow.session, pupil_id)
    rows = await repository.pupils.contacts_of(uow.session, pupil.id)

    def contact(row: object) -> Contact:
        return Contact.model_validate(row, from_attributes=True)

    parents = [contact(c) for c in rows if c.kind == ContactKind.PARENT and c.parental_responsibility]
    social = next((contact(c) for c in rows if c.kind == ContactKind.SOCIAL_WORKER), None)
    youth = next((contact(c) for c in rows if c.kind == ContactKind.YOUTH_JUSTICE_WORKER), None)
    vsh = None
    if pupil.looked_after:
        la = await repository.schools.get_local_authority(uow.session, school.la_code)
        if la is not None and la.virtual_school_head_name:
            vsh = Contact(name=la.virtual_school_head_name, relationship="Virtual school head",
                          email=la.virtual_school_head_email, phone=la.virtual_school_head_phone)
    lead = None
    if school.attendance_lead_name:
        lead = Contact(name=school.attendance_lead_name, relationship="Attendance lead",
                       email=school.attendance_lead_email, phone=school.attendance_lead_phone)
    professionals = {c.kind for c in rows if c.kind in (ContactKind.SOCIAL_WORKER, ContactKind.YOUTH_JUSTICE_WORKER)}
    return PupilContacts(
        pupil_id=pupil.id, display_name=pupil.display_name, legal_name=pupil.legal_name, school_urn=school.urn,
        school_name=school.name, la_code=school.la_code, year_group=pupil.year_group,
        flags=events.pupil_flags(pupil, professionals, today, independent_school=school.independent),
        parents=parents, social_worker=social, youth_justice_worker=youth, virtual_school_head=vsh,
        attendance_lead=lead)


@router.get("/pupils/{pupil_id}/figures", response_model=PupilFigures)
async def figures(pupil_id: uuid.UUID, caller: CaseworkCaller, uow: Uow, today: Today, settings: Settings,
                  from_date: date | None = Query(None, alias="from"),
                  to_date: date | None = Query(None, alias="to")) -> PupilFigures:
    pupil, _ = await admissions.pupil_and_school(uow.session, pupil_id)
    start, end = default_range(from_date, to_date, today, pupil.admission_date)
    return await pupil_figures(uow.session, pupil, start, end, settings)


@router.get("/pupils/{pupil_id}/marks", response_model=list[MarkView])
async def pupil_marks(pupil_id: uuid.UUID, caller: CaseworkCaller, uow: Uow, today: Today,
                      from_date: date | None = Query(None, alias="from"),
                      to_date: date | None = Query(None, alias="to")) -> list[MarkView]:
    pupil, _ = await admissions.pupil_and_school(uow.session, pupil_id)
    start, end = default_range(from_date, to_date, today, pupil.admission_date)
    return await marks.marks_of(uow.session, pupil, start, end)

