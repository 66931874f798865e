"""A leaving pupil's attendance as CTF YearData: the register's counts per academic year, and the session marks
from the admission date (one character per session the school met, in order)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from services.register.domain.ctf.schema import UNMARKED_SESSION, MarkEncoding, SchoolRef, YearData
from services.register.domain.figures import figures_from_codes
from services.register.domain.school_age import academic_year_of
from services.register.domain.sessions import Mark, Session, session_order


def year_data(school: SchoolRef, marks: Iterable[Mark], meeting: Iterable[tuple[date, Session]], start: date,
              end: date, encoding: MarkEncoding) -> list[YearData]:
    """One YearData per academic year from start to end: possible, attended, authorised and unauthorised sessions
    counted as the register's figures count them, and AttendanceMarks over every session the school met or marked
    (a session it met but nobody marked is written as UNMARKED_SESSION)."""
    by_session = {(m.session_date, Session(m.session)): m.code for m in marks if start <= m.session_date <= end}
    sessions = {(d, Session(s)) for d, s in meeting if start <= d <= end} | set(by_session)
    years: dict[int, list[tuple[date, Session]]] = {}
    for day, name in sorted(sessions, key=lambda s: session_order(*s)):
        years.setdefault(academic_year_of(day), []).append((day, name))
    found = []
    for year, ordered in sorted(years.items()):
        codes = [by_session[s] for s in ordered if s in by_session]
        figures = figures_from_codes(codes)
        string = "".join(encoding.write(by_session[s]) if s in by_session else UNMARKED_SESSION for s in ordered)
        found.append(YearData(year=year, la=school.la, estab=school.estab, school_name=school.name,
                              possible=figures.possible, attended=figures.attended, authorised=figures.authorised,
                              unauthorised=figures.unauthorised, start_date=ordered[0][0], marks=string))
    return found
