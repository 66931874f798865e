"""An LA's open case files counted by journey stage, for returns' LA dashboard (figures only, no pupils)."""

from __future__ import annotations

from datetime import date

from services.casework import repository
from services.casework.service.context import Casework
from shared.contracts.casework import CasesByStage


async def cases_by_stage(cw: Casework, la_code: str, today: date) -> CasesByStage:
    """Journeys not ended, by stage overall and per school; an LA with none answers zeros, not 404."""
    async with cw.uow.reading() as db:
        groups = await repository.open_cases_by_school_and_stage(db, la_code, today)
    figures = CasesByStage(la_code=la_code, open_cases=0)
    for school_urn, stage, count, overdue in groups:
        figures.open_cases += count
        figures.overdue_deadlines += overdue
        figures.by_stage[stage] = figures.by_stage.get(stage, 0) + count
        figures.by_school.setdefault(school_urn, {})[stage] = count
    return figures
