"""Attendance and absence figures for a group of pupils over a date range (pure; rules.md s2, s5).

Rates are computed exactly (fractions) and rounded to one decimal place only for display. Persistent absence:
overall absence at least 10% of the pupil's own possible sessions; severe absence: at least 50%. The
statistics cohort is the DfE one: pupils aged 5 to 15 on 31 August before the school year (not the
compulsory-school-age rule). Groups smaller than `minimum_group` are suppressed so no pupil can be picked out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from uuid import UUID

from services.returns.builders.days import ATTENDED_CODES, NOT_POSSIBLE_CODES
from shared.contracts.reports import GroupFigures
from shared.contracts.returns import ExtractMark, ExtractPupil, RegisterExtract

AUTHORISED_CODES = frozenset({"C", "C1", "C2", "E", "I", "J1", "M", "R", "S", "T"})
UNAUTHORISED = frozenset({"G", "N", "O", "U"})
PERSISTENT = Fraction(1, 10)
SEVERE = Fraction(1, 2)


@dataclass
class Tally:
    possible: int = 0
    attended: int = 0
    authorised: int = 0
    unauthorised: int = 0

    def add(self, code: str) -> None:
        if code in NOT_POSSIBLE_CODES:
            return
        self.possible += 1
        self.attended += code in ATTENDED_CODES
        self.authorised += code in AUTHORISED_CODES
        self.unauthorised += code in UNAUTHORISED

    @property
    def absent(self) -> int:
        return self.authorised + self.unauthorised


def percent(part: Fraction | int, whole: int = 1) -> str:
    value = Fraction(part) / whole * 100
    return str((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def in_statistics_cohort(pupil: ExtractPupil, school_year_start: date) -> bool:
    """Aged 5 to 15 on 31 August before the school year."""
    census = date(school_year_start.year, 8, 31)
    dob = pupil.date_of_birth
    age = census.year - dob.year - ((census.month, census.day) < (dob.month, dob.day))
    return 5 <= age <= 15


def tallies(marks: Iterable[ExtractMark], from_date: date, to_date: date) -> dict[UUID, Tally]:
    result: dict[UUID, Tally] = defaultdict(Tally)
    for mark in marks:
        if from_date <= mark.session_date <= to_date:
            result[mark.pupil_id].add(mark.code.strip().upper())
    return result


def group_figures(name: str, pupil_tallies: list[Tally], minimum_group: int) -> GroupFigures:
    counted = [t for t in pupil_tallies if t.possible > 0]
    if len(counted) < minimum_group:
        return GroupFigures(group=name, pupils=len(counted), suppressed=bool(counted))
    possible = sum(t.possible for t in counted)
    persistent = sum(Fraction(t.absent, t.possible) >= PERSISTENT for t in counted)
    severe = sum(Fraction(t.absent, t.possible) >= SEVERE for t in counted)
    return GroupFigures(
        group=name, pupils=len(counted), possible_sessions=possible,
        attendance_rate=percent(sum(t.attended for t in counted), possible),
        overall_absence_rate=percent(sum(t.absent for t in counted), possible),
        authorised_absence_rate=percent(sum(t.authorised for t in counted), possible),
        unauthorised_absence_rate=percent(sum(t.unauthorised for t in counted), possible),
        persistent_absence_rate=percent(persistent, len(counted)), severe_absence_rate=percent(severe, len(counted)))


def _year_sort(year_group: str) -> tuple[int, str]:
    return (int(year_group), "") if year_group.isdigit() else (-1, year_group)


COHORTS: list[tuple[str, Callable[[ExtractPupil], bool]]] = [
    ("Free school meals", lambda p: p.characteristics.free_school_meals),
    ("Not free school meals", lambda p: not p.characteristics.free_school_meals),
    ("Pupil premium", lambda p: p.characteristics.pupil_premium),
    ("SEN support", lambda p: p.characteristics.sen_support),
    ("EHC plan", lambda p: p.characteristics.ehcp),
    ("No identified SEN", lambda p: not (p.characteristics.sen_support or p.characteristics.ehcp)),
    ("Looked after", lambda p: p.characteristics.looked_after),
    ("Previously looked after", lambda p: p.characteristics.previously_looked_after),
    ("Child in need", lambda p: p.characteristics.child_in_need),
    ("Child protection plan", lambda p: p.characteristics.child_protection_plan),
    ("Female", lambda p: p.sex.upper().startswith("F")),
    ("Male", lambda p: p.sex.upper().startswith("M")),
]


def cohort_pupils(extracts: Iterable[RegisterExtract], from_date: date) -> list[tuple[ExtractPupil, Tally]]:
    """Every statistics-cohort pupil with marks in the range, across one or more schools."""
    year_start = date(from_date.year if from_date.month >= 8 else from_date.year - 1, 8, 1)
    found = []
    for extract in extracts:
        counts = tallies(extract.marks, from_date, extract.to_date)
        found += [(p, counts[p.pupil_id]) for p in extract.pupils
                  if in_statistics_cohort(p, year_start) and p.pupil_id in counts]
    return found


def figures_by_cohort(pupils: list[tuple[ExtractPupil, Tally]], minimum_group: int) -> list[GroupFigures]:
    """All pupils, then each cohort of the guidance, then each year group."""
    result = [group_figures("All pupils", [t for _, t in pupils], minimum_group)]
    result += [group_figures(name, [t for p, t in pupils if member(p)], minimum_group) for name, member in COHORTS]
    for year in sorted({p.year_group for p, _ in pupils}, key=_year_sort):
        result.append(group_figures(f"Year {year}", [t for p, t in pupils if p.year_group == year], minimum_group))
    return result


def weekly_attendance(extract: RegisterExtract, from_date: date, to_date: date) -> list[tuple[date, str]]:
    """Attendance rate of each week (by its Monday) in the range, for the trend chart."""
    return weekly_attendance_of_marks(extract.marks, from_date, to_date)


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def absence_by_weekday(marks: Iterable[ExtractMark], from_date: date, to_date: date) -> list[tuple[str, str]]:
    """Overall absence rate on each weekday: the pattern behind "Mondays and Fridays" conversations."""
    days: dict[int, Tally] = defaultdict(Tally)
    for mark in marks:
        if from_date <= mark.session_date <= to_date and mark.session_date.weekday() < len(WEEKDAYS):
            days[mark.session_date.weekday()].add(mark.code.strip().upper())
    return [(WEEKDAYS[d], percent(t.absent, t.possible)) for d, t in sorted(days.items()) if t.possible]


def weekly_attendance_of_marks(marks: Iterable[ExtractMark], from_date: date, to_date: date
                               ) -> list[tuple[date, str]]:
    weeks: dict[date, Tally] = defaultdict(Tally)
    for mark in marks:
        if from_date <= mark.session_date <= to_date:
            weeks[mark.session_date - timedelta(days=mark.session_date.weekday())].add(mark.code.strip().upper())
    return [(week, percent(t.attended, t.possible)) for week, t in sorted(weeks.items()) if t.possible]
