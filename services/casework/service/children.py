"""Who the child is across admissions: register gives each admission a new pupil id, so the notice ledger (and the
earlier admissions' case files) are found by the child's UPN, else an LA pupil identity, else this pupil id.

The UPN stays in casework's database: never in a URL, a log line, a workflow id or a workflow payload."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from uuid import UUID

from services.casework import repository
from services.casework.models import CaseFile
from services.casework.service.context import Casework
from shared.clients.register import RegisterClient
from shared.errors import ServiceError
from shared.http import ServiceCallFailed


@dataclass(frozen=True)
class Child:
    key: str
    upn: str | None = None
    la_pupil_ref: str | None = None

    def columns(self) -> dict[str, str | None]:
        return {"child_key": self.key, "upn": self.upn, "la_pupil_ref": self.la_pupil_ref}


def child_key(pupil_id: UUID, *, upn: str | None = None, la_pupil_ref: str | None = None,
              la_code: str = "") -> Child:
    if upn:
        return Child(f"upn:{upn.upper()}", upn=upn.upper(), la_pupil_ref=la_pupil_ref)
    if la_pupil_ref:
        # An LA's own pupil numbers are unique only within that LA.
        return Child(f"la:{la_code}:{la_pupil_ref}", la_pupil_ref=la_pupil_ref)
    return Child(f"pupil:{pupil_id}")


def known_child(case: CaseFile) -> Child:
    """The child as the case file knows them now, without asking register."""
    return child_key(case.pupil_id, upn=case.upn, la_pupil_ref=case.la_pupil_ref, la_code=case.la_code)


async def pupil_upn(register: RegisterClient, pupil_id: UUID) -> str | None:
    """The child's UPN from register's admission entry, if it is one."""
    upn = (await register.admission_entry(pupil_id)).upn or ""
    # 13 characters (rules.md s.13); register validates it, casework only keeps it within its column.
    return upn.upper() if len(upn) == 13 and upn.isalnum() else None


async def _upn(cw: Casework, pupil_id: UUID) -> str | None:
    try:
        return await asyncio.wait_for(pupil_upn(cw.register, pupil_id), cw.settings.upstream_timeout_seconds)
    except (ServiceCallFailed, ServiceError, TimeoutError, ValueError):
        # Not fatal: the notices are kept under this pupil id and filed under the UPN once register answers.
        return None


async def child_of(cw: Casework, pupil_id: UUID) -> Child:
    """The child of this admission; asks register for the UPN once, then keeps it on the case file and files the
    admission's notices under it."""
    async with cw.uow.reading() as db:
        case = await repository.get_case(db, pupil_id)
    if case is None:
        return child_key(pupil_id)
    if case.upn or case.la_pupil_ref:
        return known_child(case)
    upn = await _upn(cw, pupil_id)
    if upn is None:
        return known_child(case)
    child = child_key(pupil_id, upn=upn, la_code=case.la_code)
    async with cw.uow.transaction() as db:
        stored = await repository.get_case(db, pupil_id, for_update=True)
        if stored is not None:
            stored.upn, stored.child_key = child.upn, child.key
        await repository.rekey_ledger(db, pupil_id, child.columns())
    return child
