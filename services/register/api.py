"""Register's public JSON API (/api/v1): thin routers over the service layer; every route needs an identity."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Query, status

from services.register import repository
from services.register.dependencies import KeptPupil, KeptSchool, Settings, Today, Uow
from services.register.domain.school_age import academic_year_of
from services.register.schemas import (
    AdmissionRequest,
    AmendmentRequest,
    BulkMarksRequest,
    BulkMarksResult,
    MarkHistory,
    PupilListItem,
    PupilPage,
    PupilPatterns,
    PupilView,
)
from services.register.service import access, admissions, ctf, marks
from services.register.service.figures import pupil_figures
from services.register.service.patterns import pupil_patterns
from shared.auth import CurrentIdentity
from shared.callers import PUPIL_RECORD, SCHOOL_STAFF_OR_LA
from shared.contracts.identifiers import Urn
from shared.contracts.register import MarkView, PupilFigures, SessionName

router = APIRouter(prefix="/api/v1", tags=["register"])

PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not signed in"}, 403: {"description": "Outside your scope"},
    404: {"description": "Not found"}, 422: {"description": "Invalid input; errors name each field"}}


def default_range(from_date: date | None, to_date: date | None, today: date,
                  admission_date: date) -> tuple[date, date]:
    """Academic year to date from the pupil's admission, unless the caller chose a range."""
    end = to_date or today
    start = from_date or max(date(academic_year_of(end), 9, 1), admission_date)
    return start, end


@router.post("/schools/{urn}/pupils", status_code=status.HTTP_201_CREATED, response_model=PupilView,
             responses={**PROBLEMS, 409: {"description": "UPN already on roll"}},
             summary="Admit a pupil to the admission register")
async def admit_pupil(school: KeptSchool, body: AdmissionRequest, identity: CurrentIdentity, uow: Uow,
                      today: Today) -> PupilView:
    pupil = await admissions.admit(uow.session, identity, school, body, today)
    contacts = list(await repository.contacts_of(uow.session, pupil.id))
    await uow.commit()
    return admissions.pupil_view(pupil, contacts)


@router.get("/schools/{urn}/pupils", dependencies=[Depends(SCHOOL_STAFF_OR_LA)],
            response_model=PupilPage, responses=PROBLEMS,
            summary="Pupils on a school's roll, a page at a time")
async def list_school_pupils(urn: Urn, identity: CurrentIdentity, uow: Uow, page: int = Query(1, ge=1),
                             page_size: int = Query(50, ge=1, le=500)) -> PupilPage:
    school = await admissions.school_or_404(uow.session, urn)
    access.require_school_reader(identity, school)
    rows, total = await repository.list_pupils(uow.session, urn, offset=(page - 1) * page_size, limit=page_size)
    items = [PupilListItem(id=p.id, display_name=p.display_name, year_group=p.year_group, upn=p.upn,
                           on_roll=p.on_roll) for p in rows]
    return PupilPage(items=items, page=page, page_size=page_size, total=total)


@router.post("/schools/{urn}/sessions/{session_date}/{session}/marks", response_model=BulkMarksResult,
             responses={**PROBLEMS, 409: {"description": "A different mark exists: amend it instead"}},
             summary="Record a session's marks for a class or the whole school (all or nothing)")
async def record_marks(school: KeptSchool, session_date: date, session: SessionName, body: BulkMarksRequest,
                       identity: CurrentIdentity, uow: Uow, today: Today, settings: Settings) -> BulkMarksResult:
    result = await marks.record_session(uow.session, identity, school, session_date, session, body, today,
                                        settings)
    await uow.commit()
    return result


@router.post("/pupils/{pupil_id}/marks/{session_date}/{session}/amendments", response_model=MarkHistory,
             status_code=status.HTTP_201_CREATED,
             responses={**PROBLEMS, 409: {"description": "The mark already has this code"}},
             summary="Amend a mark, keeping the original entry")
async def amend_mark(kept: KeptPupil, session_date: date, session: SessionName, body: AmendmentRequest,
                     identity: CurrentIdentity, uow: Uow, settings: Settings) -> MarkHistory:
    pupil, school = kept
    history = await marks.amend(uow.session, identity, pupil, school, session_date, session, body, settings)
    await uow.commit()
    return history


@router.get("/pupils/{pupil_id}/marks/{session_date}/{session}/history", dependencies=[Depends(PUPIL_RECORD)],
            response_model=MarkHistory,
            responses=PROBLEMS, summary="The original entry and every amendment of one mark")
async def mark_history(pupil_id: uuid.UUID, session_date: date, session: SessionName, identity: CurrentIdentity,
                       uow: Uow) -> MarkHistory:
    pupil, _ = await admissions.readable_pupil(uow.session, identity, pupil_id)
    return await marks.history(uow.session, pupil, session_date, session)


@router.get("/pupils/{pupil_id}", dependencies=[Depends(PUPIL_RECORD)], response_model=PupilView, responses=PROBLEMS,
            summary="A pupil's admission register entry")
async def get_pupil(pupil_id: uuid.UUID, identity: CurrentIdentity, uow: Uow) -> PupilView:
    pupil, _ = await admissions.readable_pupil(uow.session, identity, pupil_id)
    view = admissions.pupil_view(pupil, list(await repository.contacts_of(uow.session, pupil.id)))
    view.prior_attendance = await ctf.prior_attendance(uow.session, pupil.id)
    return view


@router.get("/pupils/{pupil_id}/marks", dependencies=[Depends(PUPIL_RECORD)],
            response_model=list[MarkView], responses=PROBLEMS,
            summary="A pupil's marks in a date range (default: academic year to date)")
async def get_marks(pupil_id: uuid.UUID, identity: CurrentIdentity, uow: Uow, today: Today,
                    from_date: date | None = Query(None, alias="from"),
                    to_date: date | None = Query(None, alias="to")) -> list[MarkView]:
    pupil, _ = await admissions.readable_pupil(uow.session, identity, pupil_id)
    start, end = default_range(from_date, to_date, today, pupil.admission_date)
    return await marks.marks_of(uow.session, pupil, start, end)


@router.get("/pupils/{pupil_id}/figures", dependencies=[Depends(PUPIL_RECORD)],
            response_model=PupilFigures, responses=PROBLEMS,
            summary="A pupil's attendance figures in a date range (default: academic year to date)")
async def get_figures(pupil_id: uuid.UUID, identity: CurrentIdentity, uow: Uow, today: Today, settings: Settings,
                      from_date: date | None = Query(None, alias="from"),
                      to_date: date | None = Query(None, alias="to")) -> PupilFigures:
    pupil, _ = await admissions.readable_pupil(uow.session, identity, pupil_id)
    start, end = default_range(from_date, to_date, today, pupil.admission_date)
    return await pupil_figures(uow.session, pupil, start, end, settings)


@router.get("/pupils/{pupil_id}/patterns", dependencies=[Depends(PUPIL_RECORD)],
            response_model=PupilPatterns, responses=PROBLEMS,
            summary="Absence by weekday and session, around breaks, lateness, trend and year-end projection")
async def get_patterns(pupil_id: uuid.UUID, identity: CurrentIdentity, uow: Uow, today: Today,
                       from_date: date | None = Query(None, alias="from"),
                       to_date: date | None = Query(None, alias="to")) -> PupilPatterns:
    pupil, _ = await admissions.readable_pupil(uow.session, identity, pupil_id)
    start, end = default_range(from_date, to_date, today, pupil.admission_date)
    return await pupil_patterns(uow.session, pupil, start, end)
