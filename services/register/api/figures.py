"""Register's public API for attendance figures: a pupil's figures and patterns, a school's and an LA's."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Depends, Query

from services.register.api.problems import PROBLEMS
from services.register.dependencies import LA_FIGURES, RegisterDep, Today
from services.register.domain.figures import FlagList
from services.register.domain.school_age import academic_year_of
from services.register.schemas import LaFigures, PupilPatterns, SchoolFigures
from services.register.schemas.flag_lists import FlaggedPupilsPage
from services.register.service import admissions, flag_lists, school_figures
from services.register.service.figures import pupil_figures
from services.register.service.patterns import pupil_patterns
from shared.auth import CurrentIdentity
from shared.callers import PUPIL_RECORD, SCHOOL_FIGURES
from shared.contracts.identifiers import LaCode, Urn
from shared.contracts.register import PupilFigures

router = APIRouter(prefix="/api/v1", tags=["register"])


@router.get("/pupils/{pupil_id}/figures", dependencies=[Depends(PUPIL_RECORD)],
            response_model=PupilFigures, responses=PROBLEMS,
            summary="A pupil's attendance figures in a date range (default: academic year to date)")
async def get_figures(pupil_id: uuid.UUID, identity: CurrentIdentity, reg: RegisterDep, today: Today,
                      from_date: date | None = Query(None, alias="from"),
                      to_date: date | None = Query(None, alias="to")) -> PupilFigures:
    pupil, _ = await admissions.readable_pupil(reg, identity, pupil_id)
    return await pupil_figures(reg, pupil, from_date, to_date, today)


@router.get("/pupils/{pupil_id}/patterns", dependencies=[Depends(PUPIL_RECORD)],
            response_model=PupilPatterns, responses=PROBLEMS,
            summary="Absence by weekday and session, around breaks, lateness, trend and year-end projection")
async def get_patterns(pupil_id: uuid.UUID, identity: CurrentIdentity, reg: RegisterDep, today: Today,
                       from_date: date | None = Query(None, alias="from"),
                       to_date: date | None = Query(None, alias="to")) -> PupilPatterns:
    pupil, _ = await admissions.readable_pupil(reg, identity, pupil_id)
    return await pupil_patterns(reg, pupil, from_date, to_date, today)


@router.get("/schools/{urn}/figures", dependencies=[Depends(SCHOOL_FIGURES)],
            response_model=SchoolFigures, responses=PROBLEMS,
            summary="A school's figures for an academic year or any date range (from and to), breakdowns, "
                    "and PA and at-risk pupils")
async def get_school_figures(urn: Urn, identity: CurrentIdentity, reg: RegisterDep, today: Today,
                             academic_year: int | None = Query(None, ge=2000, le=2100),
                             from_date: date | None = Query(None, alias="from"),
                             to_date: date | None = Query(None, alias="to")) -> SchoolFigures:
    school = await admissions.school_or_404(reg, urn)
    period = school_figures.figures_period(academic_year, from_date, to_date, today)
    return await school_figures.school_figures(reg, identity, school, period)


@router.get("/las/{la_code}/figures", dependencies=[Depends(LA_FIGURES)], response_model=LaFigures, responses=PROBLEMS,
            summary="An LA's figures for an academic year by school and characteristic, with PA and at-risk pupils")
async def get_la_figures(la_code: LaCode, identity: CurrentIdentity, reg: RegisterDep, today: Today,
                         academic_year: int | None = Query(None, ge=2000, le=2100),
                         from_date: date | None = Query(None, alias="from"),
                         to_date: date | None = Query(None, alias="to"),
                         lists: bool = Query(True, description=(
                             "false: leave persistent_absentees and at_risk empty and unread (an LA's run to tens "
                             "of thousands of lines; page them with /persistent-absentees). Default true, as "
                             "before."))) -> LaFigures:
    period = school_figures.figures_period(academic_year, from_date, to_date, today)
    return await school_figures.la_figures(reg, identity, la_code, period, lists=lists)


@router.get("/las/{la_code}/persistent-absentees", dependencies=[Depends(LA_FIGURES)],
            response_model=FlaggedPupilsPage, responses=PROBLEMS,
            summary="An LA's persistently absent (or severely absent, or at-risk) pupils for an academic year, a "
                    "page at a time, lowest attendance first",
            description="The LA figures' lines, ties by pupil id, read from the tallies' flags: a pupil is listed "
                        "once the sessions the flags wait for (REGISTER_MIN_POSSIBLE_SESSIONS_FOR_FLAGS) have passed.")
async def get_la_persistent_absentees(
        la_code: LaCode, identity: CurrentIdentity, reg: RegisterDep, today: Today,
        academic_year: int | None = Query(None, ge=2000, le=2100, description="Default: the current year"),
        severity: FlagList = Query(FlagList.PERSISTENT, description=(
            "persistent: 10%+ absence (severe included); severe: 50%+; at_risk: the amber band short of PA")),
        limit: int = Query(50, ge=1, le=500),
        after: str | None = Query(None, min_length=1, max_length=100,
                                  description="The `next` of the page before"),
        with_total: bool = Query(False, description=(
            "true: also count the whole list (reads every listed pupil: a few times a page's cost)"))
) -> FlaggedPupilsPage:
    year = academic_year if academic_year is not None else academic_year_of(today)
    return await flag_lists.flagged_pupils(reg, identity, la_code, year, severity, limit, after, with_total)
