"""The deletes of returns' retention job (the rules that choose the cut-off are in service/retention.py)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import delete, or_

from services.returns.models import LaReturn, SicknessExpectation
from shared.retention import delete_counting
from shared.unit_of_work import Db


async def delete_returns_ended_before(db: Db, cutoff: date) -> int:
    return await delete_counting(db, delete(LaReturn).where(LaReturn.period_end < cutoff))


async def delete_expectations_before(db: Db, cutoff: date, cut: datetime, pupil_ids: list[uuid.UUID] | None) -> int:
    """Expectations whose expected return, recording (and withdrawal, if any) are all before the cut-off."""
    expectations = delete(SicknessExpectation).where(
        SicknessExpectation.expected_return < cutoff, SicknessExpectation.recorded_at < cut,
        or_(SicknessExpectation.withdrawn_at.is_(None), SicknessExpectation.withdrawn_at < cut))
    if pupil_ids is not None:
        expectations = expectations.where(SicknessExpectation.pupil_id.in_(pupil_ids))
    return await delete_counting(db, expectations)
