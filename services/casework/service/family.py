"""The whole-family view: siblings and other children of the same parents across the LA's schools, with
their figures and cases, limited to those the caller may see (the rest are only counted)."""

from __future__ import annotations

import asyncio
from uuid import UUID

from services.casework import repository
from services.casework.schemas import FamilyCase, FamilyMember, FamilyView
from services.casework.service.audit import audit
from services.casework.service.cases import optional, stage_label, visible_case
from services.casework.service.context import Casework
from shared.auth import Identity
from shared.contracts.register import PupilSummary
from shared.errors import DependencyUnavailable, NotFound
from shared.http import ServiceCallFailed


async def _relatives(cw: Casework, pupil_id: UUID) -> list[PupilSummary]:
    try:
        return await asyncio.wait_for(cw.register.family(pupil_id), cw.settings.upstream_timeout_seconds)
    except ServiceCallFailed as exc:
        if exc.status == 404:
            raise NotFound("Register does not know this pupil.") from exc
        raise DependencyUnavailable("Register is unavailable, so the family cannot be looked up.") from exc
    except TimeoutError as exc:
        raise DependencyUnavailable("Register did not answer in time, so the family cannot be looked up.") from exc


def _visible(identity: Identity, member: PupilSummary) -> bool:
    return identity.can_see_pupil(pupil_id=member.pupil_id, school_urn=member.school_urn,
                                  la_code=member.la_code, looked_after=member.flags.looked_after)


async def family_view(cw: Casework, identity: Identity, pupil_id: UUID) -> FamilyView:
    """The pupil's family; each member shown is audited as a read of that member's record."""
    case = await visible_case(cw, identity, pupil_id)
    relatives = [r for r in await _relatives(cw, pupil_id) if r.pupil_id != pupil_id]
    shown = sorted((r for r in relatives if _visible(identity, r)), key=lambda r: (r.display_name, r.pupil_id))
    missing: list[str] = []
    wait = cw.settings.upstream_timeout_seconds
    figures = await asyncio.gather(*(optional("figures", cw.register.pupil_figures(r.pupil_id), missing, wait)
                                     for r in shown))
    async with cw.uow.transaction() as db:
        cases = await repository.cases_for(db, [r.pupil_id for r in shown])
        await audit(db, identity, "read", "family", case,
                    details=f"{len(shown)} shown, {len(relatives) - len(shown)} outside access")
        for member in shown:
            await repository.add_audit(
                db, actor_subject=identity.subject, actor_name=identity.name, actor_role=identity.role.value,
                access="read", what="family_member", pupil_id=member.pupil_id, school_urn=member.school_urn,
                la_code=member.la_code, details=f"from the family of {pupil_id}")
    members = []
    for member, member_figures in zip(shown, figures, strict=True):
        member_case = cases.get(member.pupil_id)
        members.append(FamilyMember(
            pupil_id=member.pupil_id, display_name=member.display_name, year_group=member.year_group,
            school_urn=member.school_urn, la_code=member.la_code, flags=member.flags, figures=member_figures,
            case=FamilyCase(stage=member_case.stage, stage_label=stage_label(member_case.stage),
                            status=member_case.status, next_deadline_date=member_case.next_deadline_date)
            if member_case else None))
    return FamilyView(pupil_id=pupil_id, display_name=case.display_name, members=members,
                      outside_access=len(relatives) - len(shown), unavailable=sorted(set(missing)))
