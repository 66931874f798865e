"""The audit log, for the LA's data protection lead."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Depends

from services.casework import service
from services.casework.dependencies import AUDIT_READERS, CaseworkDep, CaseworkIdentity, Limit, Offset
from services.casework.schemas import AuditPage

router = APIRouter(prefix="/api/v1", tags=["cases"])


@router.get("/audit", dependencies=[Depends(AUDIT_READERS)],
            summary="Who read or changed pupils' records (data protection lead)")
async def audit_log(identity: CaseworkIdentity, cw: CaseworkDep, offset: Offset = 0, limit: Limit = None,
                    pupil_id: UUID | None = None) -> AuditPage:
    return await service.list_audit(cw, identity, pupil_id=pupil_id, offset=offset,
                                    limit=limit or cw.settings.page_size)
