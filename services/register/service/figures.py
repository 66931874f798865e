"""A pupil's figures over a date range: exact counts and rates, PA/SA, band and the penalty threshold."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from services.register import repository
from services.register.domain.figures import Band, BandThresholds, figures_for
from services.register.domain.school_age import default_range
from services.register.domain.sessions import Mark, Session
from services.register.domain.thresholds import penalty_window
from services.register.models import Pupil
from services.register.service import pupil_history
from services.register.service.context import Register
from services.register.settings import RegisterSettings
from shared.contracts.register import AbsenceBand, PupilFigures
from shared.errors import InvalidInput

# Rates cross the boundary as decimal strings; six places keep the 10%/50% comparisons (made exactly,
# before rounding) reproducible by a reader, and displays round further.
RATE_PLACES = Decimal("0.000001")


def decimal_string(rate: Fraction) -> str:
    value = (Decimal(rate.numerator) / Decimal(rate.denominator)).quantize(RATE_PLACES)
    return format(value.normalize(), "f")


def band_thresholds(settings: RegisterSettings) -> BandThresholds:
    return BandThresholds(Fraction(settings.band_green_min_percent), Fraction(settings.band_red_max_percent))


def as_marks(rows: list[tuple[date, str, str]]) -> list[Mark]:
    return [Mark(d, Session(s), c) for d, s, c in rows]


async def pupil_figures(reg: Register, pupil: Pupil, from_date: date | None, to_date: date | None,
                        today: date) -> PupilFigures:
    """Figures from the pupil's own marks in the range (possible sessions are the pupil's, not the school's);
    academic year to date unless the caller chose the range."""
    db, settings = reg.db, reg.settings
    from_date, to_date = default_range(from_date, to_date, today, pupil.admission_date)
    if to_date < from_date:
        raise InvalidInput("The end of the range is before its start.", field="to")
    rows = await repository.marks.marks_between(db, pupil.id, from_date, to_date)
    marks = as_marks([(m.session_date, m.session, m.code) for m in rows])
    figures = figures_for(marks)
    # The penalty window looks back 10 school weeks from the end of the range, whatever its start, and spans
    # the pupil's earlier schools in the LA as the events do.
    window_start = date.fromordinal(to_date.toordinal() - 7 * 26)
    school = await repository.schools.get_school(db, pupil.school_urn)
    assert school is not None  # foreign key
    history = (await pupil_history.histories(db, school, [pupil], window_start, to_date))[pupil.id]
    window = penalty_window(history.window_marks, history.window_timetable, to_date,
                            threshold=settings.penalty_threshold_sessions)
    attendance = figures.attendance_rate
    absence = figures.absence_rate
    band = figures.band(band_thresholds(settings)) or Band.GREEN
    return PupilFigures(
        pupil_id=pupil.id, from_date=from_date, to_date=to_date, possible_sessions=figures.possible,
        attended_sessions=figures.attended, authorised_absence_sessions=figures.authorised,
        unauthorised_absence_sessions=figures.unauthorised,
        attendance_rate=decimal_string(attendance) if attendance is not None else "100",
        absence_rate=decimal_string(absence) if absence is not None else "0",
        persistent_absence=figures.persistent_absence, severe_absence=figures.severe_absence,
        band=AbsenceBand(band.value), penalty_threshold_sessions=window.count, penalty_threshold_met=window.met)
