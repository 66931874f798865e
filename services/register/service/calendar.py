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


class Calendars:
    """The school calendars one request works with, each read once: a session's checks (is it a school day, the
    pupils' threshold windows, their first school day) all ask for the same school's calendars. Made per request
    and dropped with it, so a calendar changed later is read afresh by the next request."""

    def __init__(self, db: Db) -> None:
        self._db = db
        self._known: dict[tuple[str, int], SchoolCalendar | None] = {}

    async def of(self, school_urn: str, academic_year: int) -> SchoolCalendar | None:
        """The school's calendar for the year, or None when the school has not entered one."""
        await self.load({school_urn}, [academic_year])
        return self._known[(school_urn, academic_year)]

    def loaded(self, school_urn: str, academic_year: int) -> SchoolCalendar | None:
        """A calendar `load` has read (KeyError for one it has not)."""
        return self._known[(school_urn, academic_year)]

    async def load(self, school_urns: Iterable[str], years: Iterable[int]) -> None:
        """Read the calendars of these schools and years not read yet: two queries however many."""
        wanted = {(urn, year) for urn in school_urns for year in years} - self._known.keys()
        if not wanted:
            return
        urns, wanted_years = {urn for urn, _ in wanted}, {year for _, year in wanted}
        terms = [t for t in await repository.history.terms_of_schools(self._db, urns, wanted_years)
                 if (t.school_urn, t.academic_year) in wanted]
        by_calendar: dict[tuple[str, int], list[SchoolTerm]] = {}
        for term in terms:
            by_calendar.setdefault((term.school_urn, term.academic_year), []).append(term)
        closures: list[SchoolClosure] = []
        if terms:
            closures = await repository.history.closures_of_schools(
                self._db, {urn for urn, _ in by_calendar}, min(t.start_date for t in terms),
                max(t.end_date for t in terms))
        self._known.update(dict.fromkeys(wanted))
        for (urn, year), year_terms in by_calendar.items():
            first, last = min(t.start_date for t in year_terms), max(t.end_date for t in year_terms)
            self._known[(urn, year)] = SchoolCalendar(
                year, [Term(t.name, t.start_date, t.end_date, t.half_term_start, t.half_term_end) for t in year_terms],
                [Closure(c.closure_date, Session(c.session) if c.session else None, c.reason) for c in closures
                 if c.school_urn == urn and first <= c.closure_date <= last])


async def timetables_between(db: Db, school_urns: Iterable[str], start: date, end: date,
                             calendars: Calendars | None = None) -> dict[str, Timetable | None]:
    """timetable_between for several schools in two queries (the schools a class's pupils came from)."""
    urns = set(school_urns)
    if not urns:
        return {}
    known = calendars or Calendars(db)
    years = range(academic_year_of(start), academic_year_of(end) + 1)
    await known.load(urns, years)
    found: dict[str, Timetable | None] = dict.fromkeys(urns)
    for urn in urns:
        school_calendars = [c for year in years if (c := known.loaded(urn, year)) is not None]
        if school_calendars:
            found[urn] = school_calendars[0].union(*school_calendars[1:])
    return found


async def planned_closure(db: Db, school_urn: str, day: date, session_name: str) -> bool:
    return await repository.schools.closed_for(db, school_urn, day, session_name)


async def meeting_timetable(db: Db, school_urn: str, start: date, end: date,
                            calendars: Calendars | None = None) -> Timetable:
    """The sessions the school meets from start to end: its calendar's sessions (planned closures left out), and
    both sessions of every weekday in an academic year without a calendar, as marks are taken."""
    known = calendars or Calendars(db)
    await known.load({school_urn}, range(academic_year_of(start), academic_year_of(end) + 1))
    sessions: list[tuple[date, Session]] = []
    day = start
    while day <= end:
        found = known.loaded(school_urn, academic_year_of(day))
        if found is None:
            sessions += [(day, s) for s in (Session.AM, Session.PM) if day.weekday() < 5]
        else:
            sessions += [(day, s) for s in found.sessions_on(day)]
        day += timedelta(days=1)
    return Timetable(sessions)
