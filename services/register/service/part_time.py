"""Temporary part-time timetables (C2): agreed with a parent the pupil lives with, with agreed times and dates and a
review date; the register takes C2 only for a session inside such an agreement (rules.md sections 4 and 6)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from services.register import repository
from services.register.domain.leave import PartTimeAgreement, Weekday, due_for_review
from services.register.domain.school_age import is_compulsory_school_age
from services.register.domain.sessions import Session
from services.register.models import ContactKind, PartTimeTimetable, Pupil, School
from services.register.schemas.leave import (
    AbsentSession,
    PartTimeDueForReview,
    PartTimeReviewIn,
    PartTimeTimetableIn,
    PartTimeTimetableView,
)
from services.register.service import access
from services.register.service.context import Register
from services.register.settings import RegisterSettings
from shared.auth import Identity
from shared.contracts.register import SessionName
from shared.db import utcnow
from shared.errors import Conflict, InvalidInput, NotFound
from shared.unit_of_work import Db

# A part-time timetable is temporary: an agreement running longer than a school year is a mistake.
MAX_AGREEMENT_DAYS = 366


def view(row: PartTimeTimetable) -> PartTimeTimetableView:
    return PartTimeTimetableView(
        id=row.id, pupil_id=row.pupil_id, school_urn=row.school_urn, start_date=row.start_date,
        end_date=row.end_date, review_date=row.review_date, agreed_times=row.agreed_times,
        absent_sessions=[AbsentSession(weekday=Weekday(s["weekday"]), session=SessionName(s["session"]))
                         for s in row.absent_sessions],
        reasons=row.reasons, parent_name=row.parent_name, parent_agreed_on=row.parent_agreed_on,
        recorded_by_name=row.recorded_by_name, recorded_by_position=row.recorded_by_position,
        last_reviewed_on=row.last_reviewed_on, review_notes=row.review_notes)


def agreement_of(row: PartTimeTimetable) -> PartTimeAgreement:
    return PartTimeAgreement(row.start_date, row.end_date, frozenset(
        (Weekday(s["weekday"]), Session(s["session"])) for s in row.absent_sessions))


async def check_parent_lives_with_pupil(db: Db, pupil: Pupil, name: str, field: str) -> None:
    """The parent must be one the admission register records as living with the pupil (reg 11)."""
    parents = [c for c in await repository.pupils.contacts_of(db, pupil.id)
               if c.kind == ContactKind.PARENT and c.lives_with_pupil]
    wanted = " ".join(name.split()).casefold()
    if not any(" ".join(c.name.split()).casefold() == wanted for c in parents):
        known = ", ".join(c.name for c in parents) or "none recorded"
        raise InvalidInput(f"Give the name of a parent the pupil lives with, as on the admission register "
                           f"({known}).", field=field)


def _week_order(session: tuple[Weekday, SessionName]) -> tuple[int, str]:
    return session[0].number, session[1].value


async def record_agreement(reg: Register, identity: Identity, pupil: Pupil, school: School,
                           body: PartTimeTimetableIn, today: date) -> PartTimeTimetableView:
    db = reg.db
    access.require_register_keeper(identity, school)
    if not pupil.on_roll:
        raise Conflict("This pupil is no longer on the roll.")
    if body.end_date < body.start_date:
        raise InvalidInput("The agreement ends before it starts.", field="end_date")
    if (body.end_date - body.start_date).days > MAX_AGREEMENT_DAYS:
        raise InvalidInput("A part-time timetable is temporary: agree at most a year and review it.",
                           field="end_date")
    if body.start_date < pupil.admission_date:
        raise InvalidInput("The agreement starts before the pupil was admitted.", field="start_date")
    if not body.start_date <= body.review_date <= body.end_date:
        raise InvalidInput("The review date must fall within the agreement.", field="review_date")
    if body.parent_agreed_on > today:
        raise InvalidInput("The parent's agreement cannot be dated in the future.", field="parent_agreed_on")
    if not is_compulsory_school_age(pupil.date_of_birth, body.start_date):
        raise InvalidInput("C2 is only for pupils of compulsory school age; this pupil is not on the start date.",
                           field="start_date")
    sessions = {(s.weekday, s.session) for s in body.absent_sessions}
    if len(sessions) == 2 * len(Weekday):
        raise InvalidInput("A part-time timetable leaves the pupil some sessions in school.",
                           field="absent_sessions")
    await check_parent_lives_with_pupil(db, pupil, body.parent_name, "parent_name")
    row = PartTimeTimetable(
        pupil_id=pupil.id, school_urn=school.urn, start_date=body.start_date, end_date=body.end_date,
        review_date=body.review_date, agreed_times=body.agreed_times,
        absent_sessions=[{"weekday": w.value, "session": s.value} for w, s in sorted(sessions, key=_week_order)],
        reasons=body.reasons, parent_name=body.parent_name, parent_agreed_on=body.parent_agreed_on,
        recorded_at=utcnow(), recorded_by_name=identity.name, recorded_by_position=access.actor_position(identity))
    return await reg.keep(row, view)


async def record_review(reg: Register, identity: Identity, pupil: Pupil, school: School,
                        agreement_id: uuid.UUID, body: PartTimeReviewIn, today: date) -> PartTimeTimetableView:
    """A review: when, what was decided, the next review date, and the end brought forward if agreed."""
    db = reg.db
    access.require_register_keeper(identity, school)
    row = await repository.leave.get_part_time_timetable(db, agreement_id)
    if row is None or row.pupil_id != pupil.id:
        raise NotFound("No such part-time timetable for this pupil.")
    if body.reviewed_on > today:
        raise InvalidInput("A review cannot be dated in the future.", field="reviewed_on")
    end = row.end_date
    if body.end_date is not None:
        if not row.start_date <= body.end_date <= row.end_date:
            raise InvalidInput("A review can bring the end forward, within the agreement; a longer part-time "
                               "timetable is a new agreement with the parent.", field="end_date")
        end = body.end_date
    if end >= today and not body.reviewed_on < body.next_review_date <= end:
        raise InvalidInput("The next review falls after this one and no later than the end of the agreement.",
                           field="next_review_date")
    row.end_date, row.last_reviewed_on, row.review_notes = end, body.reviewed_on, body.notes
    row.review_date = body.next_review_date
    await db.flush()
    result = view(row)
    await reg.commit()
    return result


async def agreements_of(reg: Register, identity: Identity, pupil: Pupil,
                        school: School) -> list[PartTimeTimetableView]:
    db = reg.db
    access.require_pupil_reader(identity, pupil, school)
    return [view(r) for r in await repository.leave.part_time_timetables_of(db, pupil.id)]


async def due_for_review_list(reg: Register, identity: Identity, school: School, today: date,
                              settings: RegisterSettings) -> list[PartTimeDueForReview]:
    """Agreements still running whose review date has passed or falls within the notice period (a setting)."""
    db = reg.db
    access.require_school_reader(identity, school)
    return [PartTimeDueForReview(agreement=view(row), display_name=pupil.display_name, year_group=pupil.year_group,
                                 overdue=row.review_date < today)
            for row, pupil in await repository.leave.running_part_time_timetables(db, school.urn, today)
            if due_for_review(row.review_date, row.end_date, today, settings.part_time_review_notice_days)]


async def pupils_with_agreement_for(db: Db, pupil_ids: Iterable[uuid.UUID], day: date,
                                    session_name: str) -> set[uuid.UUID]:
    """Which of the pupils have an agreement under which C2 may be recorded for the session."""
    found = await repository.leave.part_time_covering(db, pupil_ids, day)
    return {pupil_id for pupil_id, rows in found.items()
            if any(agreement_of(r).covers(day, session_name) for r in rows)}


C2_OUTSIDE_AGREEMENT = ("C2 only inside an agreed part-time timetable: no agreement of this pupil covers this "
                        "session (POST /api/v1/pupils/{id}/part-time-timetables)")
