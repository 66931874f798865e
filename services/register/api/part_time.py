"""Register's public API for temporary part-time timetables (C2) agreed with a parent, and their reviews."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, status

from services.register.api.problems import PROBLEMS
from services.register.dependencies import REGISTER_KEEPERS, RegisterDep, Settings, Today
from services.register.schemas.leave import (
    PartTimeDueForReview,
    PartTimeReviewIn,
    PartTimeTimetableIn,
    PartTimeTimetableView,
)
from services.register.service import admissions, part_time
from shared.auth import CurrentIdentity
from shared.callers import PUPIL_RECORD, SCHOOL_STAFF_OR_LA

router = APIRouter(prefix="/api/v1", tags=["leave of absence"])


@router.post("/pupils/{pupil_id}/part-time-timetables", dependencies=[Depends(REGISTER_KEEPERS)],
             response_model=PartTimeTimetableView,
             status_code=status.HTTP_201_CREATED, responses=PROBLEMS,
             summary="Record a temporary part-time timetable agreed with a parent the pupil lives with")
async def agree_part_time(pupil_id: uuid.UUID, body: PartTimeTimetableIn, identity: CurrentIdentity, reg: RegisterDep,
                          today: Today) -> PartTimeTimetableView:
    pupil, school = await admissions.readable_pupil(reg, identity, pupil_id)
    return await part_time.record_agreement(reg, identity, pupil, school, body, today)


@router.get("/pupils/{pupil_id}/part-time-timetables", dependencies=[Depends(PUPIL_RECORD)],
            response_model=list[PartTimeTimetableView],
            responses=PROBLEMS, summary="A pupil's part-time timetable agreements")
async def list_part_time(pupil_id: uuid.UUID, identity: CurrentIdentity,
                         reg: RegisterDep) -> list[PartTimeTimetableView]:
    pupil, school = await admissions.readable_pupil(reg, identity, pupil_id)
    return await part_time.agreements_of(reg, identity, pupil, school)


@router.post("/pupils/{pupil_id}/part-time-timetables/{agreement_id}/reviews", dependencies=[Depends(REGISTER_KEEPERS)],
             response_model=PartTimeTimetableView,
             responses=PROBLEMS, summary="Record a review of a part-time timetable and the next review date")
async def review_part_time(pupil_id: uuid.UUID, agreement_id: uuid.UUID, body: PartTimeReviewIn,
                           identity: CurrentIdentity, reg: RegisterDep, today: Today) -> PartTimeTimetableView:
    pupil, school = await admissions.readable_pupil(reg, identity, pupil_id)
    return await part_time.record_review(reg, identity, pupil, school, agreement_id, body, today)


@router.get("/schools/{urn}/part-time-timetables/due-for-review", dependencies=[Depends(SCHOOL_STAFF_OR_LA)],
            response_model=list[PartTimeDueForReview],
            responses=PROBLEMS, summary="Part-time timetables still running whose review is due or overdue")
async def due_for_review(urn: str, identity: CurrentIdentity, reg: RegisterDep, today: Today,
                         settings: Settings) -> list[PartTimeDueForReview]:
    school = await admissions.school_or_404(reg, urn)
    return await part_time.due_for_review_list(reg, identity, school, today, settings)
