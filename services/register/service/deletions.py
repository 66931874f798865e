"""Deletions from the admission register, only on a regulation 9 ground (rules.md section 7): recorded with
ground, date and details, announced (PENDING_DELETION) before they happen, never backdated."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from services.register import repository
from services.register.domain.calendar import Timetable
from services.register.domain.codes import CONTINUOUS_ABSENCE_DELETION_CODES
from services.register.domain.leave import RETURN_SCHOOL_DAYS
from services.register.domain.school_age import is_compulsory_school_age
from services.register.domain.sessions import Mark, Session
from services.register.domain.thresholds import continuous_absence
from services.register.models import Pupil, PupilDeletion, School
from services.register.schemas import DeletionRequest, DeletionView
from services.register.service import access, calendar, events, leave
from services.register.service.context import Register
from shared.auth import Identity
from shared.contracts.register import PupilSummary, RegisterEventType
from shared.db import utcnow
from shared.errors import Conflict, InvalidInput, NotFound
from shared.unit_of_work import Db

GROUNDS = {
    "9(1)(a)": "Registered at another school",
    "9(1)(b)": "Did not continue after nursery education at the school",
    "9(1)(c)": "Also registered elsewhere and the other school(s) consent",
    "9(1)(d)": "School attendance order amended to name another school",
    "9(1)(e)": "School attendance order revoked: suitable education arranged otherwise",
    "9(1)(f)": "Parent notified the school in writing of education otherwise than at school",
    "9(1)(g)": "No longer ordinarily lives within reasonable distance of the school",
    "9(1)(h)": "Failed to return within 10 school days after a period of leave; not located",
    "9(1)(i)": "Continuously absent for at least 20 school days; not located after reasonable enquiries",
    "9(1)(j)": "Detained under a sentence of detention; not expected to return",
    "9(1)(k)": "The pupil has died",
    "9(1)(l)": "Will cease to be of compulsory school age before the school next meets and will not continue",
    "9(1)(m)": "Boarder whose boarding fees are unpaid",
    "9(1)(n)": "Ceased to be a pupil of an independent or non-maintained special school",
    "9(1)(o)": "Permanently excluded",
    "9(3)": "Pupil not of compulsory school age who has stopped attending (reg 9(3))",
}
# Grounds that rest on absence the register itself must show (school days, coded G, N or O throughout).
ABSENCE_GROUNDS = {"9(1)(i)": 20}
# 9(1)(h) rests on a period of leave the register records, and the school days since it ended.
FAILED_TO_RETURN_GROUND = "9(1)(h)"
# Grounds that mean the school and the LA failed to locate the pupil: whatever is given, no known destination.
NOT_LOCATED_GROUNDS = ("9(1)(h)", "9(1)(i)")
UNKNOWN_DESTINATION = "unknown"


def destination_known(ground: str, destination: str | None) -> bool:
    """Whether the deletion records where the pupil goes (not recorded counts as known, except on a not-located
    ground): a deletion with no known destination is a child who may be missing education."""
    if ground in NOT_LOCATED_GROUNDS:
        return False
    return (destination or "").strip().casefold() != UNKNOWN_DESTINATION


def _view(row: PupilDeletion) -> DeletionView:
    return DeletionView(id=row.id, pupil_id=row.pupil_id, ground=row.ground, ground_summary=GROUNDS[row.ground],
                        deletion_date=row.deletion_date, details=row.details, status=row.status,
                        recorded_by_name=row.recorded_by_name, recorded_by_position=row.recorded_by_position,
                        new_school_urn=row.new_school_urn, new_school_laestab=row.new_school_laestab,
                        new_school_name=row.new_school_name,
                        destination=row.destination, destination_known=destination_known(row.ground, row.destination))


def _destination_details(row: PupilDeletion) -> dict[str, str | bool | None]:
    return {"destination": row.destination, "destination_known": destination_known(row.ground, row.destination)}


async def _check_absence_ground(db: Db, pupil: Pupil, ground: str, today: date) -> None:
    needed = ABSENCE_GROUNDS[ground]
    rows = await repository.marks.marks_between(db, pupil.id, today - timedelta(weeks=26), today)
    marks = [Mark(m.session_date, Session(m.session), m.code) for m in rows]
    timetable = await calendar.timetable_between(db, pupil.school_urn, today - timedelta(weeks=26), today)
    table = timetable or Timetable((m.session_date, m.session) for m in marks)
    run = continuous_absence(marks, table, today, CONTINUOUS_ABSENCE_DELETION_CODES)
    if run.days < needed:
        raise InvalidInput(
            f"The register shows {run.days} continuous school days of absence coded G, N or O; ground {ground} "
            f"needs at least {needed}.", field="ground")


async def request_deletion(reg: Register, identity: Identity, pupil: Pupil, school: School,
                           body: DeletionRequest, today: date) -> DeletionView:
    """Record a deletion on a ground; tell casework first; delete at once if the date is today."""
    db = reg.db
    access.require_register_keeper(identity, school)
    ground = body.ground.strip().replace(" ", "")
    if ground not in GROUNDS:
        raise InvalidInput("Give a regulation 9 ground such as 9(1)(f); pupils may be deleted only on one.",
                           field="ground")
    csa = is_compulsory_school_age(pupil.date_of_birth, today)
    if csa and ground == "9(3)":
        raise InvalidInput("Ground 9(3) applies only to pupils not of compulsory school age.", field="ground")
    if body.deletion_date < today:
        raise InvalidInput("A pupil cannot be deleted retrospectively: the date must be today or later.",
                           field="deletion_date")
    if not pupil.on_roll:
        raise Conflict("This pupil is no longer on the roll.")
    if await repository.pupils.deletion_pending(db, pupil.id):
        raise Conflict("A deletion is already pending for this pupil.")
    if ground == FAILED_TO_RETURN_GROUND:
        await leave.check_failed_to_return(db, pupil, today, RETURN_SCHOOL_DAYS)
    if ground in ABSENCE_GROUNDS:
        await _check_absence_ground(db, pupil, ground, today)
    destination = body.destination.strip() if body.destination else None
    if body.destination is not None and not destination:
        raise InvalidInput("Give the new school's URN or name, or \"unknown\".", field="destination")
    if destination and destination.casefold() == UNKNOWN_DESTINATION:
        destination = UNKNOWN_DESTINATION
    row = PupilDeletion(pupil_id=pupil.id, ground=ground, deletion_date=body.deletion_date, details=body.details,
                        destination=destination, status="pending", recorded_at=utcnow(), recorded_by_name=identity.name,
                        recorded_by_position=access.actor_position(identity), new_school_urn=body.new_school_urn,
                        new_school_laestab=body.new_school_laestab, new_school_name=body.new_school_name)
    repository.add(db, row)
    professionals = await repository.pupils.professionals_of(db, [pupil.id])
    summary = events.pupil_summary(pupil, school, professionals.get(pupil.id, set()), today)
    details = {"ground": ground, "ground_summary": GROUNDS[ground], "deletion_date": body.deletion_date.isoformat(),
               **_destination_details(row)}
    events.emit(db, RegisterEventType.PENDING_DELETION, summary, details=details)
    if body.deletion_date == today:
        _complete(db, row, pupil, school, summary, details)
    await db.flush()
    result = _view(row)
    await reg.commit()
    return result


async def complete_deletion(reg: Register, identity: Identity, pupil: Pupil, school: School,
                            deletion_id: uuid.UUID, today: date) -> DeletionView:
    """Take the pupil off roll once the pending deletion's date has come."""
    db = reg.db
    access.require_register_keeper(identity, school)
    row = await repository.pupils.get_deletion(db, deletion_id)
    if row is None or row.pupil_id != pupil.id:
        raise NotFound("No such deletion for this pupil.")
    if row.status != "pending":
        raise Conflict("This deletion has already been completed.")
    if today < row.deletion_date:
        raise InvalidInput("The deletion date has not come yet.", field="deletion_date")
    professionals = await repository.pupils.professionals_of(db, [pupil.id])
    summary = events.pupil_summary(pupil, school, professionals.get(pupil.id, set()), today)
    _complete(db, row, pupil, school, summary, {"ground": row.ground,
                                                     "deletion_date": row.deletion_date.isoformat(),
                                                     **_destination_details(row)})
    await db.flush()
    result = _view(row)
    await reg.commit()
    return result


def _complete(db: Db, row: PupilDeletion, pupil: Pupil, school: School, summary: PupilSummary,
              details: dict[str, str | bool | None]) -> None:
    row.status = "completed"
    row.completed_at = utcnow()
    pupil.on_roll = False
    pupil.leaving_date = row.deletion_date
    events.emit(db, RegisterEventType.PUPIL_DELETED, summary, details=details)
