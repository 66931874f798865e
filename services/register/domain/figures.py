"""Attendance figures: exact rates, PA/SA, bands, incremental tallies, weekday, lateness, trend."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from fractions import Fraction

from services.register.domain.codes import (
    ILLNESS_CODE,
    NOT_ESTABLISHED_CODE,
    Q_DEFAULT_CATEGORY,
    CodeCategory,
    get_code,
)
from services.register.domain.sessions import Mark, Session, session_order

HUNDRED = Fraction(100)
PERSISTENT_ABSENCE_RATE = Fraction(10)
SEVERE_ABSENCE_RATE = Fraction(50)
# DfE guidance expects a 32.5-hour mainstream week: 6.5 hours (390 minutes) a day.
MINUTES_PER_SCHOOL_DAY = 390


class FlagList(StrEnum):
    """An LA's list of flagged pupils: persistently absent (severely absent included), severely absent only, or
    at risk (the amber band short of persistent absence)."""

    PERSISTENT = "persistent"
    SEVERE = "severe"
    AT_RISK = "at_risk"


class Band(StrEnum):
    """Traffic-light band of an attendance rate (local practice, not national)."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Direction(StrEnum):
    """Direction of attendance between the two halves of a period."""

    IMPROVING = "improving"
    DECLINING = "declining"
    STABLE = "stable"
    INSUFFICIENT_DATA = "insufficient_data"


def as_fraction(value: Fraction | int | float | str) -> Fraction:
    """An exact Fraction from a setting value (floats via their shortest decimal form, so 95.1 stays 95.1)."""
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


@dataclass(frozen=True)
class BandThresholds:
    """Band edges in percent: green at or above green_at_least, red at or below red_at_most, else amber."""

    green_at_least: Fraction = Fraction(96)
    red_at_most: Fraction = Fraction(90)

    def __post_init__(self) -> None:
        object.__setattr__(self, "green_at_least", as_fraction(self.green_at_least))
        object.__setattr__(self, "red_at_most", as_fraction(self.red_at_most))
        if self.red_at_most >= self.green_at_least:
            raise ValueError("the red edge must be below the green edge")


DEFAULT_BANDS = BandThresholds()


@dataclass(frozen=True)
class Figures:
    """Session counts for a pupil (or any group) over a period; rates are exact Fractions in percent."""

    possible: int = 0
    attended: int = 0
    authorised: int = 0
    unauthorised: int = 0
    not_counted: int = 0

    @property
    def absent(self) -> int:
        """Authorised plus unauthorised absence sessions."""
        return self.authorised + self.unauthorised

    @property
    def attendance_rate(self) -> Fraction | None:
        """Attended / possible x 100, or None when there are no possible sessions."""
        return _percent(self.attended, self.possible)

    @property
    def absence_rate(self) -> Fraction | None:
        """(Authorised + unauthorised) / possible x 100, or None when there are no possible sessions."""
        return _percent(self.absent, self.possible)

    @property
    def authorised_rate(self) -> Fraction | None:
        """Authorised absence / possible x 100."""
        return _percent(self.authorised, self.possible)

    @property
    def unauthorised_rate(self) -> Fraction | None:
        """Unauthorised absence / possible x 100."""
        return _percent(self.unauthorised, self.possible)

    @property
    def persistent_absence(self) -> bool:
        """Absence at or above 10% of possible sessions, compared exactly (no rounding first)."""
        return self.possible > 0 and self.absent * 100 >= PERSISTENT_ABSENCE_RATE * self.possible

    @property
    def severe_absence(self) -> bool:
        """Absence at or above 50% of possible sessions, compared exactly."""
        return self.possible > 0 and self.absent * 100 >= SEVERE_ABSENCE_RATE * self.possible

    def band(self, thresholds: BandThresholds = DEFAULT_BANDS) -> Band | None:
        """The traffic-light band of the attendance rate, or None without possible sessions."""
        rate = self.attendance_rate
        return None if rate is None else traffic_light(rate, thresholds)

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            self.possible + other.possible,
            self.attended + other.attended,
            self.authorised + other.authorised,
            self.unauthorised + other.unauthorised,
            self.not_counted + other.not_counted,
        )


def _percent(part: int, whole: int) -> Fraction | None:
    return None if whole == 0 else Fraction(part * 100, whole)


def traffic_light(attendance_rate: Fraction, thresholds: BandThresholds = DEFAULT_BANDS) -> Band:
    """Green at or above the green edge, red at or below the red edge, amber in between."""
    if attendance_rate >= thresholds.green_at_least:
        return Band.GREEN
    if attendance_rate <= thresholds.red_at_most:
        return Band.RED
    return Band.AMBER


def display_percent(rate: Fraction | None, places: int = 1) -> str:
    """Round an exact percentage half-up for display ('92.3'); an em dash when there is no rate."""
    if rate is None:
        return "\u2014"
    scale = 10**places
    scaled = rate * scale
    rounded = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)
    if scaled < 0:
        rounded = -((-scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2))
    sign = "-" if rounded < 0 else ""
    whole, frac = divmod(abs(rounded), scale)
    return f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"


@dataclass
class PupilTally:
    """Running session counts for one pupil, updated mark by mark; equal to a full recount of the marks."""

    possible: int = 0
    attended: int = 0
    authorised: int = 0
    unauthorised: int = 0
    not_counted: int = 0
    illness: int = 0
    not_established: int = 0
    q_category: CodeCategory = field(default=Q_DEFAULT_CATEGORY, compare=False, repr=False)

    @classmethod
    def from_codes(cls, codes: Iterable[str], q_category: CodeCategory = Q_DEFAULT_CATEGORY) -> PupilTally:
        """A tally built by recounting every code."""
        tally = cls(q_category=q_category)
        for code in codes:
            tally.add(code)
        return tally

    def _apply(self, code: str, sign: int) -> None:
        for name, step in tally_delta(None, code, self.q_category).items():
            setattr(self, name, getattr(self, name) + sign * step)

    def add(self, code: str) -> None:
        """Count a new mark."""
        self._apply(code, 1)

    def remove(self, code: str) -> None:
        """Uncount a mark (refusing to go below zero)."""
        self._apply(code, -1)
        if any(v < 0 for v in self.counts().values()):
            self._apply(code, 1)
            raise ValueError(f"the tally holds no {code!r} mark to remove")

    def replace(self, old: str, new: str) -> None:
        """Apply an amendment: the old code stops counting and the new one counts."""
        self.remove(old)
        self.add(new)

    def counts(self) -> dict[str, int]:
        """The integer counters, by name (the columns a stored tally needs)."""
        data = asdict(self)
        data.pop("q_category")
        return data

    def figures(self) -> Figures:
        """The tally as Figures."""
        return Figures(self.possible, self.attended, self.authorised, self.unauthorised, self.not_counted)


TALLY_FIELDS = (
    "possible",
    "attended",
    "authorised",
    "unauthorised",
    "not_counted",
    "illness",
    "not_established",
)


def tally_delta(
    old: str | None, new: str | None, q_category: CodeCategory = Q_DEFAULT_CATEGORY
) -> dict[str, int]:
    """Counter increments for a mark changing from old to new (None = no mark), for `col = col + :delta`."""
    delta = dict.fromkeys(TALLY_FIELDS, 0)
    for code, sign in ((old, -1), (new, 1)):
        if code is None:
            continue
        entry = get_code(code, q_category)
        if entry.counts_as_possible:
            delta["possible"] += sign
        if entry.counts_as_attended:
            delta["attended"] += sign
        elif entry.is_authorised_absence:
            delta["authorised"] += sign
        elif entry.is_unauthorised_absence:
            delta["unauthorised"] += sign
        else:
            delta["not_counted"] += sign
        if entry.code == ILLNESS_CODE:
            delta["illness"] += sign
        if entry.code == NOT_ESTABLISHED_CODE:
            delta["not_established"] += sign
    return delta


def figures_from_codes(codes: Iterable[str], q_category: CodeCategory = Q_DEFAULT_CATEGORY) -> Figures:
    """Figures from a plain sequence of codes."""
    return PupilTally.from_codes(codes, q_category).figures()


def figures_for(
    marks: Iterable[Mark],
    start: date | None = None,
    end: date | None = None,
    q_category: CodeCategory = Q_DEFAULT_CATEGORY,
) -> Figures:
    """Figures over the marks dated from start to end inclusive (open ends when None)."""
    return figures_from_codes(
        (
            m.code
            for m in marks
            if (start is None or m.session_date >= start) and (end is None or m.session_date <= end)
        ),
        q_category,
    )


@dataclass(frozen=True)
class LearningLost:
    """Learning lost to lateness: minutes, and the equivalent school days and sessions."""

    minutes: int
    days: Fraction
    sessions: Fraction


def learning_lost(minutes_late: Iterable[int], minutes_per_day: int = MINUTES_PER_SCHOOL_DAY) -> LearningLost:
    """Total late minutes turned into school days and sessions lost."""
    total = 0
    for m in minutes_late:
        if m < 0:
            raise ValueError("minutes late cannot be negative")
        total += m
    days = Fraction(total, minutes_per_day)
    return LearningLost(total, days, days * 2)


def annual_learning_lost(
    average_minutes_late_per_day: int | Fraction,
    school_days: int = 190,
    minutes_per_day: int = MINUTES_PER_SCHOOL_DAY,
) -> Fraction:
    """School days lost in a year by arriving this many minutes late every day (5 a day is about 2.4 days)."""
    return Fraction(average_minutes_late_per_day) * school_days / minutes_per_day


def absence_by_weekday(
    marks: Iterable[Mark], q_category: CodeCategory = Q_DEFAULT_CATEGORY
) -> dict[int, Figures]:
    """Figures per weekday (0 = Monday .. 4 = Friday, plus any weekend day that has marks)."""
    codes: dict[int, list[str]] = {}
    for m in marks:
        codes.setdefault(m.session_date.weekday(), []).append(m.code)
    return {day: figures_from_codes(c, q_category) for day, c in sorted(codes.items())}


def absence_by_session(
    marks: Iterable[Mark], q_category: CodeCategory = Q_DEFAULT_CATEGORY
) -> dict[Session, Figures]:
    """Figures for morning and afternoon sessions separately."""
    codes: dict[Session, list[str]] = {Session.AM: [], Session.PM: []}
    for m in marks:
        codes[Session(m.session)].append(m.code)
    return {s: figures_from_codes(c, q_category) for s, c in codes.items()}


@dataclass(frozen=True)
class Trend:
    """Attendance in the first and second halves of a period and the direction between them."""

    direction: Direction
    first_half: Figures
    second_half: Figures
    change: Fraction | None


def trend(
    marks: Sequence[Mark],
    tolerance: Fraction | int = 1,
    q_category: CodeCategory = Q_DEFAULT_CATEGORY,
) -> Trend:
    """Compare attendance over the first and second halves of the possible sessions (by count, by date)."""
    ordered = sorted(
        (m for m in marks if get_code(m.code, q_category).counts_as_possible),
        key=lambda m: session_order(m.session_date, m.session),
    )
    half = len(ordered) // 2
    first = figures_from_codes((m.code for m in ordered[:half]), q_category)
    second = figures_from_codes((m.code for m in ordered[half:]), q_category)
    if first.attendance_rate is None or second.attendance_rate is None:
        return Trend(Direction.INSUFFICIENT_DATA, first, second, None)
    change = second.attendance_rate - first.attendance_rate
    if change > tolerance:
        direction = Direction.IMPROVING
    elif change < -tolerance:
        direction = Direction.DECLINING
    else:
        direction = Direction.STABLE
    return Trend(direction, first, second, change)


def project_end_of_year(
    to_date: Figures, remaining_possible: int, recent: Figures | None = None
) -> Fraction | None:
    """Attendance rate at year end if the remaining sessions go at the recent rate (default: rate so far)."""
    if remaining_possible < 0:
        raise ValueError("remaining possible sessions cannot be negative")
    basis = recent if recent is not None and recent.possible else to_date
    if basis.possible == 0:
        return None
    projected_attended = to_date.attended + Fraction(basis.attended, basis.possible) * remaining_possible
    return projected_attended * 100 / (to_date.possible + remaining_possible)


def sessions_to_reach(target_rate: Fraction | int, to_date: Figures, remaining_possible: int) -> int | None:
    """Fewest of the remaining sessions the pupil must attend to end the year at or above the target rate."""
    target = as_fraction(target_rate)
    total = to_date.possible + remaining_possible
    if total == 0:
        return None
    needed = target * total / 100 - to_date.attended
    whole = max(0, -(-needed.numerator // needed.denominator))
    return whole if whole <= remaining_possible else None
