"""A school's calendar (terms, planned closures), register times, and the N marks overdue for follow-up."""

from __future__ import annotations

from datetime import date

from services.register import repository
from services.register.domain.calendar import Closure, InvalidCalendar, SchoolCalendar, Term
from services.register.domain.codes import NOT_ESTABLISHED_CODE, validate_register_window
from services.register.domain.sessions import Session
from services.register.models import School, SchoolClosure, SchoolTerm
from services.register.schemas import CalendarIn, CalendarView, ClosureIn, RegisterTimes, TermIn, UnresolvedN
from services.register.service import access, calendar, n_marks
from shared.auth import Identity
from shared.contracts.register import SessionName
from shared.errors import InvalidInput, NotFound
from shared.unit_of_work import Db


async def set_calendar(db: Db, identity: Identity, school: School, academic_year: int,
                       body: CalendarIn) -> CalendarView:
    """Replace the school's terms and planned closures for one academic year."""
    access.require_register_keeper(identity, school)
    try:
        built = SchoolCalendar(
            academic_year, [Term(t.name, t.start_date, t.end_date, t.half_term_start, t.half_term_end)
                            for t in body.terms],
            [Closure(c.closure_date, Session(c.session.value) if c.session else None, c.reason)
             for c in body.closures])
    except InvalidCalendar as exc:
        field = "closures" if "closure" in str(exc) else "terms"
        raise InvalidInput(f"The calendar is not consistent: {exc}.", field=field) from exc
    await repository.schools.delete_calendar(db, school.urn, academic_year,
                                             date(academic_year, 8, 1), date(academic_year + 1, 8, 31))
    repository.add(db, *[SchoolTerm(school_urn=school.urn, academic_year=academic_year, name=t.name,
                                         start_date=t.start_date, end_date=t.end_date,
                                         half_term_start=t.half_term_start, half_term_end=t.half_term_end)
                              for t in body.terms])
    repository.add(db, *[SchoolClosure(school_urn=school.urn, closure_date=c.closure_date,
                                            session=c.session.value if c.session else None, reason=c.reason)
                              for c in body.closures])
    await db.flush()
    return CalendarView(academic_year=academic_year, terms=body.terms, closures=body.closures,
                        school_days=len(built.school_days))


async def get_calendar(db: Db, identity: Identity, school: School, academic_year: int) -> CalendarView:
    access.require_school_reader(identity, school)
    built = await calendar.school_calendar(db, school.urn, academic_year)
    if built is None:
        raise NotFound("This school has not entered a calendar for that academic year.")
    return CalendarView(
        academic_year=academic_year,
        terms=[TermIn(name=t.name, start_date=t.start, end_date=t.end, half_term_start=t.half_term_start,
                      half_term_end=t.half_term_end) for t in built.terms],
        closures=[ClosureIn(closure_date=c.closure_date, session=SessionName(c.session) if c.session else None,
                            reason=c.reason) for c in built.closures],
        school_days=len(built.school_days))


def set_register_times(identity: Identity, school: School, body: RegisterTimes) -> RegisterTimes:
    """Change when the registers open and close (each open no more than 30 minutes)."""
    access.require_register_keeper(identity, school)
    for prefix, opens, closes in (("am", body.am_register_opens, body.am_register_closes),
                                  ("pm", body.pm_register_opens, body.pm_register_closes)):
        try:
            validate_register_window(opens, closes)
        except ValueError as exc:
            raise InvalidInput(f"The {prefix.upper()} register times are not allowed: {exc}.",
                               field=f"{prefix}_register_closes") from exc
    school.am_register_opens, school.am_register_closes = body.am_register_opens, body.am_register_closes
    school.pm_register_opens, school.pm_register_closes = body.pm_register_opens, body.pm_register_closes
    return body


async def unresolved_n(db: Db, identity: Identity, school: School, today: date,
                       school_days: int) -> list[UnresolvedN]:
    """N marks still unresolved after the school days allowed to establish the reason."""
    access.require_school_reader(identity, school)
    marks = await repository.marks.marks_with_code(db, school.urn, NOT_ESTABLISHED_CODE, today)
    if not marks:
        return []
    # The same deadline as the LA's compliance view counts (n_marks.resolve_by), so the two never disagree.
    timetable = await n_marks.school_days_timetable(db, school.urn, min(m.session_date for m in marks), today,
                                                    school_days)
    pupils = await repository.pupils.pupils_by_id(db, {m.pupil_id for m in marks})
    result = []
    for m in marks:
        deadline = n_marks.resolve_by(timetable, m.session_date, school_days)
        if today > deadline:
            pupil = pupils[m.pupil_id]
            result.append(UnresolvedN(pupil_id=pupil.id, display_name=pupil.display_name,
                                      year_group=pupil.year_group, session_date=m.session_date,
                                      session=SessionName(m.session), resolve_by=deadline))
    return result
