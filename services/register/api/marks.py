"""Register's public API for the attendance register: a session's marks, amendments and a pupil's marks."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Depends, Query, status

from services.register.api.problems import PROBLEMS
from services.register.dependencies import KeptPupil, KeptSchool, RegisterDep, Settings, Today
from services.register.schemas import AmendmentRequest, BulkMarksRequest, BulkMarksResult, MarkHistory
from services.register.service import admissions, marks
from shared.auth import CurrentIdentity
from shared.callers import PUPIL_RECORD
from shared.contracts.register import MarkView, SessionName

router = APIRouter(prefix="/api/v1", tags=["register"])


@router.post("/schools/{urn}/sessions/{session_date}/{session}/marks", response_model=BulkMarksResult,
             responses={**PROBLEMS, 409: {"description": "A different mark exists: amend it instead"}},
             summary="Record a session's marks for a class or the whole school (all or nothing)")
async def record_marks(school: KeptSchool, session_date: date, session: SessionName, body: BulkMarksRequest,
                       identity: CurrentIdentity, reg: RegisterDep, today: Today) -> BulkMarksResult:
    return await marks.record(reg, identity, school, session_date, session, body, today)


@router.post("/pupils/{pupil_id}/marks/{session_date}/{session}/amendments", response_model=MarkHistory,
             status_code=status.HTTP_201_CREATED,
             responses={**PROBLEMS, 409: {"description": "The mark already has this code"}},
             summary="Amend a mark, keeping the original entry")
async def amend_mark(kept: KeptPupil, session_date: date, session: SessionName, body: AmendmentRequest,
                     identity: CurrentIdentity, reg: RegisterDep, settings: Settings) -> MarkHistory:
    pupil, school = kept
    return await marks.amend(reg, identity, pupil, school, session_date, session, body, settings)


@router.get("/pupils/{pupil_id}/marks/{session_date}/{session}/history", dependencies=[Depends(PUPIL_RECORD)],
            response_model=MarkHistory,
            responses=PROBLEMS, summary="The original entry and every amendment of one mark")
async def mark_history(pupil_id: uuid.UUID, session_date: date, session: SessionName, identity: CurrentIdentity,
                       reg: RegisterDep) -> MarkHistory:
    return await marks.mark_history(reg, identity, pupil_id, session_date, session)


@router.get("/pupils/{pupil_id}/marks", dependencies=[Depends(PUPIL_RECORD)],
            response_model=list[MarkView], responses=PROBLEMS,
            summary="A pupil's marks in a date range (default: academic year to date)")
async def get_marks(pupil_id: uuid.UUID, identity: CurrentIdentity, reg: RegisterDep, today: Today,
                    from_date: date | None = Query(None, alias="from"),
                    to_date: date | None = Query(None, alias="to")) -> list[MarkView]:
    pupil, _ = await admissions.readable_pupil(reg, identity, pupil_id)
    return await marks.marks_of(reg, pupil, from_date, to_date, today)
