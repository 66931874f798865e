"""Register's public API for deleting a pupil from the admission register on a regulation 9 ground."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, status

from services.register.api.problems import PROBLEMS
from services.register.dependencies import REGISTER_KEEPERS, KeptPupil, RegisterDep, Today
from services.register.schemas import DeletionRequest, DeletionView
from services.register.service import admissions, deletions
from shared.auth import CurrentIdentity

router = APIRouter(prefix="/api/v1", tags=["register"])


@router.post("/pupils/{pupil_id}/deletions", response_model=DeletionView, status_code=status.HTTP_201_CREATED,
             responses={**PROBLEMS, 409: {"description": "Not on roll, or a deletion is already pending"}},
             summary="Delete a pupil from the admission register on a regulation 9 ground")
async def request_deletion(kept: KeptPupil, body: DeletionRequest, identity: CurrentIdentity, reg: RegisterDep,
                           today: Today) -> DeletionView:
    pupil, school = kept
    return await deletions.request_deletion(reg, identity, pupil, school, body, today)


@router.post("/pupils/{pupil_id}/deletions/{deletion_id}/complete", dependencies=[Depends(REGISTER_KEEPERS)],
             response_model=DeletionView,
             responses=PROBLEMS, summary="Complete a pending deletion once its date has come")
async def complete_deletion(pupil_id: uuid.UUID, deletion_id: uuid.UUID, identity: CurrentIdentity,
                            reg: RegisterDep, today: Today) -> DeletionView:
    pupil, school = await admissions.readable_pupil(reg, identity, pupil_id)
    return await deletions.complete_deletion(reg, identity, pupil, school, deletion_id, today)
