"""A school's page: register's figures for the year (overall, by year group and by the cohorts register
reports), the school's open cases by stage, and its persistently absent pupils for those who may see them.
Governors see figures only."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

from services.casework import repository
from services.casework.schemas import FlaggedPupil, GroupFigures, SchoolSummaryView
from services.casework.service import la_contact
from services.casework.service.audit import audit
from services.casework.service.cases import optional
from services.casework.service.context import Casework
from shared.auth import Identity, Role
from shared.contracts.register import GroupFigures as RegisterGroupFigures
from shared.contracts.register import SchoolFigures, SchoolSummary
from shared.errors import DependencyUnavailable, NotFound, OutOfScope
from shared.http import ServiceCallFailed

YEAR_GROUP = "year_group"


async def _from_register(cw: Casework, call: Any, what: str) -> Any:
    try:
        return await asyncio.wait_for(call, cw.settings.upstream_timeout_seconds)
    except ServiceCallFailed as exc:
        if exc.status == 404:
            raise NotFound("There is no such school.") from exc
        if exc.is_rejection:
            raise DependencyUnavailable(f"Register refused the request for {what}: {exc}") from exc
        raise DependencyUnavailable(f"Register is unavailable, so {what} cannot be shown.") from exc
    except TimeoutError as exc:
        raise DependencyUnavailable(f"Register did not answer in time, so {what} cannot be shown.") from exc


async def school_in_scope(cw: Casework, identity: Identity, urn: str) -> SchoolSummary:
    """The school, if the caller may see its figures (its staff and governors, its LA's officers)."""
    schools: list[SchoolSummary] = await _from_register(cw, cw.register.schools(), "the school")
    school = next((s for s in schools if s.urn == urn), None)
    if school is None:
        raise NotFound("There is no such school.")
    if identity.role is Role.SOCIAL_WORKER or not identity.can_see_school_figures(school_urn=urn,
                                                                                  la_code=school.la_code):
        raise OutOfScope("You do not have access to this school's figures.")
    return school


def _share(part: int, whole: int) -> str | None:
    if whole <= 0:
        return None
    return format((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1")), "f")


def _group(figures: RegisterGroupFigures, min_pupils: int = 0) -> GroupFigures:
    if 0 < figures.pupils < min_pupils:
        return GroupFigures(group=figures.group, pupils=0, possible_sessions=0, attended_sessions=0,
                            authorised_absence_sessions=0, unauthorised_absence_sessions=0, attendance_rate=None,
                            absence_rate=None, persistent_absence_pupils=0, severe_absence_pupils=0, suppressed=True)
    group = GroupFigures.model_validate(figures.model_dump())
    group.persistent_absence_rate = _share(group.persistent_absence_pupils, group.pupils)
    group.severe_absence_rate = _share(group.severe_absence_pupils, group.pupils)
    return group


async def school_summary(cw: Casework, identity: Identity, urn: str,
                         academic_year: int | None = None) -> SchoolSummaryView:
    """The school's page; pupil names only for callers who may read those pupils' records."""
    school = await school_in_scope(cw, identity, urn)
    figures: SchoolFigures = await _from_register(cw, cw.register.school_figures(urn, academic_year),
                                                  "the figures")
    duties = await optional("school duties", cw.register.school_duties(urn), [], cw.settings.upstream_timeout_seconds)
    overall = _group(figures.overall)
    names_shown = identity.role is not Role.GOVERNOR
    smallest = 0 if names_shown else cw.settings.figures_only_min_group
    breakdowns = {name: [_group(g, smallest) for g in groups] for name, groups in figures.breakdowns.items()}
    year = figures.academic_year
    by_year = breakdowns.pop(YEAR_GROUP, [])
    async with cw.uow.transaction() as db:
        counts = await repository.open_counts_by_stage_at_school(db, urn)
        flagged: list[FlaggedPupil] = []
        if names_shown:
            lines = [line for line in figures.persistent_absentees if identity.can_see_pupil(
                pupil_id=line.pupil_id, school_urn=urn, la_code=school.la_code)]
            cases = await repository.cases_for(db, [line.pupil_id for line in lines])
            flagged = [FlaggedPupil(pupil_id=line.pupil_id, display_name=line.display_name,
                                    year_group=line.year_group, attendance_rate=line.attendance_rate,
                                    severe_absence=line.severe_absence,
                                    stage=case.stage if (case := cases.get(line.pupil_id)) else None)
                       for line in lines]
        await audit(db, identity, "read", f"school_summary:{urn}", la_code=school.la_code,
                    details=f"figures {year}; {len(flagged)} pupils named")
    return SchoolSummaryView(urn=urn, name=school.name, la_code=school.la_code, academic_year=year,
                             overall=overall, by_year_group=by_year, cohorts=breakdowns,
                             open_cases_by_stage=counts, persistent_absentees=flagged,
                             pupil_names_shown=names_shown, duties=duties,
                             la_point_of_contact=la_contact.resolve(cw, school.la_code, duties.la_contact)
                             if duties else None)
