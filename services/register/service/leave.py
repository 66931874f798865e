"""Leave of absence (2024 Regs reg 11, rules.md section 6): a parent's request, or the school recording one, with
the ground, dates and reasons, granted or refused by a person the proprietor authorises. Granted leave writes its
code into the register; refused leave taken anyway is G and tells casework (service/leave_marks.py)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from services.register import repository
from services.register.domain.codes import CONTINUOUS_ABSENCE_DELETION_CODES
from services.register.domain.leave import (
    HOLIDAY_NOT_GRANTED_CODE,
    LEAVE_CODES,
    LeaveGround,
    LeavePeriod,
    LeaveStatus,
    Requester,
    school_days_after,
)
from services.register.domain.sessions import Session
from services.register.models import LeaveRequest, Pupil, School
from services.register.schemas import BulkMarksRequest, MarkIn
from services.register.schemas.leave import LeaveDecisionIn, LeaveRequestIn, LeaveRequestView
from services.register.service import access, calendar, events, leave_marks, marks
from services.register.service.context import Register
from services.register.service.part_time import check_parent_lives_with_pupil
from services.register.settings import RegisterSettings
from shared.auth import Identity
from shared.contracts.register import SessionName
from shared.db import utcnow
from shared.errors import Conflict, InvalidInput, NotFound, OutOfScope
from shared.unit_of_work import Db

# The head decides how long; a request spanning more than a school year is a mistake, and would pre-fill a year.
MAX_LEAVE_DAYS = 366


def view(row: LeaveRequest, prefilled: int = 0) -> LeaveRequestView:
    return LeaveRequestView(
        id=row.id, pupil_id=row.pupil_id, ground=LeaveGround(row.ground), code=row.code, start_date=row.start_date,
        start_session=SessionName(row.start_session), end_date=row.end_date, end_session=SessionName(row.end_session),
        reasons=row.reasons, requested_by=Requester(row.requested_by), requester_name=row.requester_name,
        requested_on=row.requested_on, status=LeaveStatus(row.status), recorded_by_name=row.recorded_by_name,
        recorded_by_position=row.recorded_by_position, decided_at=row.decided_at,
        decided_by_name=row.decided_by_name, decided_by_position=row.decided_by_position,
        decision_notes=row.decision_notes, prefilled_sessions=prefilled)


async def record_request(reg: Register, identity: Identity, pupil: Pupil, school: School,
                         body: LeaveRequestIn, today: date) -> LeaveRequestView:
    """Record a request as made; it waits for a decision."""
    db = reg.db
    access.require_register_keeper(identity, school)
    if body.ground is LeaveGround.PART_TIME_TIMETABLE:
        raise InvalidInput("A part-time timetable (C2) is agreed with its times, dates and review date through "
                           "POST /api/v1/pupils/{id}/part-time-timetables.", field="ground")
    if not pupil.on_roll:
        raise Conflict("This pupil is no longer on the roll.")
    period = LeavePeriod(body.start_date, Session(body.start_session.value), body.end_date,
                         Session(body.end_session.value))
    try:
        period.check()
    except ValueError as exc:
        raise InvalidInput(f"The {exc}.", field="end_date") from exc
    if (body.end_date - body.start_date).days > MAX_LEAVE_DAYS:
        raise InvalidInput("Leave may span at most a year.", field="end_date")
    if body.start_date < pupil.admission_date:
        raise InvalidInput("The leave starts before the pupil was admitted.", field="start_date")
    requested_on = body.requested_on or today
    if requested_on > today:
        raise InvalidInput("A request cannot be dated in the future.", field="requested_on")
    if requested_on > body.start_date:
        # Reg 11: leave is applied for (and an interview or study leave requested or agreed) in advance.
        raise InvalidInput("Leave is applied for in advance: the request must be made by the day the leave starts.",
                           field="requested_on")
    if body.requested_by is Requester.PARENT:
        await check_parent_lives_with_pupil(db, pupil, body.requester_name, "requester_name")
    for other in await repository.leave.leave_requests_of(db, pupil.id):
        if other.status != LeaveStatus.REFUSED.value and _overlap(leave_marks.period_of(other), period):
            raise Conflict(f"This pupil already has leave {other.status} from {other.start_date.isoformat()} to "
                           f"{other.end_date.isoformat()} overlapping these dates.",
                           errors=[{"field": "start_date", "message": "overlaps other leave"}])
    row = LeaveRequest(
        pupil_id=pupil.id, school_urn=school.urn, ground=body.ground.value, code=LEAVE_CODES[body.ground],
        start_date=body.start_date, start_session=body.start_session.value, end_date=body.end_date,
        end_session=body.end_session.value, reasons=body.reasons, requested_by=body.requested_by.value,
        requester_name=body.requester_name, requested_on=requested_on, status=LeaveStatus.REQUESTED.value,
        recorded_at=utcnow(), recorded_by_name=identity.name, recorded_by_position=access.actor_position(identity))
    return await reg.keep(row, view)


def _overlap(a: LeavePeriod, b: LeavePeriod) -> bool:
    return a.covers(b.start_date, b.start_session) or b.covers(a.start_date, a.start_session)


async def decide(reg: Register, identity: Identity, pupil: Pupil, school: School, leave_id: uuid.UUID,
                 body: LeaveDecisionIn, today: date, settings: RegisterSettings) -> LeaveRequestView:
    """Grant or refuse, by a person the proprietor authorises (a setting); granting pre-fills the sessions of the
    leave up to today that are not yet marked, refusing reports any G already recorded inside it."""
    db = reg.db
    access.require_register_keeper(identity, school)
    if identity.role not in settings.leave_decider_roles:
        allowed = ", ".join(role.label.lower() for role in settings.leave_decider_roles)
        raise OutOfScope(f"Only a person the proprietor authorises ({allowed}) may grant or refuse leave.")
    row = await repository.leave.get_leave_request(db, leave_id)
    if row is None or row.pupil_id != pupil.id:
        raise NotFound("No such leave request for this pupil.")
    if body.decision is LeaveStatus.REQUESTED:
        raise InvalidInput("Decide granted or refused.", field="decision")
    if row.status != LeaveStatus.REQUESTED.value:
        raise Conflict(f"This request was already {row.status}.")
    if not pupil.on_roll:
        raise Conflict("This pupil is no longer on the roll.")
    row.status, row.decided_at, row.decided_by_name = body.decision.value, utcnow(), identity.name
    row.decided_by_position, row.decision_notes = access.actor_position(identity), body.notes
    await db.flush()
    prefilled = 0
    if body.decision is LeaveStatus.GRANTED:
        prefilled = await prefill(db, identity, pupil, school, row, today, settings)
    else:
        await _report_holiday_already_marked(db, pupil, school, row, today)
    await db.flush()
    result = view(row, prefilled)
    await reg.commit()
    return result


async def prefill(db: Db, identity: Identity, pupil: Pupil, school: School, row: LeaveRequest,
                  today: date, settings: RegisterSettings) -> int:
    """Write the leave's code for its sessions up to today that are not yet marked, session by session through
    bulk marking (so tallies, thresholds and events follow). Later sessions are filled as their registers are
    taken. Marked sessions are left alone: a change to them is an amendment, which keeps the history."""
    last = min(row.end_date, today)
    start = max(row.start_date, pupil.admission_date)
    if last < start:
        return 0
    timetable = await calendar.meeting_timetable(db, school.urn, start, last)
    marked = {(m.session_date, m.session) for m in await repository.marks.marks_between(db, pupil.id, start, last)}
    written = 0
    for day, session_name in leave_marks.period_of(row).sessions(timetable.sessions):
        if (day, session_name.value) in marked:
            continue
        result = await marks.record_session(
            db, identity, school, day, SessionName(session_name.value),
            BulkMarksRequest(marks=[MarkIn(pupil_id=pupil.id, code=row.code)]), today, settings)
        written += result.created
    return written


async def _report_holiday_already_marked(db: Db, pupil: Pupil, school: School, row: LeaveRequest,
                                         today: date) -> None:
    """The school may have marked G before the refusal was recorded: the leave was taken all the same."""
    last = min(row.end_date, today)
    if last < row.start_date:
        return
    period = leave_marks.period_of(row)
    holiday = [m for m in await repository.marks.marks_between(db, pupil.id, row.start_date, last)
               if m.code == HOLIDAY_NOT_GRANTED_CODE and period.covers(m.session_date, m.session)]
    if not holiday:
        return
    professionals = await repository.pupils.professionals_of(db, [pupil.id])
    summary = events.pupil_summary(pupil, school, professionals.get(pupil.id, set()), today)
    first = holiday[0]
    await leave_marks.report_refused_leave_taken(db, [(pupil, HOLIDAY_NOT_GRANTED_CODE)], first.session_date,
                                                 first.session, lambda _: summary)


async def requests_of(reg: Register, identity: Identity, pupil: Pupil,
                      school: School) -> list[LeaveRequestView]:
    db = reg.db
    access.require_pupil_reader(identity, pupil, school)
    return [view(r) for r in await repository.leave.leave_requests_of(db, pupil.id)]


async def check_failed_to_return(db: Db, pupil: Pupil, today: date, return_days: int) -> None:
    """Ground 9(1)(h): a period of leave existed, and the school days (its calendar) after it ended have run to
    `return_days` before today; the register must not show the pupil back since (only G, N or O)."""
    leave = await repository.leave.last_granted_leave_ended_before(db, pupil.id, today)
    if leave is None:
        raise InvalidInput("Ground 9(1)(h) needs a period of leave of absence granted to the pupil that has ended; "
                           "the register records none.", field="ground")
    after = leave.end_date + timedelta(days=1)
    timetable = await calendar.meeting_timetable(db, pupil.school_urn, after, today)
    passed = school_days_after(timetable.school_days, leave.end_date, today)
    if passed < return_days:
        raise InvalidInput(
            f"The leave ended on {leave.end_date.isoformat()}; {passed} school days have passed since, and ground "
            f"9(1)(h) needs {return_days}.", field="ground")
    if after <= today:
        back = [m for m in await repository.marks.marks_between(db, pupil.id, after, today)
                if m.code not in CONTINUOUS_ABSENCE_DELETION_CODES]
        if back:
            first = back[0]
            raise InvalidInput(
                f"The register shows code {first.code} on {first.session_date.isoformat()} after the leave ended: "
                "the pupil is not recorded as failing to return.", field="ground")
