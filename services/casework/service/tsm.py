"""The Targeting Support Meeting pack: a school's pupils at risk of persistent absence, persistently and severely
absent pupils and those further along, with their stage and next step, for the regular meeting between the school
and the LA (rules.md s10: the LA holds a regular conversation with every school about its at-risk pupils too)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from services.casework import repository
from services.casework.schemas import CaseSummary
from services.casework.service.audit import audit
from services.casework.service.cases import require_caseworker_or_reader, stage_label, summary
from services.casework.service.context import Casework
from shared import clock
from shared.auth import Identity
from shared.contracts.casework import Deadline
from shared.contracts.journey import Stage
from shared.errors import OutOfScope

# Mildest first; the pack lists the severest first.
TSM_STAGES = [Stage.AT_RISK.value, Stage.PERSISTENT_ABSENCE.value, Stage.SEVERE_ABSENCE.value,
              Stage.FORMAL_SUPPORT.value, Stage.LEGAL_INTERVENTION.value]


class TsmRow(BaseModel):
    case: CaseSummary
    # The stage in words (as case.stage_label), so that at-risk pupils read apart from absent ones.
    stage_label: str
    next_step: Deadline | None


class TsmPack(BaseModel):
    school_urn: str
    generated_at: datetime
    rows: list[TsmRow]


async def tsm_pack(cw: Casework, identity: Identity, school_urn: str) -> TsmPack:
    """Pupils of one school at risk of persistent absence or further along, severest first."""
    require_caseworker_or_reader(identity)
    async with cw.uow.transaction() as db:
        rows, _ = await repository.list_cases(db, identity, offset=0, limit=1000, school_urn=school_urn,
                                              stages=TSM_STAGES)
        if not rows and not identity.can_see_school_figures(school_urn=school_urn, la_code=identity.scope.la_code
                                                            or ""):
            raise OutOfScope("You do not have access to this school's pupils.")
        await audit(db, identity, "read", f"tsm_pack:{school_urn}", details=f"{len(rows)} pupils",
                    la_code=rows[0].la_code if rows else None)
    order = {stage: i for i, stage in enumerate(reversed(TSM_STAGES))}
    pack = [TsmRow(case=summary(row), stage_label=stage_label(row.stage),
                   next_step=min((Deadline.model_validate(d) for d in row.deadlines), key=lambda d: d.due_date,
                                 default=None))
            for row in sorted(rows, key=lambda r: (order.get(r.stage, 99), r.display_name))]
    return TsmPack(school_urn=school_urn, generated_at=clock.now(), rows=pack)
