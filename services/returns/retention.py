"""Returns' retention job, under the LA's policy (RETURNS_RETENTION_YEARS; local practice, default 6 years).

A statutory return (submitted or not) goes when its period ended before the cut-off; a sickness expectation when
its expected return and the moment it was recorded (and withdrawn, if it was) are before it. The DfE collection
records name no pupil and stay: they are the record of what was disclosed to the DfE. A run limited to some pupils
(`pupil_ids`) touches only their sickness expectations: a return is one school's, not one pupil's.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import delete, or_
from sqlalchemy.ext.asyncio import AsyncSession

from services.returns.models import LaReturn, SicknessExpectation
from shared import clock
from shared.contracts.retention import years_before
from shared.retention import Removal, delete_counting


async def run_returns_retention(session: AsyncSession, as_of: date, pupil_ids: list[uuid.UUID] | None, *,
                                years: int) -> Removal:
    cutoff = years_before(as_of, years)
    cut = datetime.combine(cutoff, time(), clock.ENGLAND)
    removed = {"returns": 0, "sickness_expectations": 0}
    if pupil_ids is None:
        removed["returns"] = await delete_counting(session, delete(LaReturn).where(LaReturn.period_end < cutoff))
    expectations = delete(SicknessExpectation).where(
        SicknessExpectation.expected_return < cutoff, SicknessExpectation.recorded_at < cut,
        or_(SicknessExpectation.withdrawn_at.is_(None), SicknessExpectation.withdrawn_at < cut))
    if pupil_ids is not None:
        expectations = expectations.where(SicknessExpectation.pupil_id.in_(pupil_ids))
    removed["sickness_expectations"] = await delete_counting(session, expectations)
    return Removal(cutoffs={"returns": cutoff, "sickness_expectations": cutoff}, removed=removed)
