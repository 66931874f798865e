"""Register events: the pupil summary they carry, and writing them to the outbox in the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from services.register import repository
from services.register.domain.school_age import is_compulsory_school_age
from services.register.models import ContactKind, OutboxEvent, Pupil, School
from shared.contracts.register import (
    MAX_CHANGED_PUPILS,
    PupilFlags,
    PupilSummary,
    RegisterChange,
    RegisterChangeKind,
    RegisterEvent,
    RegisterEventType,
    SessionName,
)
from shared.db import utcnow
from shared.unit_of_work import Db


def pupil_flags(pupil: Pupil, professionals: set[str], on_date: date, *, independent_school: bool = False
                ) -> PupilFlags:
    return PupilFlags(
        has_social_worker=ContactKind.SOCIAL_WORKER in professionals,
        has_youth_justice_worker=ContactKind.YOUTH_JUSTICE_WORKER in professionals,
        looked_after=pupil.looked_after, previously_looked_after=pupil.previously_looked_after,
        sen_support=pupil.sen_support, ehcp=pupil.ehcp, child_protection_plan=pupil.child_protection_plan,
        child_in_need=pupil.child_in_need, medical_condition=pupil.medical_condition,
        # A row not yet flushed has no column default: an unset plan is no plan.
        individual_healthcare_plan=bool(pupil.individual_healthcare_plan),
        compulsory_school_age=is_compulsory_school_age(pupil.date_of_birth, on_date),
        # The journey refuses penalty notices for pupils at independent schools (rules.md s1 [M], s11).
        independent_school=independent_school,
    )


def pupil_summary(pupil: Pupil, school: School, professionals: set[str], on_date: date) -> PupilSummary:
    return PupilSummary(pupil_id=pupil.id, school_urn=school.urn, la_code=school.la_code,
                        display_name=pupil.display_name, year_group=pupil.year_group,
                        flags=pupil_flags(pupil, professionals, on_date, independent_school=school.independent))


def needs_same_day_report(flags: PupilFlags) -> bool:
    """Unexplained absence must reach the social worker, YOT worker or (through them) the VSH the same day."""
    return flags.has_social_worker or flags.has_youth_justice_worker or flags.looked_after


def outbox_row(event_type: RegisterEventType, summary: PupilSummary, *, occurred_at: datetime | None = None,
               session_date: date | None = None, session: SessionName | str | None = None,
               code: str | None = None, details: dict[str, Any] | None = None) -> dict[str, Any]:
    """A row for the outbox table; the event id is the outbox id, so casework can deduplicate by it."""
    event_id = uuid.uuid4()
    occurred = occurred_at or utcnow()
    event = RegisterEvent(event_id=event_id, event_type=event_type, occurred_at=occurred, pupil=summary,
                          session_date=session_date, session=SessionName(session) if session else None, code=code,
                          details=details or {})
    return {"id": event_id, "event_type": event_type.value, "pupil_id": summary.pupil_id,
            "payload": event.model_dump(mode="json"), "created_at": occurred, "attempts": 0}


def emit(db: Db, event_type: RegisterEventType, summary: PupilSummary, **kwargs: Any) -> uuid.UUID:
    """Add one event to the outbox within the caller's transaction."""
    row = outbox_row(event_type, summary, **kwargs)
    repository.outbox.add_outbox_event(db, OutboxEvent(**row))
    return uuid.UUID(str(row["id"]))


# The outbox row type of a RegisterChange (beside the RegisterEventType values of events).
REGISTER_CHANGE = "register_change"


def emit_change(db: Db, kind: RegisterChangeKind, school_urn: str, pupil_ids: list[uuid.UUID] | None = None) -> None:
    """Tell casework, through the outbox in the caller's transaction, that case pages of these pupils (or of the
    whole school) no longer show what is true, so it rebuilds them rather than re-reading every case in case."""
    ids = pupil_ids or []
    # A request's marks plus the pupils its leave filled in can pass one change's limit: one change per part.
    for start in range(0, max(len(ids), 1), MAX_CHANGED_PUPILS):
        change = RegisterChange(change_id=uuid.uuid4(), kind=kind, school_urn=school_urn,
                                pupil_ids=ids[start:start + MAX_CHANGED_PUPILS], occurred_at=utcnow())
        repository.outbox.add_outbox_event(db, OutboxEvent(
            id=change.change_id, event_type=REGISTER_CHANGE, pupil_id=None, payload=change.model_dump(mode="json"),
            created_at=change.occurred_at, attempts=0))
