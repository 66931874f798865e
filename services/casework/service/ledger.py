"""The notice ledger: every penalty notice per parent per child, kept from the journeys' projections and from
officers' records of other LAs' notices, and read into the next penalty notice step so the limit per parent per
child (rules.md s.11) holds across journeys, admissions, schools and LAs."""

from __future__ import annotations

from uuid import UUID, uuid4

from services.casework import repository
from services.casework.models import CaseFile, NoticeLedgerEntry
from services.casework.schemas import LedgerEntryView, PriorNoticeIn
from services.casework.service.audit import audit
from services.casework.service.children import Child, child_of, known_child
from services.casework.service.context import Casework
from services.casework.service.permissions import PRIOR_PENALTY_NOTICE, require_step
from services.casework.service.scope import visible_case
from shared import clock
from shared.auth import Identity
from shared.contracts.casework import CaseProjection
from shared.contracts.journey import LedgerNotice
from shared.errors import InvalidInput
from shared.unit_of_work import Db

JOURNEY, OTHER_LA = "journey", "other_la"
OTHER_LA_PREFIX = "other-la-"
NOTICE_ID_LENGTH, BODY_LENGTH, STATUS_LENGTH = 80, 100, 20  # the ledger's columns


def _reference(entry: NoticeLedgerEntry) -> str:
    """The id the journey sees: journeys number their notices pn-1, pn-2 each, so another journey's notice is
    qualified by its workflow id (an internal pupil uuid, never a UPN)."""
    if entry.source == OTHER_LA:
        return entry.notice_id
    return f"{entry.workflow_id or f'journey-{entry.pupil_id}'}/{entry.notice_id}"


def _is_ours(notice: LedgerNotice) -> bool:
    """A notice the journey issued itself, not one of the prior notices casework gave it (which it may echo)."""
    return notice.recorded_from == JOURNEY and "/" not in notice.notice_id \
        and not notice.notice_id.startswith(OTHER_LA_PREFIX) and len(notice.notice_id) <= NOTICE_ID_LENGTH


async def record_from_projection(db: Db, case: CaseFile, projection: CaseProjection,
                                 child: Child) -> None:
    """Upsert the journey's notices as they stand; the caller applies only a projection not older than stored."""
    for notice in projection.penalty_notices:
        if not _is_ours(notice):
            continue
        await repository.upsert_ledger_entry(db, case.pupil_id, notice.notice_id, {
            **child.columns(), "parent": notice.parent, "issued_on": notice.issued_on,
            "status": notice.status[:STATUS_LENGTH], "issuing_body": (notice.issued_by or case.la_code)[:BODY_LENGTH],
            "school_urn": case.school_urn, "source": JOURNEY,
            "workflow_id": projection.workflow_id})


def _view(entry: NoticeLedgerEntry, pupil_id: UUID) -> LedgerEntryView:
    return LedgerEntryView(
        notice_id=entry.notice_id, parent=entry.parent, issued_on=entry.issued_on, status=entry.status,
        issuing_body=entry.issuing_body, school_urn=entry.school_urn, source=entry.source,
        this_admission=entry.pupil_id == pupil_id and entry.source == JOURNEY, recorded_by=entry.recorded_by)


async def entries_for_case(db: Db, case: CaseFile, child: Child | None = None) -> list[LedgerEntryView]:
    """The child's notices for the case page (the caller audits the read with the case file)."""
    child = child or known_child(case)
    return [_view(e, case.pupil_id) for e in await repository.ledger_for_child(db, child.key, [case.pupil_id])]


async def prior_notices(cw: Casework, identity: Identity, case: CaseFile, parent: str) -> list[LedgerNotice]:
    """The parent's notices for this child from elsewhere, read at the moment of a penalty notice step (this
    journey's own notices are the journey's to count)."""
    child = await child_of(cw, case.pupil_id)
    async with cw.uow.transaction() as db:
        entries = await repository.ledger_for_child(db, child.key, [case.pupil_id])
        found = [e for e in entries if e.parent == parent and not (e.pupil_id == case.pupil_id and e.source == JOURNEY)]
        await audit(db, identity, "read", "notice_ledger", case,
                    details=f"{len(found)} prior notices for the penalty notice step")
    return [LedgerNotice(notice_id=_reference(e), parent=e.parent, issued_on=e.issued_on, status=e.status,
                         issued_by=e.issuing_body, recorded_from=e.source) for e in found]


async def record_other_la_notice(cw: Casework, identity: Identity, pupil_id: UUID,
                                 notice: PriorNoticeIn) -> LedgerEntryView:
    """An officer's record of another LA's notice; the same date, LA and parent again updates it (its status)."""
    require_step(cw.settings, identity, PRIOR_PENALTY_NOTICE)
    case = await visible_case(cw, identity, pupil_id)
    if notice.issued_on > clock.today():
        raise InvalidInput("The date of issue must be today or in the past.", field="issued_on")
    child = await child_of(cw, pupil_id)
    issuing_la, parent = notice.issuing_la.strip(), notice.parent.strip()
    if not issuing_la or not parent:
        field = "issuing_la" if not issuing_la else "parent"
        raise InvalidInput("Enter who issued the notice and to which parent.", field=field)
    async with cw.uow.transaction() as db:
        await repository.get_case(db, pupil_id, for_update=True)
        same = [e for e in await repository.ledger_for_child(db, child.key, [pupil_id])
                if e.source == OTHER_LA and (e.issued_on, e.issuing_body, e.parent) ==
                (notice.issued_on, issuing_la, parent)]
        entry = await repository.upsert_ledger_entry(
            db, same[0].pupil_id if same else pupil_id,
            same[0].notice_id if same else f"{OTHER_LA_PREFIX}{uuid4().hex[:16]}", {
                **child.columns(), "parent": parent, "issued_on": notice.issued_on, "status": notice.status,
                "issuing_body": issuing_la, "school_urn": None, "source": OTHER_LA, "workflow_id": None,
                "recorded_by": identity.name})
        await audit(db, identity, "write", "notice_ledger:other_la", case)
        return _view(entry, pupil_id)


async def list_notices(cw: Casework, identity: Identity, pupil_id: UUID) -> list[LedgerEntryView]:
    """The child's notices, for the API."""
    case = await visible_case(cw, identity, pupil_id)
    async with cw.uow.transaction() as db:
        entries = await entries_for_case(db, case)
        await audit(db, identity, "read", "notice_ledger", case, details=f"{len(entries)} notices")
    return entries
