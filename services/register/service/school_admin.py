"""A school's calendar (terms, planned closures), register times, and the N marks overdue for follow-up."""

from __future__ import annotations

from datetime import date

from services.register import repository
from services.register.domain.calendar import Closure, InvalidCalendar, SchoolCalendar, Term
from services.register.domain.codes import NOT_ESTABLISHED_CODE, validate_register_window
from services.register.domain.sessions import Session
from services.register.models import School, SchoolClosure, SchoolTerm
from services.register.schemas import (
    CalendarIn,
    CalendarView,
    ClosureIn,
    RegisterTimes,
    SchoolView,
    TermIn,
    UnresolvedN,
)
from services.register.service import access, admissions, calendar, n_marks
from services.register.service.context import Register
from shared.auth import Identity
from shared.contracts.register import SchoolTermDates, SessionName
from shared.errors import InvalidInput, NotFound, OutOfScope


async def set_calendar(reg: Register, identity: Identity, school: School, academic_year: int,
                       body: CalendarIn) -> CalendarView:
    """Replace the school's terms and planned closures for one academic year."""
    db = reg.db
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
    result = CalendarView(academic_year=academic_year, terms=body.terms, closures=body.closures,
                          school_days=len(built.school_days))
    await reg.commit()
    return result


async def get_calendar(reg: Register, identity: Identity, school: School, academic_year: int) -> CalendarView:
    db = reg.db
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


async def set_register_times(reg: Register, identity: Identity, school: School, body: RegisterTimes) -> RegisterTimes:
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
    await reg.commit()
    return body


async def unresolved_n(reg: Register, identity: Identity, school: School, today: date) -> list[UnresolvedN]:
    """N marks still unresolved after the school days allowed to establish the reason."""
    db, school_days = reg.db, reg.settings.unresolved_n_school_days
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


async def visible_schools(reg: Register, identity: Identity) -> list[SchoolView]:
    """The schools whose figures the caller may see."""
    return [school_view(s) for s in await repository.schools.list_schools(reg.db)
            if identity.can_see_school_figures(school_urn=s.urn, la_code=s.la_code)]


async def readable_school(reg: Register, identity: Identity, urn: str) -> SchoolView:
    """A school with its register times, for someone who may see its figures."""
    school = await admissions.school_or_404(reg, urn)
    if not identity.can_see_school_figures(school_urn=school.urn, la_code=school.la_code):
        raise OutOfScope("You do not have access to this school.")
    return school_view(school)


def school_view(school: School) -> SchoolView:
    return SchoolView.model_validate(school, from_attributes=True)


async def terms_of_school(reg: Register, urn: str) -> list[SchoolTermDates]:
    """Every term of the school's own calendars, oldest first."""
    school = await admissions.school_or_404(reg, urn)
    return [SchoolTermDates(academic_year=t.academic_year, name=t.name, start_date=t.start_date, end_date=t.end_date)
            for t in await repository.schools.school_terms(reg.db, school.urn)]
