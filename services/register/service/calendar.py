"""A school's calendar as the rules see it, built from its stored terms and planned closures."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from services.register import repository
from services.register.domain.calendar import Closure, SchoolCalendar, Term, Timetable
from services.register.domain.school_age import academic_year_of
from services.register.domain.sessions import Session
from services.register.models import SchoolClosure, SchoolTerm
from shared.unit_of_work import Db


async def school_calendar(db: Db, school_urn: str, academic_year: int) -> SchoolCalendar | None:
    """The school's calendar for an academic year, or None when the school has not entered one."""
    terms = await repository.schools.terms_of_year(db, school_urn, academic_year)
    if not terms:
        return None
    closures = await repository.schools.closures_between(
        db, school_urn, min(t.start_date for t in terms), max(t.end_date for t in terms))
    return SchoolCalendar(
        academic_year,
        [Term(t.name, t.start_date, t.end_date, t.half_term_start, t.half_term_end) for t in terms],
        [Closure(c.closure_date, Session(c.session) if c.session else None, c.reason) for c in closures])


async def timetable_between(db: Db, school_urn: str, start: date, end: date) -> Timetable | None:
    """The sessions the school meets across the academic years from start to end (None without a calendar)."""
    calendars = []
    for year in range(academic_year_of(start), academic_year_of(end) + 1):
        calendar = await school_calendar(db, school_urn, year)
        if calendar is not None:
            calendars.append(calendar)
    if not calendars:
        return None
    return calendars[0].union(*calendars[1:])


async def timetables_between(db: Db, school_urns: Iterable[str], start: date,
                             end: date) -> dict[str, Timetable | None]:
    """timetable_between for several schools in two queries (the schools a class's pupils came from)."""
    urns = set(school_urns)
    if not urns:
        return {}
    years = range(academic_year_of(start), academic_year_of(end) + 1)
    terms = await repository.history.terms_of_schools(db, urns, years)
    by_calendar: dict[tuple[str, int], list[SchoolTerm]] = {}
    for term in terms:
        by_calendar.setdefault((term.school_urn, term.academic_year), []).append(term)
    closures: list[SchoolClosure] = []
    if terms:
        closures = await repository.history.closures_of_schools(
            db, urns, min(t.start_date for t in terms), max(t.end_date for t in terms))
    calendars: dict[str, list[SchoolCalendar]] = {}
    for (urn, year), year_terms in sorted(by_calendar.items()):
        first, last = min(t.start_date for t in year_terms), max(t.end_date for t in year_terms)
        calendars.setdefault(urn, []).append(SchoolCalendar(
            year, [Term(t.name, t.start_date, t.end_date, t.half_term_start, t.half_term_end) for t in year_terms],
            [Closure(c.closure_date, Session(c.session) if c.session else None, c.reason) for c in closures
             if c.school_urn == urn and first <= c.closure_date <= last]))
    found: dict[str, Timetable | None] = dict.fromkeys(urns)
    for urn, school_calendars in calendars.items():
        found[urn] = school_calendars[0].union(*school_calendars[1:])
    return found


async def planned_closure(db: Db, school_urn: str, day: date, session_name: str) -> bool:
    return await repository.schools.closed_for(db, school_urn, day, session_name)


async def meeting_timetable(db: Db, school_urn: str, start: date, end: date) -> Timetable:
    """The sessions the school meets from start to end: its calendar's sessions (planned closures left out), and
    both sessions of every weekday in an academic year without a calendar, as marks are taken."""
    calendars: dict[int, SchoolCalendar | None] = {}
    sessions: list[tuple[date, Session]] = []
    day = start
    while day <= end:
        year = academic_year_of(day)
        if year not in calendars:
            calendars[year] = await school_calendar(db, school_urn, year)
        found = calendars[year]
        if found is None:
            sessions += [(day, s) for s in (Session.AM, Session.PM) if day.weekday() < 5]
        else:
            sessions += [(day, s) for s in found.sessions_on(day)]
        day += timedelta(days=1)
    return Timetable(sessions)
