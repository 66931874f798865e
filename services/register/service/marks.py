"""The attendance register: whole-session bulk marking, amendments with their history, and reading marks."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from services.register import repository
from services.register.domain.codes import (
    LATE_AFTER_CLOSE_CODE,
    LATE_CODE,
    NOT_ESTABLISHED_CODE,
    PLANNED_CLOSURE_CODE,
    CodeNotApplicable,
    UnknownCode,
    check_applicable,
    code_for_arrival,
    get_code,
    minutes_late,
    present_code,
)
from services.register.domain.figures import Figures, display_percent
from services.register.domain.leave import HOLIDAY_NOT_GRANTED_CODE, PART_TIME_CODE
from services.register.domain.school_age import academic_year_of, default_range, is_compulsory_school_age
from services.register.domain.sessions import Session
from services.register.exceptions import InvalidMarks, MarkAlreadyRecorded, MarkNotFound
from services.register.models import AttendanceMark, MarkAmendment, Pupil, School
from services.register.schemas import (
    AmendmentRequest,
    BulkMarksRequest,
    BulkMarksResult,
    HistoryEntry,
    MarkHistory,
)
from services.register.service import (
    access,
    admissions,
    arrival,
    calendar,
    events,
    leave_marks,
    part_time,
    tallies,
    thresholds,
)
from services.register.service.context import Register
from services.register.settings import RegisterSettings
from shared.auth import Identity
from shared.contracts.register import MarkView, PupilSummary, RegisterChangeKind, RegisterEventType, SessionName
from shared.db import utcnow
from shared.errors import Conflict, InvalidInput
from shared.unit_of_work import Db


@dataclass(frozen=True)
class ResolvedMark:
    pupil: Pupil
    code: str
    minutes_late: int | None


async def check_school_session(db: Db, school: School, session_date: date,
                               session_name: SessionName, today: date,
                               need_calendar: bool = True,
                               calendars: calendar.Calendars | None = None) -> tuple[bool, bool]:
    """Raise unless the school meets (or is closed as planned) for the session.

    Returns (planned closure, the school has a calendar for the year)."""
    if session_date > today:
        raise InvalidInput("Marks cannot be recorded for a future session.", field="session_date")
    planned = await calendar.planned_closure(db, school.urn, session_date, session_name.value)
    year = academic_year_of(session_date)
    school_calendar = await (calendars or calendar.Calendars(db)).of(school.urn, year)
    if school_calendar is None and need_calendar:
        # Without the year's terms a summer-holiday weekday would pass for a school day and count as possible.
        raise InvalidInput(f"{session_date.isoformat()} is in the {year}/{(year + 1) % 100:02d} school year, for "
                           "which this school has no calendar: enter its terms (PUT /api/v1/schools/"
                           f"{school.urn}/calendar/{year}) before recording its marks.", field="session_date")
    if school_calendar is None:
        meets = session_date.weekday() < 5
    else:
        meets = school_calendar.meets(session_date, Session(session_name.value))
    if not meets and not planned:
        raise InvalidInput(f"{session_date.isoformat()} is not a school day for this school.", field="session_date")
    return planned, school_calendar is not None


def _resolve_code(item_code: str | None, arrived_at: time | None, item_minutes: int | None, school: School,
                  session_name: SessionName) -> tuple[str, int | None]:
    """The code and minutes late of one mark, deriving /, L or U from an arrival time when one is given."""
    opens, closes = ((school.am_register_opens, school.am_register_closes) if session_name is SessionName.AM
                     else (school.pm_register_opens, school.pm_register_closes))
    if arrived_at is not None:
        derived = code_for_arrival(arrived_at, opens, closes, Session(session_name.value))
        if item_code is not None and get_code(item_code).code != derived:
            raise ValueError(f"arrival at {arrived_at.strftime('%H:%M')} gives {derived}, not {item_code}")
        late = minutes_late(arrived_at, opens) if derived in (LATE_CODE, LATE_AFTER_CLOSE_CODE) else None
        return derived, late
    if item_code is None:
        raise UnknownCode("give a code or an arrival time")
    code = get_code(item_code).code
    if code in ("/", "\\"):
        # The present code follows the session; MIS exports often use / for both.
        code = present_code(Session(session_name.value))
    if item_minutes is not None and code not in (LATE_CODE, LATE_AFTER_CLOSE_CODE):
        raise LookupError("minutes late only go with L or U")
    return code, item_minutes


async def record_session(db: Db, identity: Identity, school: School, session_date: date,
                         session_name: SessionName, request: BulkMarksRequest, today: date,
                         settings: RegisterSettings) -> BulkMarksResult:
    """Write a session's marks all or nothing; identical repeats change nothing, different codes are refused."""
    access.require_register_keeper(identity, school)
    calendars = calendar.Calendars(db)
    planned_closure, has_calendar = await check_school_session(db, school, session_date, session_name, today,
                                                               settings.marks_need_school_calendar, calendars)
    pupils = await repository.pupils.pupils_by_id(db, (m.pupil_id for m in request.marks))
    errors: list[dict[str, str]] = []
    resolved: list[ResolvedMark] = []
    seen: set[uuid.UUID] = set()
    part_timers = await part_time.pupils_with_agreement_for(
        db, {m.pupil_id for m in request.marks if m.code and m.code.strip().upper() == PART_TIME_CODE},
        session_date, session_name.value)
    # Most marks of a session are a bare code, whose meaning depends on the session alone: resolved once per code.
    plain_codes: dict[str, tuple[str, int | None]] = {}
    for i, item in enumerate(request.marks):
        pupil = pupils.get(item.pupil_id)
        if item.pupil_id in seen:
            errors.append({"field": f"marks[{i}].pupil_id", "message": "this pupil appears twice in the request"})
            continue
        seen.add(item.pupil_id)
        if pupil is None or pupil.school_urn != school.urn or not pupil.on_roll:
            errors.append({"field": f"marks[{i}].pupil_id", "message": "not on this school's roll"})
            continue
        if session_date < pupil.admission_date or (pupil.leaving_date and session_date > pupil.leaving_date):
            errors.append({"field": f"marks[{i}].pupil_id",
                           "message": "the pupil was not on roll on this date"})
            continue
        try:
            plain = item.code if item.arrived_at is None and item.minutes_late is None else None
            if plain is not None and plain in plain_codes:
                code, late = plain_codes[plain]
            else:
                code, late = _resolve_code(item.code, item.arrived_at, item.minutes_late, school, session_name)
                if plain is not None:
                    plain_codes[plain] = code, late
            check_applicable(code, is_compulsory_school_age(pupil.date_of_birth, session_date))
        except (UnknownCode, CodeNotApplicable) as exc:
            errors.append({"field": f"marks[{i}].code", "message": str(exc)})
            continue
        except LookupError as exc:
            errors.append({"field": f"marks[{i}].minutes_late", "message": str(exc)})
            continue
        except ValueError as exc:
            errors.append({"field": f"marks[{i}].arrived_at", "message": str(exc)})
            continue
        if code == PART_TIME_CODE and pupil.id not in part_timers:
            errors.append({"field": f"marks[{i}].code", "message": part_time.C2_OUTSIDE_AGREEMENT})
            continue
        if planned_closure and code != PLANNED_CLOSURE_CODE:
            errors.append({"field": f"marks[{i}].code", "message": "the school is closed as planned: use #"})
            continue
        if code == PLANNED_CLOSURE_CODE and has_calendar and not planned_closure:
            errors.append({"field": f"marks[{i}].code",
                           "message": "# is only for closures planned in the school calendar (Y4 if unexpected)"})
            continue
        resolved.append(ResolvedMark(pupil, code, late))
    if errors:
        raise InvalidMarks(f"{len(errors)} of the marks are invalid; nothing was recorded.", errors=errors)

    existing = await repository.marks.session_codes(db, pupils.keys(), session_date, session_name.value)
    conflicts = []
    new: list[ResolvedMark] = []
    for i, mark in enumerate(resolved):
        current = existing.get(mark.pupil.id)
        if current is None:
            new.append(mark)
        elif current[0] != mark.code or (current[1] or None) != (mark.minutes_late or None):
            conflicts.append({"field": f"marks[{i}].code",
                              "message": f"already recorded as {current[0]}; send an amendment to change it"})
    if conflicts:
        raise MarkAlreadyRecorded(
            f"{len(conflicts)} of these pupils already have a different mark for this session. Marks are "
            "changed only by an amendment (POST .../marks/{date}/{session}/amendments); nothing was recorded.",
            errors=conflicts)
    # Granted leave fills in its code for pupils on leave whom this request leaves out and nobody has marked yet.
    prefilled = [] if planned_closure else [
        ResolvedMark(pupil, code, None) for pupil, code in await leave_marks.leave_to_prefill(
            db, school, session_date, session_name.value, exclude=set(pupils))]
    pupils.update({m.pupil.id: m.pupil for m in prefilled})
    created = len(new)
    new += prefilled
    now = utcnow()
    position = access.actor_position(identity)
    await repository.marks.insert_session_marks(
        db, school.urn, session_date, session_name.value, repository.marks.Recorder(identity.name, position, now),
        [(m.pupil.id, m.code, m.minutes_late) for m in new])
    year = academic_year_of(session_date)
    applied = await tallies.apply_changes(db, school.urn, [(m.pupil.id, year, None, m.code) for m in new],
                                          settings)
    statutory = await thresholds.evaluate(
        db, school, thresholds.pupils_to_check([(m.pupil, None, m.code) for m in new]), session_date, settings,
        known=applied.tallies, calendars=calendars)
    await _emit_for_new_codes(db, school, session_date, session_name,
                              [(m.pupil, m.code) for m in new], applied.crossings, statutory, pupils)
    await arrival.report_did_not_arrive(db, school, session_date, [(m.pupil, m.code) for m in new], calendars)
    if new:
        events.emit_change(db, RegisterChangeKind.MARKS, school.urn, [m.pupil.id for m in new])
    return BulkMarksResult(session_date=session_date, session=session_name, created=created,
                           unchanged=len(resolved) - created, prefilled_from_leave=len(prefilled))


async def _emit_for_new_codes(db: Db, school: School, session_date: date, session_name: SessionName,
                              written: list[tuple[Pupil, str]], crossings: list[tallies.Crossing],
                              statutory: list[thresholds.ThresholdCrossing], pupils: dict[uuid.UUID, Pupil]) -> None:
    """Same-day unexplained absence for pupils someone must tell, PA/SA crossings and statutory thresholds newly
    crossed, into the outbox: one lookup of the pupils' professionals however many events."""
    absent_n = [p for p, code in written if code == NOT_ESTABLISHED_CODE]
    holiday = [p for p, code in written if code == HOLIDAY_NOT_GRANTED_CODE]
    interesting = ({p.id for p in absent_n + holiday} | {c.pupil_id for c in crossings}
                   | {c.pupil.id for c in statutory})
    if not interesting:
        return
    professionals = await repository.pupils.professionals_of(db, interesting)
    summaries: dict[uuid.UUID, PupilSummary] = {}

    def summary_of(pupil: Pupil) -> PupilSummary:
        if pupil.id not in summaries:
            summaries[pupil.id] = events.pupil_summary(pupil, school, professionals.get(pupil.id, set()),
                                                       session_date)
        return summaries[pupil.id]

    for pupil in absent_n:
        summary = summary_of(pupil)
        if events.needs_same_day_report(summary.flags):
            events.emit(db, RegisterEventType.UNEXPLAINED_ABSENCE, summary, session_date=session_date,
                        session=session_name, code=NOT_ESTABLISHED_CODE)
    for crossing in crossings:
        summary = summary_of(pupils[crossing.pupil_id])
        details = figures_details(crossing.figures, crossing.academic_year)
        for happened, event_type in ((crossing.became_severe, RegisterEventType.BECAME_SEVERELY_ABSENT),
                                     (crossing.became_persistent, RegisterEventType.BECAME_PERSISTENTLY_ABSENT),
                                     (crossing.left_severe, RegisterEventType.LEFT_SEVERE_ABSENCE),
                                     (crossing.left_persistent, RegisterEventType.LEFT_PERSISTENT_ABSENCE),
                                     (crossing.entered_at_risk, RegisterEventType.ENTERED_AT_RISK),
                                     (crossing.left_at_risk, RegisterEventType.LEFT_AT_RISK)):
            if happened:
                events.emit(db, event_type, summary, session_date=session_date, session=session_name,
                            details=details)
    for threshold in statutory:
        events.emit(db, threshold.event_type, summary_of(threshold.pupil), session_date=session_date,
                    details=threshold.details)
    await leave_marks.report_refused_leave_taken(db, [(p, HOLIDAY_NOT_GRANTED_CODE) for p in holiday],
                                                 session_date, session_name, summary_of)


def figures_details(figures: Figures, academic_year: int) -> dict[str, Any]:
    """The figures behind a crossing, as an event's details."""
    return {"academic_year": academic_year, "possible_sessions": figures.possible,
            "attended_sessions": figures.attended, "authorised_absence_sessions": figures.authorised,
            "unauthorised_absence_sessions": figures.unauthorised,
            "attendance_rate": display_percent(figures.attendance_rate),
            "absence_rate": display_percent(figures.absence_rate)}


async def amend(reg: Register, identity: Identity, pupil: Pupil, school: School, session_date: date,
                session_name: SessionName, request: AmendmentRequest, settings: RegisterSettings) -> MarkHistory:
    """Correct a mark: the original entry stays, the amendment records new code, reason, date, name, position."""
    db = reg.db
    access.require_register_keeper(identity, school)
    mark = await repository.marks.get_mark(db, pupil.id, session_date, session_name.value)
    if mark is None:
        raise MarkNotFound()
    try:
        new_code, late = _resolve_code(request.new_code, None, request.minutes_late, school, session_name)
        check_applicable(new_code, is_compulsory_school_age(pupil.date_of_birth, session_date))
    except (UnknownCode, CodeNotApplicable) as exc:
        raise InvalidInput(str(exc), field="new_code") from exc
    except LookupError as exc:
        raise InvalidInput(str(exc), field="minutes_late") from exc
    if new_code == PART_TIME_CODE and pupil.id not in await part_time.pupils_with_agreement_for(
            db, [pupil.id], session_date, session_name.value):
        raise InvalidInput(part_time.C2_OUTSIDE_AGREEMENT, field="new_code")
    if new_code == mark.code and (late or None) == (mark.minutes_late or None):
        raise Conflict(f"The mark is already {new_code}; there is nothing to amend.",
                       errors=[{"field": "new_code", "message": "same as the current mark"}])
    old_code = mark.code
    repository.add(db, MarkAmendment(
        mark_id=mark.id, original_code=old_code, original_minutes_late=mark.minutes_late, new_code=new_code,
        new_minutes_late=late, reason=request.reason, amended_at=utcnow(), amended_by_name=identity.name,
        amended_by_position=access.actor_position(identity)))
    mark.code = new_code
    mark.minutes_late = late
    mark.amendment_count += 1
    applied = await tallies.apply_changes(
        db, school.urn, [(pupil.id, academic_year_of(session_date), old_code, new_code)], settings)
    statutory = await thresholds.evaluate(db, school, thresholds.pupils_to_check([(pupil, old_code, new_code)]),
                                          session_date, settings,
                                          previous={pupil.id: {(session_date, session_name.value): old_code}},
                                          known=applied.tallies)
    await _emit_for_new_codes(db, school, session_date, session_name, [(pupil, new_code)], applied.crossings,
                              statutory, {pupil.id: pupil})
    events.emit_change(db, RegisterChangeKind.MARKS, school.urn, [pupil.id])
    await db.flush()
    result = await history(db, pupil, session_date, session_name)
    await reg.commit()
    return result


async def mark_history(reg: Register, identity: Identity, pupil_id: uuid.UUID, session_date: date,
                       session_name: SessionName) -> MarkHistory:
    """The original entry and every amendment of one mark, for someone who may read the pupil's record."""
    pupil, _ = await admissions.readable_pupil(reg, identity, pupil_id)
    return await history(reg.db, pupil, session_date, session_name)


async def record(reg: Register, identity: Identity, school: School, session_date: date, session_name: SessionName,
                 request: BulkMarksRequest, today: date) -> BulkMarksResult:
    """Record a session's marks (all or nothing) and commit them."""
    result = await record_session(reg.db, identity, school, session_date, session_name, request, today,
                                  reg.settings)
    await reg.commit()
    return result


async def history(db: Db, pupil: Pupil, session_date: date, session_name: SessionName) -> MarkHistory:
    """The original entry and every amendment of one mark, oldest first."""
    mark = await repository.marks.get_mark(db, pupil.id, session_date, session_name.value)
    if mark is None:
        raise MarkNotFound()
    amendments = await repository.marks.amendments_of(db, mark.id)
    original_code = amendments[0].original_code if amendments else mark.code
    original_late = amendments[0].original_minutes_late if amendments else mark.minutes_late
    entries = [HistoryEntry(kind="original", code=original_code, minutes_late=original_late,
                            at=mark.recorded_at, by_name=mark.recorded_by_name,
                            by_position=mark.recorded_by_role)]
    entries += [HistoryEntry(kind="amendment", code=a.new_code, minutes_late=a.new_minutes_late,
                             previous_code=a.original_code, reason=a.reason, at=a.amended_at,
                             by_name=a.amended_by_name, by_position=a.amended_by_position) for a in amendments]
    return MarkHistory(pupil_id=pupil.id, session_date=session_date, session=session_name, current_code=mark.code,
                       entries=entries)


def mark_view(mark: AttendanceMark) -> MarkView:
    return MarkView(session_date=mark.session_date, session=SessionName(mark.session), code=mark.code,
                    category=get_code(mark.code).category.value, minutes_late=mark.minutes_late,
                    amended=mark.amendment_count > 0)


async def marks_of(reg: Register, pupil: Pupil, from_date: date | None, to_date: date | None,
                   today: date) -> list[MarkView]:
    """The pupil's marks in the range (academic year to date unless the caller chose it)."""
    db = reg.db
    from_date, to_date = default_range(from_date, to_date, today, pupil.admission_date)
    if to_date < from_date:
        raise InvalidInput("The end of the range is before its start.", field="to")
    return [mark_view(m) for m in await repository.marks.marks_between(db, pupil.id, from_date, to_date)]
