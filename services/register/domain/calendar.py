"""School calendar: terms, half-terms and planned closures, giving school days, school weeks and sessions."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from services.register.domain.sessions import Session

WEEKDAYS = frozenset(range(5))


class InvalidCalendar(ValueError):
    """The calendar's terms, half-terms or closures are inconsistent."""


def week_start(d: date) -> date:
    """Monday of the (Monday to Sunday) week containing the date."""
    return d - timedelta(days=d.weekday())


@dataclass(frozen=True)
class Term:
    """A term from its first to its last day (inclusive), with an optional half-term break inside it."""

    name: str
    start: date
    end: date
    half_term_start: date | None = None
    half_term_end: date | None = None

    def in_half_term(self, d: date) -> bool:
        """True when the date falls in this term's half-term break."""
        if self.half_term_start is None or self.half_term_end is None:
            return False
        return self.half_term_start <= d <= self.half_term_end

    def halves(self) -> tuple[tuple[str, date, date], ...]:
        """The term's half-terms as (name, first day, last day); the whole term when it has no break."""
        if self.half_term_start is None or self.half_term_end is None:
            return ((self.name, self.start, self.end),)
        return (
            (f"{self.name} 1", self.start, self.half_term_start - timedelta(days=1)),
            (f"{self.name} 2", self.half_term_end + timedelta(days=1), self.end),
        )


@dataclass(frozen=True)
class Closure:
    """A planned closure (recorded as #): a whole day, or one session when session is given."""

    closure_date: date
    session: Session | None = None
    reason: str = ""


class Timetable:
    """The ordered sessions a school (or several schools or years) meets, basis of school days and weeks."""

    def __init__(self, sessions: Iterable[tuple[date, Session]]) -> None:
        by_day: dict[date, set[Session]] = {}
        for day, session in sessions:
            by_day.setdefault(day, set()).add(Session(session))
        self._days: tuple[date, ...] = tuple(sorted(by_day))
        self._sessions_by_day: dict[date, tuple[Session, ...]] = {
            d: tuple(s for s in (Session.AM, Session.PM) if s in by_day[d]) for d in self._days
        }
        self._weeks: tuple[date, ...] = tuple(sorted({week_start(d) for d in self._days}))
        self._sessions: tuple[tuple[date, Session], ...] | None = None

    @property
    def school_days(self) -> tuple[date, ...]:
        """Every day on which the school meets for at least one session, in order."""
        return self._days

    @property
    def sessions(self) -> tuple[tuple[date, Session], ...]:
        """Every (date, session) the school meets, in order."""
        # Built once: a session's threshold checks ask one school's timetable for it once per pupil.
        if self._sessions is None:
            self._sessions = tuple((d, s) for d in self._days for s in self._sessions_by_day[d])
        return self._sessions

    @property
    def school_weeks(self) -> tuple[date, ...]:
        """Mondays of every week with at least one session (holiday weeks are not school weeks)."""
        return self._weeks

    def __len__(self) -> int:
        return len(self._days)

    def sessions_on(self, d: date) -> tuple[Session, ...]:
        """The sessions the school meets on a date (empty when it is not a school day)."""
        return self._sessions_by_day.get(d, ())

    def meets(self, d: date, session: Session | str) -> bool:
        """True when the school meets for that session."""
        return Session(session) in self.sessions_on(d)

    def is_school_day(self, d: date) -> bool:
        """True when the school meets for at least one session that day."""
        return d in self._sessions_by_day

    def is_school_week(self, d: date) -> bool:
        """True when the week containing the date has at least one session."""
        monday = week_start(d)
        i = bisect_left(self._weeks, monday)
        return i < len(self._weeks) and self._weeks[i] == monday

    def school_days_between(self, start: date, end: date) -> tuple[date, ...]:
        """School days from start to end inclusive."""
        return self._days[bisect_left(self._days, start) : bisect_right(self._days, end)]

    def count_school_days(self, start: date, end: date) -> int:
        """Number of school days from start to end inclusive."""
        return bisect_right(self._days, end) - bisect_left(self._days, start)

    def school_days_after(self, d: date, n: int) -> date:
        """The n-th school day after the date (not counting the date itself); n=0 gives the date's own day."""
        if n < 0:
            raise ValueError("n must not be negative")
        if n == 0:
            return d
        i = bisect_right(self._days, d) + n - 1
        if i >= len(self._days):
            raise ValueError(f"the calendar does not reach {n} school days after {d.isoformat()}")
        return self._days[i]

    def last_school_day_on_or_before(self, d: date) -> date | None:
        """The latest school day not after the date, or None."""
        i = bisect_right(self._days, d)
        return self._days[i - 1] if i else None

    def next_school_day_after(self, d: date) -> date | None:
        """The first school day after the date, or None."""
        i = bisect_right(self._days, d)
        return self._days[i] if i < len(self._days) else None

    def school_weeks_up_to(self, d: date, count: int) -> tuple[date, ...]:
        """The last `count` school weeks up to and including the week containing the date (oldest first)."""
        i = bisect_right(self._weeks, week_start(d))
        return self._weeks[max(0, i - count) : i]

    def union(self, *others: Timetable) -> Timetable:
        """A timetable of every session in this and the other timetables (across years or schools)."""
        sessions: list[tuple[date, Session]] = list(self.sessions)
        for other in others:
            sessions.extend(other.sessions)
        return Timetable(sessions)


class SchoolCalendar(Timetable):
    """One academic year of a school: terms with half-terms and planned closures (weekends never meet)."""

    def __init__(
        self,
        academic_year: int,
        terms: Sequence[Term],
        closures: Sequence[Closure] = (),
        meeting_weekdays: frozenset[int] = WEEKDAYS,
    ) -> None:
        self.academic_year = academic_year
        self.terms = tuple(sorted(terms, key=lambda t: t.start))
        self.closures = tuple(closures)
        self._validate()
        closed: dict[date, set[Session]] = {}
        for c in self.closures:
            closed.setdefault(c.closure_date, set()).update(
                (Session.AM, Session.PM) if c.session is None else (Session(c.session),)
            )
        sessions: list[tuple[date, Session]] = []
        for term in self.terms:
            d = term.start
            while d <= term.end:
                if d.weekday() in meeting_weekdays and not term.in_half_term(d):
                    sessions.extend((d, s) for s in (Session.AM, Session.PM) if s not in closed.get(d, ()))
                d += timedelta(days=1)
        super().__init__(sessions)

    def _validate(self) -> None:
        first, last = date(self.academic_year, 8, 1), date(self.academic_year + 1, 8, 31)
        if not self.terms:
            raise InvalidCalendar("a school calendar needs at least one term")
        previous_end: date | None = None
        for term in self.terms:
            if term.end < term.start:
                raise InvalidCalendar(f"term {term.name!r} ends before it starts")
            if term.start < first or term.end > last:
                raise InvalidCalendar(f"term {term.name!r} is outside academic year {self.academic_year}")
            if previous_end is not None and term.start <= previous_end:
                raise InvalidCalendar(f"term {term.name!r} overlaps the previous term")
            previous_end = term.end
            if (term.half_term_start is None) != (term.half_term_end is None):
                raise InvalidCalendar(f"term {term.name!r} needs both a half-term start and end")
            if term.half_term_start is not None and term.half_term_end is not None:
                if not term.start < term.half_term_start <= term.half_term_end < term.end:
                    raise InvalidCalendar(f"half-term of {term.name!r} must fall inside the term")
        for c in self.closures:
            if not any(t.start <= c.closure_date <= t.end for t in self.terms):
                raise InvalidCalendar(f"closure on {c.closure_date.isoformat()} is not in a term")

    @property
    def first_day(self) -> date:
        """First school day of the year."""
        if not self.school_days:
            raise InvalidCalendar("the calendar has no school days")
        return self.school_days[0]

    @property
    def last_day(self) -> date:
        """Last school day of the year."""
        if not self.school_days:
            raise InvalidCalendar("the calendar has no school days")
        return self.school_days[-1]

    def half_terms(self) -> tuple[tuple[str, date, date], ...]:
        """Every half-term of the year as (name, first day, last day)."""
        return tuple(half for term in self.terms for half in term.halves())

    def term_of(self, d: date) -> Term | None:
        """The term containing the date (half-terms included), or None in the holidays."""
        return next((t for t in self.terms if t.start <= d <= t.end), None)

    def break_edges(self) -> tuple[tuple[date, date], ...]:
        """(last school day before, first school day after) for every break of more than a weekend."""
        edges = []
        days = self.school_days
        for before, after in zip(days, days[1:], strict=False):
            gap = (after - before).days
            if gap > 3 or (gap > 1 and before.weekday() != 4):
                edges.append((before, after))
        return tuple(edges)
