"""Returns' retention job, under the LA's policy (RETURNS_RETENTION_YEARS; local practice, default 6 years).

A statutory return (submitted or not) goes when its period ended before the cut-off; a sickness expectation when
its expected return and the moment it was recorded (and withdrawn, if it was) are before it. The DfE collection
records name no pupil and stay: they are the record of what was disclosed to the DfE. A run limited to some pupils
(`pupil_ids`) touches only their sickness expectations: a return is one school's, not one pupil's.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from services.returns.repository import retention as repository
from shared import clock
from shared.contracts.retention import years_before
from shared.retention import Removal
from shared.unit_of_work import Db


async def run_returns_retention(db: Db, as_of: date, pupil_ids: list[uuid.UUID] | None, *,
                                years: int) -> Removal:
    cutoff = years_before(as_of, years)
    cut = datetime.combine(cutoff, time(), clock.ENGLAND)
    removed = {"returns": 0, "sickness_expectations": 0}
    if pupil_ids is None:
        removed["returns"] = await repository.delete_returns_ended_before(db, cutoff)
    removed["sickness_expectations"] = await repository.delete_expectations_before(db, cutoff, cut, pupil_ids)
    return Removal(cutoffs={"returns": cutoff, "sickness_expectations": cutoff}, removed=removed)
