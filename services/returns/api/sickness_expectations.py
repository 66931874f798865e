"""The API of sickness expectations: a school records its grounds to believe a pupil will miss 15 days through
sickness, lists those current, and withdraws one (rules in services/returns/service/expectations.py). The request and
response models are the shared contract (shared/contracts/returns.py), which casework's officer UI posts too."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status

from services.returns.dependencies import EXPECTATION_WRITERS, ReturnsDep
from services.returns.service import expectations
from shared.auth import CurrentIdentity
from shared.callers import SCHOOL_STAFF_OR_LA, checked_by
from shared.contracts.identifiers import Urn
from shared.contracts.returns import SicknessExpectationIn, SicknessExpectationView

router = APIRouter(prefix="/api/v1/schools/{urn}/sickness-expectations", tags=["sickness expectations"])


@checked_by(EXPECTATION_WRITERS)
async def school_writer(urn: Urn, identity: CurrentIdentity) -> str:
    """The school in the path, if the caller may record its expectations: checked before the body is validated,
    so a caller without that right hears 403 and nothing about the fields."""
    expectations.require_caller(identity, urn, writing=True)
    return urn


Writer = Annotated[str, Depends(school_writer)]


@router.post("", response_model=SicknessExpectationView, status_code=status.HTTP_201_CREATED,
             responses={409: {"description": "Already recorded for this pupil's sickness starting that day"}})
async def record(urn: Writer, body: SicknessExpectationIn, identity: CurrentIdentity,
                 returns: ReturnsDep) -> SicknessExpectationView:
    """Record that the school has reasonable grounds to believe the pupil will miss 15 days through sickness."""
    recorded = await expectations.record(
        returns, identity, urn, pupil_id=body.pupil_id, sickness_start=body.sickness_start,
        expected_return=body.expected_return, grounds=body.grounds)
    return SicknessExpectationView.model_validate(recorded)


@router.get("", dependencies=[Depends(SCHOOL_STAFF_OR_LA)], response_model=list[SicknessExpectationView])
async def list_current(urn: Urn, identity: CurrentIdentity, returns: ReturnsDep) -> list[SicknessExpectationView]:
    """The school's sickness expectations that are not withdrawn, oldest sickness first."""
    return [SicknessExpectationView.model_validate(e)
            for e in await expectations.current(returns, identity, urn)]


@router.post("/{expectation_id}/withdraw", dependencies=[Depends(EXPECTATION_WRITERS)],
             response_model=SicknessExpectationView)
async def withdraw(urn: Urn, expectation_id: uuid.UUID, identity: CurrentIdentity,
                   returns: ReturnsDep) -> SicknessExpectationView:
    """The school no longer has those grounds; the expectation is kept, marked withdrawn."""
    return SicknessExpectationView.model_validate(
        await expectations.withdraw(returns, identity, urn, expectation_id))
