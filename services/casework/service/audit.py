"""The audit log: every read and write of a pupil's record, queryable by the LA's data protection lead."""

from __future__ import annotations

from uuid import UUID

from services.casework import repository
from services.casework.models import CaseFile
from services.casework.schemas import AuditItem, AuditPage
from services.casework.service.context import Casework
from shared.auth import Identity, Role
from shared.errors import OutOfScope
from shared.unit_of_work import Db


async def audit(db: Db, identity: Identity, access: str, what: str, case: CaseFile | None = None,
                *, details: str | None = None, la_code: str | None = None) -> None:
    """Record one access; for a list the case is None and the LA is that of the pupils listed (school staff
    carry no LA in their scope, and their LA's data protection lead must still see the read)."""
    await repository.add_audit(
        db, actor_subject=identity.subject, actor_name=identity.name, actor_role=identity.role.value,
        access=access, what=what, pupil_id=case.pupil_id if case else None,
        school_urn=case.school_urn if case else None,
        la_code=case.la_code if case else (la_code or identity.scope.la_code), details=details)


async def list_audit(cw: Casework, identity: Identity, *, pupil_id: UUID | None, offset: int,
                     limit: int) -> AuditPage:
    """The audit log of the caller's LA, for its data protection lead only."""
    if identity.role is not Role.DATA_PROTECTION_LEAD or not identity.scope.la_code:
        raise OutOfScope("Only the local authority's data protection lead can read the audit log.")
    async with cw.uow.transaction() as db:
        rows, total = await repository.list_audit(db, la_code=identity.scope.la_code, pupil_id=pupil_id,
                                                  offset=offset, limit=limit)
        items = [AuditItem(occurred_at=r.occurred_at, actor_subject=r.actor_subject, actor_name=r.actor_name,
                           actor_role=r.actor_role, access=r.access, what=r.what, pupil_id=r.pupil_id,
                           school_urn=r.school_urn) for r in rows]
    return AuditPage(items=items, total=total, offset=offset, limit=limit)
