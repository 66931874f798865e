"""Register's public API for leave of absence requests (reg 11) and temporary part-time timetables (C2)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, status

from services.register.api import PROBLEMS
from services.register.dependencies import LEAVE_DECIDERS, REGISTER_KEEPERS, Settings, Today, Uow
from services.register.schemas_leave import (
    LeaveDecisionIn,
    LeaveRequestIn,
    LeaveRequestView,
    PartTimeDueForReview,
    PartTimeReviewIn,
    PartTimeTimetableIn,
    PartTimeTimetableView,
)
from services.register.service import admissions, leave, part_time
from shared.auth import CurrentIdentity
from shared.callers import PUPIL_RECORD, SCHOOL_STAFF_OR_LA

router = APIRouter(prefix="/api/v1", tags=["leave of absence"])


@router.post("/pupils/{pupil_id}/leave-requests", dependencies=[Depends(REGISTER_KEEPERS)],
             response_model=LeaveRequestView,
             status_code=status.HTTP_201_CREATED,
             responses={**PROBLEMS, 409: {"description": "Overlaps leave requested or granted, or not on roll"}},
             summary="Record a request for leave of absence (a parent's, or the school's)")
async def request_leave(pupil_id: uuid.UUID, body: LeaveRequestIn, identity: CurrentIdentity, uow: Uow,
                        today: Today) -> LeaveRequestView:
    pupil, school = await admissions.readable_pupil(uow.session, identity, pupil_id)
    result = await leave.record_request(uow.session, identity, pupil, school, body, today)
    await uow.commit()
    return result


@router.get("/pupils/{pupil_id}/leave-requests", dependencies=[Depends(PUPIL_RECORD)],
            response_model=list[LeaveRequestView], responses=PROBLEMS,
            summary="A pupil's leave requests and their decisions")
async def list_leave(pupil_id: uuid.UUID, identity: CurrentIdentity, uow: Uow) -> list[LeaveRequestView]:
    pupil, school = await admissions.readable_pupil(uow.session, identity, pupil_id)
    return await leave.requests_of(uow.session, identity, pupil, school)


@router.post("/pupils/{pupil_id}/leave-requests/{leave_id}/decision", dependencies=[Depends(LEAVE_DECIDERS)],
             response_model=LeaveRequestView,
             responses={**PROBLEMS, 409: {"description": "Already decided"}},
             summary="Grant or refuse leave (a person the proprietor authorises); a grant pre-fills the register")
async def decide_leave(pupil_id: uuid.UUID, leave_id: uuid.UUID, body: LeaveDecisionIn, identity: CurrentIdentity,
                       uow: Uow, today: Today, settings: Settings) -> LeaveRequestView:
    pupil, school = await admissions.readable_pupil(uow.session, identity, pupil_id)
    result = await leave.decide(uow.session, identity, pupil, school, leave_id, body, today, settings)
    await uow.commit()
    return result


@router.post("/pupils/{pupil_id}/part-time-timetables", dependencies=[Depends(REGISTER_KEEPERS)],
             response_model=PartTimeTimetableView,
             status_code=status.HTTP_201_CREATED, responses=PROBLEMS,
             summary="Record a temporary part-time timetable agreed with a parent the pupil lives with")
async def agree_part_time(pupil_id: uuid.UUID, body: PartTimeTimetableIn, identity: CurrentIdentity, uow: Uow,
                          today: Today) -> PartTimeTimetableView:
    pupil, school = await admissions.readable_pupil(uow.session, identity, pupil_id)
    result = await part_time.record_agreement(uow.session, identity, pupil, school, body, today)
    await uow.commit()
    return result


@router.get("/pupils/{pupil_id}/part-time-timetables", dependencies=[Depends(PUPIL_RECORD)],
            response_model=list[PartTimeTimetableView],
            responses=PROBLEMS, summary="A pupil's part-time timetable agreements")
async def list_part_time(pupil_id: uuid.UUID, identity: CurrentIdentity, uow: Uow) -> list[PartTimeTimetableView]:
    pupil, school = await admissions.readable_pupil(uow.session, identity, pupil_id)
    return await part_time.agreements_of(uow.session, identity, pupil, school)


@router.post("/pupils/{pupil_id}/part-time-timetables/{agreement_id}/reviews", dependencies=[Depends(REGISTER_KEEPERS)],
             response_model=PartTimeTimetableView,
             responses=PROBLEMS, summary="Record a review of a part-time timetable and the next review date")
async def review_part_time(pupil_id: uuid.UUID, agreement_id: uuid.UUID, body: PartTimeReviewIn,
                           identity: CurrentIdentity, uow: Uow, today: Today) -> PartTimeTimetableView:
    pupil, school = await admissions.readable_pupil(uow.session, identity, pupil_id)
    result = await part_time.record_review(uow.session, identity, pupil, school, agreement_id, body, today)
    await uow.commit()
    return result


@router.get("/schools/{urn}/part-time-timetables/due-for-review", dependencies=[Depends(SCHOOL_STAFF_OR_LA)],
            response_model=list[PartTimeDueForReview],
            responses=PROBLEMS, summary="Part-time timetables still running whose review is due or overdue")
async def due_for_review(urn: str, identity: CurrentIdentity, uow: Uow, today: Today,
                         settings: Settings) -> list[PartTimeDueForReview]:
    school = await admissions.school_or_404(uow.session, urn)
    return await part_time.due_for_review_list(uow.session, identity, school, today, settings)
