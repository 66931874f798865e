"""A pupil's absence patterns: by weekday and session, around breaks, lateness as learning lost, trend and
a projection to the end of the year at the recent rate."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from services.register import repository
from services.register.domain.codes import get_code
from services.register.domain.figures import (
    absence_by_session,
    absence_by_weekday,
    figures_for,
    learning_lost,
    project_end_of_year,
    trend,
)
from services.register.domain.school_age import academic_year_of, default_range
from services.register.domain.sessions import Mark, Session
from services.register.models import Pupil
from services.register.schemas import PupilPatterns, WeekdayFigures
from services.register.service import calendar
from services.register.service.context import Register
from services.register.service.figures import decimal_string
from shared.errors import InvalidInput

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _rate(value: Fraction | None) -> str | None:
    return decimal_string(value) if isinstance(value, Fraction) else None


async def pupil_patterns(reg: Register, pupil: Pupil, from_date: date | None, to_date: date | None,
                         today: date) -> PupilPatterns:
    """Absence patterns in the range (academic year to date unless the caller chose it)."""
    db = reg.db
    from_date, to_date = default_range(from_date, to_date, today, pupil.admission_date)
    if to_date < from_date:
        raise InvalidInput("The end of the range is before its start.", field="to")
    rows = await repository.marks.marks_between(db, pupil.id, from_date, to_date)
    marks = [Mark(m.session_date, Session(m.session), m.code) for m in rows]
    absent = [m for m in marks if get_code(m.code).is_absence]
    weekdays = []
    for day, figures in absence_by_weekday(marks).items():
        weekdays.append(WeekdayFigures(
            weekday=WEEKDAYS[day], possible_sessions=figures.possible, absence_sessions=figures.absent,
            absence_rate=_rate(figures.absence_rate),
            absence_dates=sorted({m.session_date for m in absent if m.session_date.weekday() == day})))
    sessions = absence_by_session(marks)
    late = [m.minutes_late or 0 for m in rows if m.code in ("L", "U")]
    lost = learning_lost(late)
    year = academic_year_of(to_date)
    school_calendar = await calendar.school_calendar(db, pupil.school_urn, year)
    around: list[date] = []
    remaining: int | None = None
    projected = None
    if school_calendar is not None:
        edges = {d for pair in school_calendar.break_edges() for d in pair}
        around = sorted({m.session_date for m in absent if m.session_date in edges})
        edge_figures = figures_for([m for m in marks if m.session_date in edges])
        around_rate = _rate(edge_figures.absence_rate)
        remaining = sum(1 for d, _ in school_calendar.sessions if d > to_date)
        recent = figures_for(marks, date.fromordinal(to_date.toordinal() - 28), to_date)
        projected = project_end_of_year(figures_for(marks), remaining, recent)
    else:
        around_rate = None
    direction = trend(marks)
    return PupilPatterns(
        pupil_id=pupil.id, from_date=from_date, to_date=to_date, by_weekday=weekdays,
        morning_absence_rate=_rate(sessions[Session.AM].absence_rate),
        afternoon_absence_rate=_rate(sessions[Session.PM].absence_rate),
        late_sessions=len(late), minutes_late=lost.minutes, learning_lost_days=decimal_string(lost.days),
        around_breaks_absence_rate=around_rate, around_breaks_dates=around, trend=direction.direction.value,
        first_half_attendance_rate=_rate(direction.first_half.attendance_rate),
        second_half_attendance_rate=_rate(direction.second_half.attendance_rate),
        remaining_possible_sessions=remaining, projected_year_end_attendance_rate=_rate(projected))
