"""The register extract the returns service builds statutory LA returns from (shared.contracts.returns)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from services.register import repository
from services.register.domain.calendar import SchoolCalendar
from services.register.domain.codes import best_mark, is_known_code
from services.register.domain.school_age import is_compulsory_school_age
from services.register.models import Pupil, PupilContact, PupilDeletion, School
from services.register.service import calendar
from services.register.service.context import Register
from shared.contracts.register import SessionName
from shared.contracts.returns import (
    ExtractMark,
    ExtractParent,
    ExtractPupil,
    ExtractSchool,
    PupilCharacteristics,
    RegisterExtract,
)
from shared.errors import InvalidInput
from shared.unit_of_work import Db

# A range longer than this is not a return period plus its school year to date.
MAX_EXTRACT_DAYS = 800
YEAR_GROUP_ORDER = ("N1", "N2", "R", *(str(n) for n in range(1, 15)))
PHASE_YEAR_GROUPS = {"primary": ("R", "6"), "secondary": ("7", "11"), "special": ("R", "14")}


def school_year_of(day: date) -> int:
    """The school year (named by its first calendar year) holding the day: it begins with the first term
    after July (EA 1996 s579), so August belongs to the coming year, not the one that ended."""
    return day.year if day.month >= 8 else day.year - 1


def _weekdays(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)
            if (start + timedelta(days=n)).weekday() < 5]


async def _calendars(db: Db, urn: str, from_date: date,
                     to_date: date) -> dict[int, SchoolCalendar | None]:
    years = range(school_year_of(from_date), school_year_of(to_date) + 1)
    return {year: await calendar.school_calendar(db, urn, year) for year in years}


def school_days(calendars: dict[int, SchoolCalendar | None], from_date: date, to_date: date) -> list[date]:
    """Days in the range on which the school met: the stored calendar's school days (no weekends, holidays or
    whole-day closures); in a school year without a calendar every weekday, as when marks are taken."""
    days: set[date] = set()
    for year, school_calendar in calendars.items():
        start, end = max(from_date, date(year, 8, 1)), min(to_date, date(year + 1, 7, 31))
        if school_calendar is None:
            days.update(_weekdays(start, end) if start <= end else [])
        else:
            # A calendar's terms may run to 31 August; those days are its own, whatever the range.
            days.update(school_calendar.school_days_between(start, to_date))
    return sorted(d for d in days if from_date <= d <= to_date)


def _year_bounds(school_calendar: SchoolCalendar | None, year: int) -> tuple[date, date]:
    if school_calendar is not None:
        return school_calendar.terms[0].start, school_calendar.terms[-1].end
    return _weekdays(date(year, 9, 1), date(year, 9, 7))[0], _weekdays(date(year + 1, 7, 25), date(year + 1, 7, 31))[-1]


def _year_group_range(school: School, pupils: list[Pupil]) -> tuple[str, str]:
    groups = sorted({p.year_group for p in pupils if p.year_group in YEAR_GROUP_ORDER}, key=YEAR_GROUP_ORDER.index)
    if groups:
        return groups[0], groups[-1]
    return PHASE_YEAR_GROUPS.get(school.phase, ("R", "14"))


def _parent(contact: PupilContact, pupil: Pupil) -> ExtractParent:
    return ExtractParent(full_name=contact.name, address=contact.address or pupil.address,
                         emergency_phone=contact.phone, lives_with_pupil=contact.lives_with_pupil)


def _pupil(pupil: Pupil, deletion: PupilDeletion | None, parents: list[PupilContact], to_date: date) -> ExtractPupil:
    return ExtractPupil(
        pupil_id=pupil.id, upn=pupil.upn, legal_forename=pupil.legal_forename, legal_surname=pupil.legal_surname,
        address=pupil.address, date_of_birth=pupil.date_of_birth, sex=pupil.sex, ethnicity=pupil.ethnicity,
        year_group=pupil.year_group, admission_date=pupil.admission_date,
        deletion_date=deletion.deletion_date if deletion else None,
        deletion_ground=deletion.ground if deletion else None,
        deletion_recorded_on=deletion.recorded_at.date() if deletion else None,
        parents=[_parent(c, pupil) for c in parents],
        compulsory_school_age=is_compulsory_school_age(pupil.date_of_birth, to_date),
        characteristics=PupilCharacteristics(
            free_school_meals=pupil.free_school_meals, pupil_premium=pupil.pupil_premium, sen_support=pupil.sen_support,
            ehcp=pupil.ehcp, looked_after=pupil.looked_after, previously_looked_after=pupil.previously_looked_after,
            child_in_need=pupil.child_in_need, child_protection_plan=pupil.child_protection_plan))


def best_marks(rows: list[tuple[uuid.UUID, date, str, str]], pupil_ids: set[uuid.UUID]) -> list[ExtractMark]:
    """One mark per pupil and session: the best under the DfE best-mark rule should several be held."""
    by_session: dict[tuple[uuid.UUID, date, str], list[str]] = {}
    for pupil_id, day, name, code in rows:
        if pupil_id in pupil_ids:
            by_session.setdefault((pupil_id, day, name), []).append(code)
    marks = []
    for (pupil_id, day, name), codes in by_session.items():
        known = [c for c in codes if is_known_code(c)]
        code = best_mark(known).code if known else codes[0]
        marks.append(ExtractMark(pupil_id=pupil_id, session_date=day, session=SessionName(name), code=code))
    return marks


async def register_extract(reg: Register, school: School, from_date: date, to_date: date) -> RegisterExtract:
    """The school's registers from from_date to to_date, as the returns are built from them."""
    db = reg.db
    if to_date < from_date:
        raise InvalidInput("The end of the range is before its start.", field="to")
    if (to_date - from_date).days > MAX_EXTRACT_DAYS:
        raise InvalidInput(f"The range may cover at most {MAX_EXTRACT_DAYS} days.", field="to")
    calendars = await _calendars(db, school.urn, from_date, to_date)
    year = school_year_of(from_date)
    first_day, last_day = _year_bounds(calendars[year], year)
    pupils = list(await repository.pupils.pupils_on_roll_between(db, school.urn, from_date, to_date))
    ids = [p.id for p in pupils]
    deletions = await repository.pupils.deletions_of(db, ids)
    parents = await repository.pupils.parents_of(db, ids)
    junior, senior = _year_group_range(school, pupils)
    rows = await repository.marks.school_marks_between(db, school.urn, from_date, to_date)
    return RegisterExtract(
        school=ExtractSchool(urn=school.urn, la_code=school.la_code, name=school.name, most_junior_year_group=junior,
                             most_senior_year_group=senior, first_day_of_school_year=first_day,
                             last_day_of_school_year=last_day),
        from_date=from_date, to_date=to_date, school_days=school_days(calendars, from_date, to_date),
        pupils=[_pupil(p, deletions.get(p.id), parents.get(p.id, []), to_date) for p in pupils],
        marks=best_marks(rows, set(ids)))
