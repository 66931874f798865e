"""What the LA's returns and dashboard need from the registers, summed in the database: the dashboard's figures by
cohort cell and by day, and the returns' extracts cut down to the pupils a return may name. Counting follows the
national code table (Q not counted, as in every figure register gives)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from operator import attrgetter

from services.register import repository
from services.register.domain.codes import CODES, ILLNESS_CODE, PLANNED_CLOSURE_CODE, UNAUTHORISED_CODES
from services.register.models import Pupil, School
from services.register.repository.returns_figures import CHARACTERISTICS, CodeClasses, Listing
from services.register.service.context import Register
from services.register.service.extract import (
    MAX_EXTRACT_DAYS,
    PHASE_YEAR_GROUPS,
    YEAR_GROUP_ORDER,
    school_days,
    school_year_of,
)
from services.register.service.extract import _calendars as calendars_between
from services.register.service.extract import _pupil as extract_pupil
from services.register.service.extract import _year_bounds as year_bounds
from shared.contracts.register import SessionName
from shared.contracts.returns import (
    CohortCell,
    DayFigures,
    ExtractMark,
    ExtractSchool,
    LaAttendanceFigures,
    PupilCharacteristics,
    PupilPeriodCounts,
    ReturnsExtract,
    ReturnsExtractRequest,
)
from shared.errors import InvalidInput, NotFound

# UUIDs in their own order, compared as integers (no Python call per comparison).
BY_INT = attrgetter("int")
CODE_CLASSES = CodeClasses(
    possible=frozenset(c for c, e in CODES.items() if e.counts_as_possible),
    attended=frozenset(c for c, e in CODES.items() if e.counts_as_attended),
    authorised=frozenset(c for c, e in CODES.items() if e.is_authorised_absence),
    unauthorised=frozenset(c for c, e in CODES.items() if e.is_unauthorised_absence))
# A whole school day of unauthorised absence or of illness is made of these codes only (# is a session the
# school did not hold), so the days both of whose sessions carry them give the same runs of days as every mark.
# (A pupil holds one mark a session, so no best-mark choice is made.)
ABSENCE_DAY_CODES = UNAUTHORISED_CODES | {ILLNESS_CODE, PLANNED_CLOSURE_CODE}
MAX_FIGURES_DAYS = 366


async def schools_of_la(reg: Register, la_code: str) -> list[School]:
    schools = [s for s in await repository.schools.list_schools(reg.db) if s.la_code == la_code]
    if not schools:
        raise NotFound(f"The register holds no school of local authority {la_code}.")
    return schools


async def la_attendance_figures(reg: Register, la_code: str, from_date: date, to_date: date,
                                census: date) -> LaAttendanceFigures:
    if to_date < from_date:
        raise InvalidInput("The end of the range is before its start.", field="to")
    if (to_date - from_date).days > MAX_FIGURES_DAYS:
        raise InvalidInput(f"The range may cover at most {MAX_FIGURES_DAYS} days.", field="to")
    urns = [s.urn for s in await schools_of_la(reg, la_code)]
    rows = await repository.returns_figures.cohort_cells(reg.db, urns, from_date, to_date, census, CODE_CLASSES)
    cells = []
    for urn, year_group, age, sex, *rest in rows:
        traits, (pupils, counted, possible, attended, authorised, unauthorised, persistent, severe) = (
            rest[:len(CHARACTERISTICS)], rest[len(CHARACTERISTICS):])
        cells.append(CohortCell(
            school_urn=urn, year_group=year_group, age=int(age), sex=sex or "",
            characteristics=PupilCharacteristics(**dict(zip(CHARACTERISTICS, map(bool, traits), strict=True))),
            pupils=pupils, counted=int(counted or 0), possible=int(possible or 0), attended=int(attended or 0),
            authorised=int(authorised or 0), unauthorised=int(unauthorised or 0), persistent=int(persistent or 0),
            severe=int(severe or 0)))
    days = [DayFigures(session_date=day, possible=int(p or 0), attended=int(a or 0), absent=int(b or 0))
            for day, p, a, b in await repository.returns_figures.day_figures(reg.db, urns, from_date, to_date,
                                                                             CODE_CLASSES)]
    return LaAttendanceFigures(la_code=la_code, from_date=from_date, to_date=to_date, census=census, cells=cells,
                               days=days)


def _year_group_range(school: School, year_groups: set[str]) -> tuple[str, str]:
    groups = sorted((g for g in year_groups if g in YEAR_GROUP_ORDER), key=YEAR_GROUP_ORDER.index)
    if groups:
        return groups[0], groups[-1]
    return PHASE_YEAR_GROUPS.get(school.phase, ("R", "14"))


async def returns_extracts(reg: Register, la_code: str, asked: ReturnsExtractRequest) -> list[ReturnsExtract]:
    """One extract per school of the LA, as GET /internal/schools/{urn}/extract would give it over
    [from_date, to_date] but holding only the pupils asked for and, of their marks, only the absence days'."""
    db, start, end = reg.db, asked.from_date, asked.to_date
    if (end - start).days > MAX_EXTRACT_DAYS:
        raise InvalidInput(f"The range may cover at most {MAX_EXTRACT_DAYS} days.", field="to_date")
    schools = await schools_of_la(reg, la_code)
    urns = [s.urn for s in schools]
    listing = Listing(
        admitted_in_period=asked.admitted_in_period, with_deletion=asked.with_deletion,
        named=frozenset(asked.pupil_ids), unauthorised_at_least=asked.unauthorised_sessions_at_least,
        illness_code=ILLNESS_CODE, illness_at_least=asked.illness_sessions_at_least,
        per_thousand_at_least=asked.unauthorised_per_thousand_at_least, possible_at_least=asked.possible_at_least)
    counts = await repository.returns_figures.listed_counts(db, urns, start, asked.period_start, end, CODE_CLASSES,
                                                            listing)
    pupils = await repository.returns_figures.pupils_listed(db, urns, start, asked.period_start, end, counts,
                                                            listing)
    ids = [p.id for p in pupils]
    deletions = await repository.returns_figures.deletions_of(db, ids)
    parents = await repository.returns_figures.parents_of(db, ids)
    marks_by_school: dict[str, list[tuple[uuid.UUID, date, str, str]]] = defaultdict(list)
    for pupil_id, urn, day, name, code in await repository.returns_figures.marks_coded(db, ids, start, end,
                                                                                        ABSENCE_DAY_CODES):
        marks_by_school[urn].append((pupil_id, day, name, code))
    year_groups = await repository.returns_figures.year_groups_on_roll(db, urns, start, end)
    year = school_year_of(start)
    pupils_by_school: dict[str, list[Pupil]] = defaultdict(list)
    for pupil in pupils:
        pupils_by_school[pupil.school_urn].append(pupil)
    extracts = []
    for school in schools:
        calendars = await calendars_between(db, school.urn, start, end)
        first_day, last_day = year_bounds(calendars[year], year)
        junior, senior = _year_group_range(school, year_groups.get(school.urn, set()))
        listed = pupils_by_school.get(school.urn, [])
        listed_ids = {p.id for p in listed}
        extracts.append(ReturnsExtract(
            school=ExtractSchool(urn=school.urn, la_code=school.la_code, name=school.name,
                                 most_junior_year_group=junior, most_senior_year_group=senior,
                                 first_day_of_school_year=first_day, last_day_of_school_year=last_day),
            from_date=start, to_date=end, school_days=school_days(calendars, start, end),
            pupils=[extract_pupil(p, deletions.get(p.id), parents.get(p.id, []), end) for p in listed],
            marks=[ExtractMark(pupil_id=pupil_id, session_date=day, session=SessionName(name), code=code)
                   for pupil_id, day, name, code in marks_by_school.get(school.urn, []) if pupil_id in listed_ids],
            period_start=asked.period_start,
            period_counts=[PupilPeriodCounts(pupil_id=i, possible=counts.get(i, (0, 0))[0],
                                             unauthorised=counts.get(i, (0, 0))[1])
                           for i in sorted(listed_ids, key=BY_INT)]))
    return extracts
