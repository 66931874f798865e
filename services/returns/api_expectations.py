"""The API of sickness expectations: a school records its grounds to believe a pupil will miss 15 days through
sickness, lists those current, and withdraws one (rules in services/returns/expectations.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Path, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from services.returns import expectations
from services.returns.dependencies import Now, RegisterSource, Repository
from shared.auth import CurrentIdentity

router = APIRouter(prefix="/api/v1/schools/{urn}/sickness-expectations", tags=["sickness expectations"])

# Bounds that keep dates within what the register's calendars can hold.
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
Urn = Annotated[str, Path(min_length=1, max_length=10)]


class SicknessExpectationIn(BaseModel):
    pupil_id: uuid.UUID
    # The first day of the period of sickness, and the day the pupil is expected back.
    sickness_start: date = Field(ge=EARLIEST, le=LATEST)
    expected_return: date = Field(ge=EARLIEST, le=LATEST)
    # What the school's belief rests on, e.g. "hospital letter: surgery and 4 weeks' recovery".
    grounds: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class SicknessExpectationView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    school_urn: str
    la_code: str
    pupil_id: uuid.UUID
    sickness_start: date
    expected_return: date
    grounds: str
    recorded_by: str
    recorded_at: datetime
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None

    @field_validator("recorded_at", "withdrawn_at")
    @classmethod
    def _utc(cls, moment: datetime | None) -> datetime | None:
        # SQLite gives back the stored UTC moment without its zone.
        return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


@router.post("", response_model=SicknessExpectationView, status_code=status.HTTP_201_CREATED,
             responses={409: {"description": "Already recorded for this pupil's sickness starting that day"}})
async def record(urn: Urn, body: SicknessExpectationIn, identity: CurrentIdentity, repository: Repository,
                 source: RegisterSource, now: Now) -> SicknessExpectationView:
    """Record that the school has reasonable grounds to believe the pupil will miss 15 days through sickness."""
    recorded = await expectations.record(
        repository, source, identity, urn, pupil_id=body.pupil_id, sickness_start=body.sickness_start,
        expected_return=body.expected_return, grounds=body.grounds, now=now)
    return SicknessExpectationView.model_validate(recorded)


@router.get("", response_model=list[SicknessExpectationView])
async def list_current(urn: Urn, identity: CurrentIdentity, repository: Repository,
                       source: RegisterSource) -> list[SicknessExpectationView]:
    """The school's sickness expectations that are not withdrawn, oldest sickness first."""
    return [SicknessExpectationView.model_validate(e)
            for e in await expectations.current(repository, source, identity, urn)]


@router.post("/{expectation_id}/withdraw", response_model=SicknessExpectationView)
async def withdraw(urn: Urn, expectation_id: uuid.UUID, identity: CurrentIdentity, repository: Repository,
                   now: Now) -> SicknessExpectationView:
    """The school no longer has those grounds; the expectation is kept, marked withdrawn."""
    return SicknessExpectationView.model_validate(
        await expectations.withdraw(repository, identity, urn, expectation_id, now))
