"""Register's public API for the admission register: admitting pupils, a school's roll, a pupil's entry."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query, status

from services.register.api.problems import PROBLEMS
from services.register.dependencies import KeptSchool, RegisterDep, Today
from services.register.schemas import AdmissionRequest, PupilPage, PupilView
from services.register.service import admissions
from shared.auth import CurrentIdentity
from shared.callers import PUPIL_RECORD, SCHOOL_STAFF_OR_LA
from shared.contracts.identifiers import Urn

router = APIRouter(prefix="/api/v1", tags=["register"])


@router.post("/schools/{urn}/pupils", status_code=status.HTTP_201_CREATED, response_model=PupilView,
             responses={**PROBLEMS, 409: {"description": "UPN already on roll"}},
             summary="Admit a pupil to the admission register")
async def admit_pupil(school: KeptSchool, body: AdmissionRequest, identity: CurrentIdentity, reg: RegisterDep,
                      today: Today) -> PupilView:
    return await admissions.admit_pupil(reg, identity, school, body, today)


@router.get("/schools/{urn}/pupils", dependencies=[Depends(SCHOOL_STAFF_OR_LA)],
            response_model=PupilPage, responses=PROBLEMS,
            summary="Pupils on a school's roll, a page at a time")
async def list_school_pupils(urn: Urn, identity: CurrentIdentity, reg: RegisterDep, page: int = Query(1, ge=1),
                             page_size: int = Query(50, ge=1, le=500)) -> PupilPage:
    return await admissions.pupil_page(reg, identity, urn, page, page_size)


@router.get("/pupils/{pupil_id}", dependencies=[Depends(PUPIL_RECORD)], response_model=PupilView, responses=PROBLEMS,
            summary="A pupil's admission register entry")
async def get_pupil(pupil_id: uuid.UUID, identity: CurrentIdentity, reg: RegisterDep) -> PupilView:
    return await admissions.pupil_record(reg, identity, pupil_id)
