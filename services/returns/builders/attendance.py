"""Attendance return: compulsory-school-age pupils absent for a continuous period of 10 school days with
unauthorised codes (G, N, O, U), or failing to attend regularly under the LA's local criterion (rules.md s8).

A continuous period is reported in every return whose period it reaches into once it has lasted 10 school
days (counting days before the period too): the pupil is still absent, so the LA hears again. Days are
counted up to the period end; see days.py for how sessions become days.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from uuid import UUID

from services.returns.builders.days import (
    NOT_POSSIBLE_CODES,
    UNAUTHORISED_CODES,
    DayMarks,
    marks_by_pupil,
    runs,
)
from services.returns.builders.rules import ReturnRules
from shared.contracts.returns import (
    AttendanceReason,
    AttendanceRow,
    ExtractPupil,
    PupilPeriodCounts,
    RegisterExtract,
    ReturnsExtract,
)


def unauthorised_share(days: dict[date, DayMarks], period_start: date, period_end: date
                       ) -> tuple[Fraction, int]:
    """Unauthorised absence / possible sessions in the period (exact), and the number of possible sessions."""
    possible = unauthorised = 0
    for day, sessions in days.items():
        if not period_start <= day <= period_end:
            continue
        for code in sessions.values():
            if code in NOT_POSSIBLE_CODES:
                continue
            possible += 1
            unauthorised += code in UNAUTHORISED_CODES
    return (Fraction(unauthorised, possible) if possible else Fraction(0)), possible


def _counted_by_register(extract: RegisterExtract, period_start: date,
                         period_end: date) -> dict[UUID, PupilPeriodCounts] | None:
    """The register's counts for the period when the extract is cut down to absence days (its marks alone would
    undercount the possible sessions); None when the extract holds every mark."""
    if not isinstance(extract, ReturnsExtract):
        return None
    if (extract.period_start, extract.to_date) != (period_start, period_end):
        raise ValueError("a returns extract is counted for its own period only")
    return {c.pupil_id: c for c in extract.period_counts}


def _row(pupil: ExtractPupil, reason: AttendanceReason, **fields: object) -> AttendanceRow:
    return AttendanceRow(pupil_id=pupil.pupil_id, legal_forename=pupil.legal_forename,
                         legal_surname=pupil.legal_surname, address=pupil.address, year_group=pupil.year_group,
                         reason=reason, **fields)  # type: ignore[arg-type]


def attendance_rows(extract: RegisterExtract, period_start: date, period_end: date,
                    rules: ReturnRules) -> list[AttendanceRow]:
    """One row per qualifying continuous period, and one per pupil failing the regularity criterion."""
    marks = marks_by_pupil(extract.marks)
    school_days = [d for d in extract.school_days if d <= period_end]
    threshold = rules.irregular_unauthorised_absence_percent
    counted = _counted_by_register(extract, period_start, period_end)
    rows: list[AttendanceRow] = []
    for pupil in extract.pupils:
        if not pupil.compulsory_school_age:
            continue
        pupil_days = marks.get(pupil.pupil_id, {})
        for run in runs(school_days, pupil_days, UNAUTHORISED_CODES):
            if run.length >= rules.continuous_absence_school_days and run.end >= period_start:
                rows.append(_row(pupil, AttendanceReason.CONTINUOUS_UNAUTHORISED, absence_start=run.start,
                                 absence_end=run.end, school_days_absent=run.length, codes=sorted(run.codes)))
        if threshold is None:
            continue
        if counted is None:
            share, possible = unauthorised_share(pupil_days, period_start, period_end)
        else:
            counts = counted.get(pupil.pupil_id)
            possible = counts.possible if counts else 0
            share = Fraction(counts.unauthorised, possible) if counts and possible else Fraction(0)
        # Compared exactly; rounded only for the row.
        if possible >= rules.irregular_attendance_min_possible_sessions and share * 100 >= Fraction(threshold):
            shown = (Decimal(share.numerator) * 100 / Decimal(share.denominator)).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP)
            rows.append(_row(pupil, AttendanceReason.IRREGULAR_ATTENDANCE, unauthorised_absence_rate=str(shown)))
    return sorted(rows, key=lambda r: (r.legal_surname, r.legal_forename, str(r.pupil_id), r.reason.value,
                                       r.absence_start or period_start))
