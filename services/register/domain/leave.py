"""Leave of absence (2024 Regs reg 11) and temporary part-time timetables, as pure rules (rules.md section 6)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from services.register.domain.sessions import Session


class LeaveGround(StrEnum):
    """The grounds on which a person the proprietor authorises may grant leave, each with its register code."""

    EXCEPTIONAL_CIRCUMSTANCES = "exceptional_circumstances"
    REGULATED_PERFORMANCE_OR_EMPLOYMENT_ABROAD = "regulated_performance_or_employment_abroad"
    INTERVIEW = "interview"
    STUDY_LEAVE = "study_leave"
    PART_TIME_TIMETABLE = "part_time_timetable"


LEAVE_CODES: dict[LeaveGround, str] = {
    LeaveGround.EXCEPTIONAL_CIRCUMSTANCES: "C",
    LeaveGround.REGULATED_PERFORMANCE_OR_EMPLOYMENT_ABROAD: "C1",
    LeaveGround.INTERVIEW: "J1",
    LeaveGround.STUDY_LEAVE: "S",
    LeaveGround.PART_TIME_TIMETABLE: "C2",
}
PART_TIME_CODE = "C2"
# Absence without leave for a holiday: the code a refused request becomes when the leave is taken anyway.
HOLIDAY_NOT_GRANTED_CODE = "G"
# Reg 9(1)(h): the pupil has failed to return within 10 school days after the end of a period of leave.
RETURN_SCHOOL_DAYS = 10


class LeaveStatus(StrEnum):
    REQUESTED = "requested"
    GRANTED = "granted"
    REFUSED = "refused"


class Requester(StrEnum):
    PARENT = "parent"
    SCHOOL = "school"


class Weekday(StrEnum):
    MONDAY = "monday"
    TUESDAY = "tuesday"
    WEDNESDAY = "wednesday"
    THURSDAY = "thursday"
    FRIDAY = "friday"

    @property
    def number(self) -> int:
        return list(Weekday).index(self)


@dataclass(frozen=True)
class LeavePeriod:
    """From the first session to the last, both included (an interview may take one afternoon)."""

    start_date: date
    start_session: Session
    end_date: date
    end_session: Session

    def check(self) -> None:
        """Raise ValueError when the period ends before it starts."""
        if (self.end_date, _order(self.end_session)) < (self.start_date, _order(self.start_session)):
            raise ValueError("the leave ends before it starts")

    def covers(self, day: date, session: Session | str) -> bool:
        moment = (day, _order(Session(session)))
        return (self.start_date, _order(self.start_session)) <= moment <= (self.end_date, _order(self.end_session))

    def sessions(self, meeting: Iterable[tuple[date, Session]]) -> list[tuple[date, Session]]:
        """The sessions of the period among those the school meets, in order."""
        return sorted((d, s) for d, s in meeting if self.covers(d, s))


def _order(session: Session) -> int:
    return 0 if session is Session.AM else 1


@dataclass(frozen=True)
class PartTimeAgreement:
    """A temporary part-time timetable: the sessions, by weekday, the pupil is not expected in school, from its
    start to its end date."""

    start_date: date
    end_date: date
    absent_sessions: frozenset[tuple[Weekday, Session]]

    def covers(self, day: date, session: Session | str) -> bool:
        """True when C2 may be recorded for the session: inside the dates, on a session agreed as not attended."""
        if not self.start_date <= day <= self.end_date or day.weekday() > 4:
            return False
        return (list(Weekday)[day.weekday()], Session(session)) in self.absent_sessions


def due_for_review(review_date: date, end_date: date, today: date, within_days: int) -> bool:
    """An agreement still running whose review date has passed or falls within the notice period."""
    return end_date >= today and review_date <= today + timedelta(days=within_days)


def school_days_after(school_days: Sequence[date], after: date, before: date) -> int:
    """How many of the school days fall strictly between two dates."""
    return sum(1 for d in school_days if after < d < before)

