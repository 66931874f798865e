"""Attendance and absence figures for a group of pupils over a date range (pure; rules.md s2, s5).

Rates are computed exactly (fractions) and rounded to one decimal place only for display. Persistent absence:
overall absence at least 10% of the pupil's own possible sessions; severe absence: at least 50%. The
statistics cohort is the DfE one: pupils aged 5 to 15 on 31 August before the school year (not the
compulsory-school-age rule). Groups smaller than `minimum_group` are suppressed so no pupil can be picked out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Protocol
from uuid import UUID

from services.returns.builders.days import ATTENDED_CODES, NOT_POSSIBLE_CODES
from shared.contracts.reports import GroupFigures
from shared.contracts.returns import (
    CohortCell,
    DayFigures,
    ExtractMark,
    ExtractPupil,
    PupilCharacteristics,
    RegisterExtract,
)

AUTHORISED_CODES = frozenset({"C", "C1", "C2", "E", "I", "J1", "M", "R", "S", "T"})
UNAUTHORISED = frozenset({"G", "N", "O", "U"})
PERSISTENT = Fraction(1, 10)
SEVERE = Fraction(1, 2)


@dataclass(frozen=True)
class Sums:
    """Sessions of a group of pupils, with how many had possible sessions and were persistently or severely
    absent (each judged on the pupil's own sessions)."""

    counted: int = 0
    possible: int = 0
    attended: int = 0
    authorised: int = 0
    unauthorised: int = 0
    persistent: int = 0
    severe: int = 0

    def __add__(self, other: Sums) -> Sums:
        return Sums(*(a + b for a, b in zip(self.astuple(), other.astuple(), strict=True)))

    def astuple(self) -> tuple[int, ...]:
        return (self.counted, self.possible, self.attended, self.authorised, self.unauthorised, self.persistent,
                self.severe)

    def sums(self) -> Sums:
        return self


class Summable(Protocol):
    def sums(self) -> Sums: ...


class Member(Protocol):
    """A pupil, or a cell of pupils alike in what the cohorts are drawn by."""

    @property
    def characteristics(self) -> PupilCharacteristics: ...

    @property
    def sex(self) -> str: ...

    @property
    def year_group(self) -> str: ...


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

    def sums(self) -> Sums:
        """The pupil as a group of one (or of none, without possible sessions)."""
        if not self.possible:
            return Sums()
        return Sums(1, self.possible, self.attended, self.authorised, self.unauthorised,
                    int(Fraction(self.absent, self.possible) >= PERSISTENT),
                    int(Fraction(self.absent, self.possible) >= SEVERE))


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


def group_figures(name: str, pupil_tallies: Sequence[Summable], minimum_group: int) -> GroupFigures:
    total = sum((t.sums() for t in pupil_tallies), Sums())
    if total.counted < minimum_group:
        return GroupFigures(group=name, pupils=total.counted, suppressed=bool(total.counted))
    possible = total.possible
    return GroupFigures(
        group=name, pupils=total.counted, possible_sessions=possible,
        attendance_rate=percent(total.attended, possible),
        overall_absence_rate=percent(total.authorised + total.unauthorised, possible),
        authorised_absence_rate=percent(total.authorised, possible),
        unauthorised_absence_rate=percent(total.unauthorised, possible),
        persistent_absence_rate=percent(total.persistent, total.counted),
        severe_absence_rate=percent(total.severe, total.counted))


def _year_sort(year_group: str) -> tuple[int, str]:
    return (int(year_group), "") if year_group.isdigit() else (-1, year_group)


COHORTS: list[tuple[str, Callable[[Member], bool]]] = [
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


def statistics_census(from_date: date) -> date:
    """31 August before the school year holding `from_date`: the statistics cohort's ages are taken on it."""
    return date(from_date.year if from_date.month >= 8 else from_date.year - 1, 8, 31)


def cohort_cells(cells: Iterable[CohortCell]) -> list[tuple[CohortCell, Sums]]:
    """The register's cells (ages on the census day) of the statistics cohort: aged 5 to 15."""
    return [(c, Sums(c.counted, c.possible, c.attended, c.authorised, c.unauthorised, c.persistent, c.severe))
            for c in cells if 5 <= c.age <= 15]


def figures_by_cohort(pupils: Sequence[tuple[Member, Summable]], minimum_group: int) -> list[GroupFigures]:
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


def weekly_attendance_of_days(days: Iterable[DayFigures]) -> list[tuple[date, str]]:
    """As weekly_attendance_of_marks, from sessions already summed by day."""
    weeks: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for day in days:
        week = weeks[day.session_date - timedelta(days=day.session_date.weekday())]
        week[0], week[1] = week[0] + day.attended, week[1] + day.possible
    return [(week, percent(attended, possible)) for week, (attended, possible) in sorted(weeks.items()) if possible]


def absence_by_weekday_of_days(days: Iterable[DayFigures]) -> list[tuple[str, str]]:
    """As absence_by_weekday, from sessions already summed by day."""
    weekdays: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for day in days:
        if day.session_date.weekday() < len(WEEKDAYS):
            sums = weekdays[day.session_date.weekday()]
            sums[0], sums[1] = sums[0] + day.absent, sums[1] + day.possible
    return [(WEEKDAYS[d], percent(absent, possible)) for d, (absent, possible) in sorted(weekdays.items()) if possible]


def weekly_attendance_of_marks(marks: Iterable[ExtractMark], from_date: date, to_date: date
                               ) -> list[tuple[date, str]]:
    weeks: dict[date, Tally] = defaultdict(Tally)
    for mark in marks:
        if from_date <= mark.session_date <= to_date:
            weeks[mark.session_date - timedelta(days=mark.session_date.weekday())].add(mark.code.strip().upper())
    return [(week, percent(t.attended, t.possible)) for week, t in sorted(weeks.items()) if t.possible]
