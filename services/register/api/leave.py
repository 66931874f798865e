"""Register's public API for leave of absence requests (reg 11) and their decisions."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, status

from services.register.api.problems import PROBLEMS
from services.register.dependencies import LEAVE_DECIDERS, REGISTER_KEEPERS, RegisterDep, Settings, Today
from services.register.schemas.leave import (
    LeaveDecisionIn,
    LeaveRequestIn,
    LeaveRequestView,
)
from services.register.service import admissions, leave
from shared.auth import CurrentIdentity
from shared.callers import PUPIL_RECORD

router = APIRouter(prefix="/api/v1", tags=["leave of absence"])


@router.post("/pupils/{pupil_id}/leave-requests", dependencies=[Depends(REGISTER_KEEPERS)],
             response_model=LeaveRequestView,
             status_code=status.HTTP_201_CREATED,
             responses={**PROBLEMS, 409: {"description": "Overlaps leave requested or granted, or not on roll"}},
             summary="Record a request for leave of absence (a parent's, or the school's)")
async def request_leave(pupil_id: uuid.UUID, body: LeaveRequestIn, identity: CurrentIdentity, reg: RegisterDep,
                        today: Today) -> LeaveRequestView:
    pupil, school = await admissions.readable_pupil(reg, identity, pupil_id)
    return await leave.record_request(reg, identity, pupil, school, body, today)


@router.get("/pupils/{pupil_id}/leave-requests", dependencies=[Depends(PUPIL_RECORD)],
            response_model=list[LeaveRequestView], responses=PROBLEMS,
            summary="A pupil's leave requests and their decisions")
async def list_leave(pupil_id: uuid.UUID, identity: CurrentIdentity, reg: RegisterDep) -> list[LeaveRequestView]:
    pupil, school = await admissions.readable_pupil(reg, identity, pupil_id)
    return await leave.requests_of(reg, identity, pupil, school)


@router.post("/pupils/{pupil_id}/leave-requests/{leave_id}/decision", dependencies=[Depends(LEAVE_DECIDERS)],
             response_model=LeaveRequestView,
             responses={**PROBLEMS, 409: {"description": "Already decided"}},
             summary="Grant or refuse leave (a person the proprietor authorises); a grant pre-fills the register")
async def decide_leave(pupil_id: uuid.UUID, leave_id: uuid.UUID, body: LeaveDecisionIn, identity: CurrentIdentity,
                       reg: RegisterDep, today: Today, settings: Settings) -> LeaveRequestView:
    pupil, school = await admissions.readable_pupil(reg, identity, pupil_id)
    return await leave.decide(reg, identity, pupil, school, leave_id, body, today, settings)
