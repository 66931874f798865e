"""Every query register makes. Repositories add and flush; they never commit."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.register.models import (
    AttendanceMark,
    ContactKind,
    LocalAuthority,
    MarkAmendment,
    OutboxEvent,
    Pupil,
    PupilContact,
    PupilDeletion,
    PupilTally,
    School,
    SchoolTerm,
)

OUTBOX_WRITTEN = "outbox_written"


async def get_school(session: AsyncSession, urn: str) -> School | None:
    return await session.get(School, urn)


async def get_local_authority(session: AsyncSession, code: str) -> LocalAuthority | None:
    return await session.get(LocalAuthority, code)


async def list_schools(session: AsyncSession) -> Sequence[School]:
    return (await session.scalars(select(School).order_by(School.urn))).all()


async def school_terms(session: AsyncSession, school_urn: str) -> Sequence[SchoolTerm]:
    """Every term of the school's calendars, oldest first."""
    return (await session.scalars(select(SchoolTerm).where(SchoolTerm.school_urn == school_urn)
                                  .order_by(SchoolTerm.start_date))).all()


async def any_school(session: AsyncSession) -> bool:
    return (await session.scalar(select(func.count()).select_from(School))) != 0


async def get_pupil(session: AsyncSession, pupil_id: uuid.UUID) -> Pupil | None:
    return await session.get(Pupil, pupil_id)


async def pupils_by_id(session: AsyncSession, pupil_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Pupil]:
    ids = list(set(pupil_ids))
    found: dict[uuid.UUID, Pupil] = {}
    # Chunked so a whole-school session stays within the bound-parameter limits of both databases.
    for start in range(0, len(ids), 500):
        rows = await session.scalars(select(Pupil).where(Pupil.id.in_(ids[start:start + 500])))
        found.update({p.id: p for p in rows})
    return found


async def list_pupils(session: AsyncSession, school_urn: str, *, offset: int, limit: int,
                      on_roll_only: bool = True) -> tuple[Sequence[Pupil], int]:
    where = [Pupil.school_urn == school_urn]
    if on_roll_only:
        where.append(Pupil.on_roll.is_(True))
    total = await session.scalar(select(func.count()).select_from(Pupil).where(*where)) or 0
    rows = await session.scalars(select(Pupil).where(*where)
                                 .order_by(Pupil.year_group, Pupil.legal_surname, Pupil.legal_forename, Pupil.id)
                                 .offset(offset).limit(limit))
    return rows.all(), total


async def on_roll_with_upn(session: AsyncSession, school_urn: str, upn: str) -> bool:
    found = await session.scalar(select(Pupil.id).where(Pupil.school_urn == school_urn, Pupil.upn == upn,
                                                        Pupil.on_roll.is_(True)).limit(1))
    return found is not None


CONTACT_ORDER = (ContactKind.PARENT, ContactKind.EMERGENCY, ContactKind.SOCIAL_WORKER,
                 ContactKind.YOUTH_JUSTICE_WORKER)


async def contacts_of(session: AsyncSession, pupil_id: uuid.UUID) -> list[PupilContact]:
    rows = (await session.scalars(select(PupilContact).where(PupilContact.pupil_id == pupil_id))).all()
    return sorted(rows, key=lambda c: (CONTACT_ORDER.index(c.kind) if c.kind in CONTACT_ORDER else 9, c.priority))


async def professionals_of(session: AsyncSession, pupil_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    """Which of social worker / youth justice worker each pupil has."""
    ids = list(set(pupil_ids))
    result: dict[uuid.UUID, set[str]] = {}
    kinds = (ContactKind.SOCIAL_WORKER, ContactKind.YOUTH_JUSTICE_WORKER)
    for start in range(0, len(ids), 500):
        rows = await session.execute(select(PupilContact.pupil_id, PupilContact.kind).where(
            PupilContact.pupil_id.in_(ids[start:start + 500]), PupilContact.kind.in_(kinds)))
        for pupil_id, kind in rows:
            result.setdefault(pupil_id, set()).add(kind)
    return result


async def pupils_allocated_to(session: AsyncSession, worker_email: str) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(PupilContact.pupil_id).join(Pupil, Pupil.id == PupilContact.pupil_id)
        .where(PupilContact.kind == ContactKind.SOCIAL_WORKER,
               func.lower(PupilContact.email) == worker_email.strip().lower(), Pupil.on_roll.is_(True))
        .order_by(PupilContact.pupil_id).distinct())
    return list(rows)


def add(session: AsyncSession, *rows: Any) -> None:
    session.add_all(rows)


async def marks_for_session(session: AsyncSession, pupil_ids: Iterable[uuid.UUID], session_date: date,
                            session_name: str) -> dict[uuid.UUID, AttendanceMark]:
    ids = list(set(pupil_ids))
    found: dict[uuid.UUID, AttendanceMark] = {}
    for start in range(0, len(ids), 500):
        rows = await session.scalars(select(AttendanceMark).where(
            AttendanceMark.pupil_id.in_(ids[start:start + 500]), AttendanceMark.session_date == session_date,
            AttendanceMark.session == session_name))
        found.update({m.pupil_id: m for m in rows})
    return found


async def insert_marks(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Bulk insert of new current entries (one statement per chunk, not one per row)."""
    for start in range(0, len(rows), 2000):
        await session.execute(insert(AttendanceMark), rows[start:start + 2000])


async def get_mark(session: AsyncSession, pupil_id: uuid.UUID, session_date: date,
                   session_name: str) -> AttendanceMark | None:
    return await session.scalar(select(AttendanceMark).where(
        AttendanceMark.pupil_id == pupil_id, AttendanceMark.session_date == session_date,
        AttendanceMark.session == session_name))


async def amendments_of(session: AsyncSession, mark_id: uuid.UUID) -> Sequence[MarkAmendment]:
    return (await session.scalars(select(MarkAmendment).where(MarkAmendment.mark_id == mark_id)
                                  .order_by(MarkAmendment.amended_at, MarkAmendment.id))).all()


async def marks_between(session: AsyncSession, pupil_id: uuid.UUID, from_date: date,
                        to_date: date) -> Sequence[AttendanceMark]:
    return (await session.scalars(select(AttendanceMark).where(
        AttendanceMark.pupil_id == pupil_id, AttendanceMark.session_date >= from_date,
        AttendanceMark.session_date <= to_date).order_by(AttendanceMark.session_date, AttendanceMark.session))).all()


def add_outbox_event(session: AsyncSession, event: OutboxEvent) -> None:
    session.add(event)
    # Read by the unit of work after commit, to wake the relay at once.
    session.info[OUTBOX_WRITTEN] = True


async def insert_outbox_events(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(OutboxEvent), rows)
        session.info[OUTBOX_WRITTEN] = True


# --- outbox relay -------------------------------------------------------------------------------------------

class ClaimLost(Exception):
    """Another relay claimed some of the head rows first; the caller's transaction must roll back."""

async def claim_outbox_head(session: AsyncSession, relay_id: str, now: datetime, lease_until: datetime,
                            limit: int) -> list[OutboxEvent]:
    """Claim the oldest undelivered events in order, unless another relay holds a live claim on them.

    The head rows are locked (FOR UPDATE on PostgreSQL; SQLite has one writer) while the claim is written,
    so two relays never claim the same rows and delivery stays in order.
    """
    head = (await session.scalars(
        select(OutboxEvent).where(OutboxEvent.delivered_at.is_(None)).order_by(OutboxEvent.sequence)
        .limit(limit).with_for_update())).all()
    if not head:
        return []
    if any(e.claimed_until is not None and e.claimed_until > now and e.claimed_by != relay_id
           for e in head):
        return []
    due = []
    for event in head:
        if event.next_attempt_at is not None and event.next_attempt_at > now:
            break  # keep the order: nothing after an event that is still backing off
        due.append(event)
    if not due:
        return []
    # The claim itself is conditional: SQLite's driver reads outside the write transaction, so another relay
    # may have claimed the same rows since the SELECT; then this relay takes nothing this turn.
    result = await session.execute(
        update(OutboxEvent).where(
            OutboxEvent.sequence.in_([e.sequence for e in due]), OutboxEvent.delivered_at.is_(None),
            or_(OutboxEvent.claimed_until.is_(None), OutboxEvent.claimed_until <= now,
                OutboxEvent.claimed_by == relay_id))
        .values(claimed_by=relay_id, claimed_until=lease_until).execution_options(synchronize_session=False))
    if getattr(result, "rowcount", 0) != len(due):
        raise ClaimLost()
    return due


async def mark_outbox_delivered(session: AsyncSession, sequence: int, now: datetime) -> None:
    await session.execute(update(OutboxEvent).where(OutboxEvent.sequence == sequence).values(
        delivered_at=now, attempts=OutboxEvent.attempts + 1, claimed_by=None, claimed_until=None,
        last_error=None))


async def mark_outbox_failed(session: AsyncSession, sequence: int, next_attempt_at: datetime, error: str) -> None:
    await session.execute(update(OutboxEvent).where(OutboxEvent.sequence == sequence).values(
        attempts=OutboxEvent.attempts + 1, next_attempt_at=next_attempt_at, last_error=error[:1000],
        claimed_by=None, claimed_until=None))


async def release_outbox_claims(session: AsyncSession, relay_id: str) -> None:
    await session.execute(update(OutboxEvent).where(OutboxEvent.claimed_by == relay_id,
                                                    OutboxEvent.delivered_at.is_(None))
                          .values(claimed_by=None, claimed_until=None))


async def outbox_events(session: AsyncSession, *, undelivered_only: bool = False) -> Sequence[OutboxEvent]:
    query = select(OutboxEvent).order_by(OutboxEvent.sequence)
    if undelivered_only:
        query = query.where(OutboxEvent.delivered_at.is_(None))
    return (await session.scalars(query)).all()


async def next_outbox_due(session: AsyncSession) -> datetime | None:
    """When the oldest undelivered event may next be tried (None: nothing waiting)."""
    row = (await session.execute(select(OutboxEvent.next_attempt_at).where(OutboxEvent.delivered_at.is_(None))
                                 .order_by(OutboxEvent.sequence).limit(1))).first()
    if row is None:
        return None
    return row[0] if row[0] is not None else datetime.min.replace(tzinfo=UTC)



async def marks_for_pupils_between(session: AsyncSession, pupil_ids: Iterable[uuid.UUID], from_date: date,
                                   to_date: date) -> dict[uuid.UUID, list[tuple[date, str, str]]]:
    """(date, session, code) of each pupil's marks in the range, in order."""
    ids = list(set(pupil_ids))
    found: dict[uuid.UUID, list[tuple[date, str, str]]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        rows = await session.execute(
            select(AttendanceMark.pupil_id, AttendanceMark.session_date, AttendanceMark.session, AttendanceMark.code)
            .where(AttendanceMark.pupil_id.in_(ids[start:start + 500]), AttendanceMark.session_date >= from_date,
                   AttendanceMark.session_date <= to_date)
            .order_by(AttendanceMark.session_date, AttendanceMark.session))
        for pupil_id, day, name, code in rows:
            found[pupil_id].append((day, name, code))
    return found


async def marks_with_code(session: AsyncSession, school_urn: str, code: str,
                          up_to: date) -> Sequence[AttendanceMark]:
    return (await session.scalars(select(AttendanceMark).join(Pupil, Pupil.id == AttendanceMark.pupil_id).where(
        AttendanceMark.school_urn == school_urn, AttendanceMark.code == code, AttendanceMark.session_date <= up_to,
        Pupil.on_roll.is_(True)).order_by(AttendanceMark.session_date, AttendanceMark.session))).all()


# --- register extract (returns) and family ----------------------------------------------------------------

async def pupils_on_roll_between(session: AsyncSession, school_urn: str, from_date: date,
                                 to_date: date) -> Sequence[Pupil]:
    """Every admission register entry of the school on roll at any time from from_date to to_date."""
    return (await session.scalars(select(Pupil).where(
        Pupil.school_urn == school_urn, Pupil.admission_date <= to_date,
        or_(Pupil.leaving_date.is_(None), Pupil.leaving_date >= from_date))
        .order_by(Pupil.admission_date, Pupil.legal_surname, Pupil.legal_forename, Pupil.id))).all()


async def deletions_of(session: AsyncSession, pupil_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, PupilDeletion]:
    """The latest recorded deletion (pending or completed) of each pupil that has one."""
    ids = list(set(pupil_ids))
    found: dict[uuid.UUID, PupilDeletion] = {}
    for start in range(0, len(ids), 500):
        rows = await session.scalars(select(PupilDeletion).where(PupilDeletion.pupil_id.in_(ids[start:start + 500]))
                                     .order_by(PupilDeletion.recorded_at, PupilDeletion.id))
        found.update({d.pupil_id: d for d in rows})
    return found


async def parents_of(session: AsyncSession, pupil_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[PupilContact]]:
    """Each pupil's parents and carers as the admission register records them, in priority order."""
    ids = list(set(pupil_ids))
    found: dict[uuid.UUID, list[PupilContact]] = {}
    for start in range(0, len(ids), 500):
        rows = await session.scalars(select(PupilContact).where(
            PupilContact.pupil_id.in_(ids[start:start + 500]), PupilContact.kind == ContactKind.PARENT)
            .order_by(PupilContact.priority, PupilContact.name, PupilContact.id))
        for contact in rows:
            found.setdefault(contact.pupil_id, []).append(contact)
    return found


async def school_marks_between(session: AsyncSession, school_urn: str, from_date: date,
                               to_date: date) -> list[tuple[uuid.UUID, date, str, str]]:
    """(pupil, date, session, code) of every current mark the school recorded in the range, in order."""
    rows = await session.execute(
        select(AttendanceMark.pupil_id, AttendanceMark.session_date, AttendanceMark.session, AttendanceMark.code)
        .where(AttendanceMark.school_urn == school_urn, AttendanceMark.session_date >= from_date,
               AttendanceMark.session_date <= to_date)
        .order_by(AttendanceMark.pupil_id, AttendanceMark.session_date, AttendanceMark.session))
    return [(pupil_id, day, name, code) for pupil_id, day, name, code in rows]


def normalised_phone(phone: str | None) -> str | None:
    """Digits only, so that '07700 900123' and '07700-900123' are the same number."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return digits or None


def _phone_digits(column: Any) -> Any:
    # The same normalisation in SQL (spaces, hyphens, brackets, plus): portable across SQLite and PostgreSQL.
    for ch in (" ", "-", "(", ")", "+"):
        column = func.replace(column, ch, "")
    return column


async def children_of_parents(session: AsyncSession, la_code: str, emails: set[str], phones: set[str],
                              names_at_addresses: set[tuple[str, str]]) -> list[uuid.UUID]:
    """Pupils on roll in the LA with a parent (parental responsibility) matching by email, phone or name and
    address (all compared case-insensitively; phones by digits)."""
    matches: list[ColumnElement[bool]] = []
    if emails:
        matches.append(func.lower(PupilContact.email).in_(sorted(emails)))
    if phones:
        matches.append(_phone_digits(PupilContact.phone).in_(sorted(phones)))
    address = func.lower(func.trim(func.coalesce(PupilContact.address, Pupil.address)))
    for name, where in sorted(names_at_addresses):
        matches.append((func.lower(func.trim(PupilContact.name)) == name) & (address == where))
    if not matches:
        return []
    rows = await session.scalars(
        select(Pupil.id).join(PupilContact, PupilContact.pupil_id == Pupil.id)
        .join(School, School.urn == Pupil.school_urn)
        .where(School.la_code == la_code, Pupil.on_roll.is_(True), PupilContact.kind == ContactKind.PARENT,
               PupilContact.parental_responsibility.is_(True), or_(*matches))
        .order_by(Pupil.id).distinct())
    return list(rows)


async def tallies_of_schools(session: AsyncSession, academic_year: int,
                             school_urns: Iterable[str]) -> Sequence[tuple[Pupil, PupilTally]]:
    """Pupils on roll at these schools with their tally for the year (the fast path for year figures)."""
    rows = await session.execute(select(Pupil, PupilTally).join(PupilTally, PupilTally.pupil_id == Pupil.id).where(
        PupilTally.academic_year == academic_year, Pupil.on_roll.is_(True),
        PupilTally.school_urn.in_(list(school_urns))))
    return [(pupil, tally) for pupil, tally in rows.all()]


async def codes_in_range(session: AsyncSession, school_urns: Iterable[str], from_date: date,
                         to_date: date) -> dict[uuid.UUID, list[str]]:
    """Every current mark's code per pupil at these schools in a date range (figures for any range)."""
    rows = await session.execute(select(AttendanceMark.pupil_id, AttendanceMark.code).where(
        AttendanceMark.school_urn.in_(list(school_urns)), AttendanceMark.session_date >= from_date,
        AttendanceMark.session_date <= to_date))
    codes: dict[uuid.UUID, list[str]] = {}
    for pupil_id, code in rows.all():
        codes.setdefault(pupil_id, []).append(code)
    return codes


# --- N marks for the LA's compliance view (returns) ------------------------------------------------------

def _carried_code(school_urn: str, code: str, from_date: date, to_date: date) -> list[ColumnElement[bool]]:
    """The school's marks in the range whose code is, or at some time was, this code (as recorded or amended)."""
    amended = (select(MarkAmendment.id)
               .where(MarkAmendment.mark_id == AttendanceMark.id,
                      or_(MarkAmendment.original_code == code, MarkAmendment.new_code == code))
               .correlate(AttendanceMark).exists())
    return [AttendanceMark.school_urn == school_urn, AttendanceMark.session_date >= from_date,
            AttendanceMark.session_date <= to_date, or_(AttendanceMark.code == code, amended)]


async def marks_that_carried(session: AsyncSession, school_urn: str, code: str, from_date: date,
                             to_date: date) -> list[tuple[AttendanceMark, list[MarkAmendment]]]:
    """Every mark of the school in the range that carried the code at some time, with all its amendments
    (oldest first), in session order: one query however many marks."""
    rows = await session.execute(
        select(AttendanceMark, MarkAmendment)
        .outerjoin(MarkAmendment, MarkAmendment.mark_id == AttendanceMark.id)
        .where(*_carried_code(school_urn, code, from_date, to_date))
        .order_by(AttendanceMark.session_date, AttendanceMark.session, AttendanceMark.pupil_id, AttendanceMark.id,
                  MarkAmendment.amended_at, MarkAmendment.id))
    found: dict[uuid.UUID, tuple[AttendanceMark, list[MarkAmendment]]] = {}
    for mark, amendment in rows:
        _, amendments = found.setdefault(mark.id, (mark, []))
        if amendment is not None:
            amendments.append(amendment)
    return list(found.values())


async def session_events_of_marks_that_carried(session: AsyncSession, event_type: str, school_urn: str, code: str,
                                               from_date: date, to_date: date) -> Sequence[OutboxEvent]:
    """Outbox events of this type about a session in the range, for pupils whose marks there carried the code
    (oldest first)."""
    pupils = select(AttendanceMark.pupil_id).where(*_carried_code(school_urn, code, from_date, to_date))
    # ISO dates compare as strings, in SQLite's JSON and PostgreSQL's alike.
    session_day = OutboxEvent.payload["session_date"].as_string()
    return (await session.scalars(select(OutboxEvent).where(
        OutboxEvent.event_type == event_type, OutboxEvent.pupil_id.in_(pupils),
        session_day >= from_date.isoformat(), session_day <= to_date.isoformat())
        .order_by(OutboxEvent.created_at, OutboxEvent.sequence))).all()
