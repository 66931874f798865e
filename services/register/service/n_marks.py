"""Sessions that carried N (reason not yet established) against the limit for replacing it, for the LA's
compliance view (rules.md s3: N is temporary and must be replaced within 5 school days, the register setting
`unresolved_n_school_days`).

One record per session that carried N at some time. When a session went to N more than once (N, then O, then
N again), the record is its latest spell as N: the reason was not established until that spell ended.
Pupils who have since left are included, because the school's duty to resolve the mark did not end with them.

School days come from each school year's calendar, or every weekday in a year without one, as marks are taken and
as the register extract counts them; the deadline is then counted as the unresolved-n follow-up list counts it.

The same-day alert is the unexplained-absence event register raised for the session: when a mark is recorded as N
and when a mark is amended to N, for a pupil with a social worker or youth justice worker or who is looked after.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from services.register import repository
from services.register.domain.calendar import Timetable
from services.register.domain.codes import NOT_ESTABLISHED_CODE
from services.register.domain.sessions import Session
from services.register.models import AttendanceMark, MarkAmendment, OutboxEvent, School
from services.register.service import calendar
from services.register.service.context import Register
from services.register.service.extract import school_days, school_year_of
from shared.contracts.notifications import RecipientRole
from shared.contracts.register import NMarkRecord, NResolutionOutcome, RegisterEventType, SessionName
from shared.errors import InvalidInput
from shared.unit_of_work import Db

LONDON = ZoneInfo("Europe/London")
# One year, a leap year included: the compliance view covers a school year at most.
MAX_RANGE_DAYS = 366
# More than the longest break between two school days (the summer holiday). A longer stretch without one means
# the calendar stops short; the calendar is read this far past the range so the last deadlines fall inside it.
LONGEST_BREAK = timedelta(weeks=9)
# The same flags that decide who the journey tells of an unexplained absence on the first day.
SAME_DAY_RECIPIENTS = (("has_social_worker", RecipientRole.SOCIAL_WORKER),
                       ("has_youth_justice_worker", RecipientRole.YOUTH_JUSTICE_WORKER),
                       ("looked_after", RecipientRole.VIRTUAL_SCHOOL_HEAD))

SessionKey = tuple[uuid.UUID, date, str]


@dataclass(frozen=True)
class NSpell:
    """A stretch of a session carrying N: from when it became N to the amendment that replaced it, if any."""

    began_at: datetime
    ended_at: datetime | None = None
    replaced_by: str | None = None


def n_spells(mark: AttendanceMark, amendments: list[MarkAmendment]) -> list[NSpell]:
    """Every spell of the mark as N, oldest first; `amendments` oldest first."""
    first_code = amendments[0].original_code if amendments else mark.code
    spells: list[NSpell] = []
    began = mark.recorded_at if first_code == NOT_ESTABLISHED_CODE else None
    for a in amendments:
        if a.new_code == NOT_ESTABLISHED_CODE and a.original_code != NOT_ESTABLISHED_CODE:
            began = a.amended_at
        elif a.original_code == NOT_ESTABLISHED_CODE and a.new_code != NOT_ESTABLISHED_CODE and began is not None:
            spells.append(NSpell(began, a.amended_at, a.new_code))
            began = None
    if began is not None:
        spells.append(NSpell(began))
    return spells


def resolve_by(days: Timetable, session_date: date, limit: int) -> date:
    """The `limit`-th school day after the session (Timetable.school_days_after, as GET /schools/{urn}/unresolved-n
    counts it).

    Where the school's calendar stops short (a later term not entered yet: no school day for longer than any
    holiday), the days after its last school day count as weekdays, as in a school year without a calendar. The
    deadline then errs early rather than never coming, whatever range was asked for, and entering the calendar
    corrects it (records are worked out on every read)."""
    limit = max(limit, 0)
    try:
        deadline = days.school_days_after(session_date, limit)
    except ValueError:
        deadline = None
    counted, day = 0, session_date
    for school_day in days.school_days_between(session_date + timedelta(days=1), deadline or date.max):
        if school_day - day > LONGEST_BREAK:
            break
        counted, day = counted + 1, school_day
    while counted < limit:
        day += timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return day


def outcome(spell: NSpell, deadline: date, today: date) -> NResolutionOutcome:
    if spell.ended_at is not None:
        # The limit is in English school days, so the replacement counts on its English date.
        in_time = spell.ended_at.astimezone(LONDON).date() <= deadline
        return NResolutionOutcome.RESOLVED_IN_TIME if in_time else NResolutionOutcome.RESOLVED_LATE
    return NResolutionOutcome.OPEN_IN_TIME if today <= deadline else NResolutionOutcome.OPEN_OVERDUE


def check_range(from_date: date, to_date: date) -> None:
    if to_date < from_date:
        raise InvalidInput("The end of the range is before its start.", field="to")
    if (to_date - from_date).days + 1 > MAX_RANGE_DAYS:
        raise InvalidInput(f"The range may cover at most {MAX_RANGE_DAYS} days.", field="to")


async def school_days_timetable(db: Db, school_urn: str, from_date: date, to_date: date,
                                limit: int) -> Timetable:
    """The school's days from the range's start to past the last deadline: each school year's calendar, or
    every weekday in a year without one (as when marks are taken and as the register extract counts)."""
    horizon = to_date + LONGEST_BREAK + timedelta(weeks=max(limit, 0) // 5 + 1)
    calendars = {year: await calendar.school_calendar(db, school_urn, year)
                 for year in range(school_year_of(from_date), school_year_of(horizon) + 1)}
    return Timetable((day, s) for day in school_days(calendars, from_date, horizon) for s in Session)


def _alerts_by_session(events: list[OutboxEvent]) -> dict[SessionKey, list[OutboxEvent]]:
    found: dict[SessionKey, list[OutboxEvent]] = defaultdict(list)
    for event in events:
        payload = event.payload or {}
        try:
            day = date.fromisoformat(str(payload["session_date"]))
        except (KeyError, TypeError, ValueError):
            continue
        if event.pupil_id is not None and payload.get("session"):
            found[(event.pupil_id, day, str(payload["session"]))].append(event)
    return found


def _alert_for(spell: NSpell, first_spell: bool, alerts: list[OutboxEvent]) -> OutboxEvent | None:
    """The event raised when the session became N this time (`alerts` oldest first). The first spell takes the
    session's first event whatever its time, so clocks a moment apart cannot lose it."""
    for event in alerts:
        if first_spell or event.created_at >= spell.began_at:
            return event
    return None


def _recipients(event: OutboxEvent) -> list[str]:
    pupil: dict[str, Any] = (event.payload or {}).get("pupil") or {}
    flags: dict[str, Any] = pupil.get("flags") or {}
    return [role.value for flag, role in SAME_DAY_RECIPIENTS if flags.get(flag)]


async def n_marks(reg: Register, school: School, from_date: date, to_date: date, today: date,
                  limit: int) -> list[NMarkRecord]:
    """Every session of the school from from_date to to_date that carried N, in session order."""
    db = reg.db
    check_range(from_date, to_date)
    marks = await repository.marks.marks_that_carried(db, school.urn, NOT_ESTABLISHED_CODE, from_date, to_date)
    if not marks:
        return []
    events = await repository.marks.session_events_of_marks_that_carried(
        db, RegisterEventType.UNEXPLAINED_ABSENCE.value, school.urn, NOT_ESTABLISHED_CODE, from_date, to_date)
    alerts = _alerts_by_session(list(events))
    days = await school_days_timetable(db, school.urn, from_date, to_date, limit)
    records = []
    for mark, amendments in marks:
        spells = n_spells(mark, amendments)
        if not spells:
            continue
        spell = spells[-1]
        deadline = resolve_by(days, mark.session_date, limit)
        alert = _alert_for(spell, len(spells) == 1, alerts.get((mark.pupil_id, mark.session_date, mark.session), []))
        records.append(NMarkRecord(
            pupil_id=mark.pupil_id, session_date=mark.session_date, session=SessionName(mark.session),
            recorded_at=spell.began_at, current_code=mark.code, resolved_at=spell.ended_at,
            resolved_code=spell.replaced_by, resolve_by=deadline, outcome=outcome(spell, deadline, today),
            same_day_alert_raised_at=alert.created_at if alert else None,
            same_day_recipients=_recipients(alert) if alert else []))
    return records
