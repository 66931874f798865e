"""Pupils on the admission register, their contacts and deletions, and the family links between them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select

from services.register.models import (
    ContactKind,
    PriorAttendance,
    Pupil,
    PupilContact,
    PupilDeletion,
    School,
)
from services.register.repository.batches import among
from shared.unit_of_work import Db


async def get_pupil(db: Db, pupil_id: uuid.UUID) -> Pupil | None:
    return await db.get(Pupil, pupil_id)


async def pupils_by_id(db: Db, pupil_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, Pupil]:
    found: dict[uuid.UUID, Pupil] = {}
    for condition in among(db, Pupil.id, pupil_ids):
        found.update({p.id: p for p in await db.scalars(select(Pupil).where(condition))})
    return found


async def list_pupils(db: Db, school_urn: str, *, offset: int, limit: int,
                      on_roll_only: bool = True) -> tuple[Sequence[Pupil], int]:
    where = [Pupil.school_urn == school_urn]
    if on_roll_only:
        where.append(Pupil.on_roll.is_(True))
    total = await db.scalar(select(func.count()).select_from(Pupil).where(*where)) or 0
    rows = await db.scalars(select(Pupil).where(*where)
                                 .order_by(Pupil.year_group, Pupil.legal_surname, Pupil.legal_forename, Pupil.id)
                                 .offset(offset).limit(limit))
    return rows.all(), total


async def on_roll_with_upn(db: Db, school_urn: str, upn: str) -> bool:
    found = await db.scalar(select(Pupil.id).where(Pupil.school_urn == school_urn, Pupil.upn == upn,
                                                        Pupil.on_roll.is_(True)).limit(1))
    return found is not None


CONTACT_ORDER = (ContactKind.PARENT, ContactKind.EMERGENCY, ContactKind.SOCIAL_WORKER,
                 ContactKind.YOUTH_JUSTICE_WORKER)


async def contacts_of(db: Db, pupil_id: uuid.UUID) -> list[PupilContact]:
    rows = (await db.scalars(select(PupilContact).where(PupilContact.pupil_id == pupil_id))).all()
    return sorted(rows, key=lambda c: (CONTACT_ORDER.index(c.kind) if c.kind in CONTACT_ORDER else 9, c.priority))


async def professionals_of(db: Db, pupil_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    """Which of social worker / youth justice worker each pupil has."""
    result: dict[uuid.UUID, set[str]] = {}
    kinds = (ContactKind.SOCIAL_WORKER, ContactKind.YOUTH_JUSTICE_WORKER)
    for condition in among(db, PupilContact.pupil_id, pupil_ids):
        rows = await db.execute(select(PupilContact.pupil_id, PupilContact.kind).where(
            condition, PupilContact.kind.in_(kinds)))
        for pupil_id, kind in rows:
            result.setdefault(pupil_id, set()).add(kind)
    return result


async def pupils_allocated_to(db: Db, worker_email: str) -> list[uuid.UUID]:
    rows = await db.scalars(
        select(PupilContact.pupil_id).join(Pupil, Pupil.id == PupilContact.pupil_id)
        .where(PupilContact.kind == ContactKind.SOCIAL_WORKER,
               func.lower(PupilContact.email) == worker_email.strip().lower(), Pupil.on_roll.is_(True))
        .order_by(PupilContact.pupil_id).distinct())
    return list(rows)

# --- register extract (returns) and family ----------------------------------------------------------------

async def pupils_on_roll_between(db: Db, school_urn: str, from_date: date,
                                 to_date: date) -> Sequence[Pupil]:
    """Every admission register entry of the school on roll at any time from from_date to to_date."""
    return (await db.scalars(select(Pupil).where(
        Pupil.school_urn == school_urn, Pupil.admission_date <= to_date,
        or_(Pupil.leaving_date.is_(None), Pupil.leaving_date >= from_date))
        .order_by(Pupil.admission_date, Pupil.legal_surname, Pupil.legal_forename, Pupil.id))).all()


async def deletions_of(db: Db, pupil_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, PupilDeletion]:
    """The latest recorded deletion (pending or completed) of each pupil that has one."""
    ids = list(set(pupil_ids))
    found: dict[uuid.UUID, PupilDeletion] = {}
    for start in range(0, len(ids), 500):
        rows = await db.scalars(select(PupilDeletion).where(PupilDeletion.pupil_id.in_(ids[start:start + 500]))
                                     .order_by(PupilDeletion.recorded_at, PupilDeletion.id))
        found.update({d.pupil_id: d for d in rows})
    return found


async def parents_of(db: Db, pupil_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[PupilContact]]:
    """Each pupil's parents and carers as the admission register records them, in priority order."""
    ids = list(set(pupil_ids))
    found: dict[uuid.UUID, list[PupilContact]] = {}
    for start in range(0, len(ids), 500):
        rows = await db.scalars(select(PupilContact).where(
            PupilContact.pupil_id.in_(ids[start:start + 500]), PupilContact.kind == ContactKind.PARENT)
            .order_by(PupilContact.priority, PupilContact.name, PupilContact.id))
        for contact in rows:
            found.setdefault(contact.pupil_id, []).append(contact)
    return found

def normalised_phone(phone: str | None) -> str | None:
    """Digits only, so that '07700 900123' and '07700-900123' are the same number."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return digits or None


def _phone_digits(column: Any) -> Any:
    # The same normalisation in SQL (spaces, hyphens, brackets, plus): portable across SQLite and PostgreSQL.
    for ch in (" ", "-", "(", ")", "+"):
        column = func.replace(column, ch, "")
    return column


async def children_of_parents(db: Db, la_code: str, emails: set[str], phones: set[str],
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
    rows = await db.scalars(
        select(Pupil.id).join(PupilContact, PupilContact.pupil_id == Pupil.id)
        .join(School, School.urn == Pupil.school_urn)
        .where(School.la_code == la_code, Pupil.on_roll.is_(True), PupilContact.kind == ContactKind.PARENT,
               PupilContact.parental_responsibility.is_(True), or_(*matches))
        .order_by(Pupil.id).distinct())
    return list(rows)


async def on_roll_with_upns(db: Db, school_urn: str, upns: Iterable[str]) -> Sequence[Pupil]:
    return (await db.scalars(select(Pupil).where(
        Pupil.school_urn == school_urn, Pupil.on_roll.is_(True), Pupil.upn.in_(list(upns))))).all()


async def prior_attendance_of(db: Db, pupil_id: uuid.UUID) -> Sequence[PriorAttendance]:
    return (await db.scalars(select(PriorAttendance).where(PriorAttendance.pupil_id == pupil_id)
                                  .order_by(PriorAttendance.academic_year, PriorAttendance.received_at))).all()


async def deletion_pending(db: Db, pupil_id: uuid.UUID) -> bool:
    pending = await db.scalar(select(PupilDeletion.id).where(PupilDeletion.pupil_id == pupil_id,
                                                                  PupilDeletion.status == "pending"))
    return pending is not None


async def get_deletion(db: Db, deletion_id: uuid.UUID) -> PupilDeletion | None:
    return await db.get(PupilDeletion, deletion_id)
