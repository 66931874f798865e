"""What every service's retention run has in common: the audited run table's columns, the day the periods count
back from, and the two endpoints (the run, for the scheduled workflow; the report of runs, for the LA).

A service supplies a `RetentionJob`: it removes its records past their periods and says how many of each kind went
and the cut-off date of each kind. The run, its cut-offs and counts are written in the same transaction as the
removals, so a removal is never unrecorded. The run row names no pupil: it is the lasting audit of what went.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy import JSON, CursorResult, Date, Delete, String, Uuid, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from shared import clock
from shared.auth import LA_ROLES, CurrentIdentity, Identity, service_caller
from shared.callers import callers
from shared.contracts.retention import RetentionRunReport, RetentionRunRequest
from shared.db import UtcDateTime, new_id, utcnow
from shared.errors import InvalidInput, OutOfScope
from shared.settings import Environment, PlatformSettings, app_platform_settings

log = logging.getLogger(__name__)
# The worker's retention activities call each service's run under this name; no other service may run it.
RETENTION_CALLER = "retention-worker"
RetentionCaller = Annotated[Identity, Depends(service_caller(RETENTION_CALLER))]


class RetentionRunColumns:
    """One retention run of a service: when, by whom, the day counted back from, each kind's cut-off and count."""

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    ran_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    ran_by: Mapped[str] = mapped_column(String(200))
    as_of: Mapped[date] = mapped_column(Date)
    cutoffs: Mapped[dict[str, str]] = mapped_column(JSON)
    removed: Mapped[dict[str, int]] = mapped_column(JSON)
    # Set when the run was limited to some pupils (a test or a targeted run); their ids are not kept.
    limited_to_pupils: Mapped[int | None] = mapped_column()


@dataclass
class Removal:
    cutoffs: dict[str, date] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)


class RetentionJob(Protocol):
    async def __call__(self, db: AsyncSession, as_of: date, pupil_ids: list[uuid.UUID] | None, /) -> Removal: ...


async def delete_counting(db: AsyncSession, statement: Delete) -> int:
    """Run a DELETE and say how many rows it removed."""
    result = await db.execute(statement)
    return result.rowcount if isinstance(result, CursorResult) else 0


def resolve_as_of(requested: date | None, today: date, environment: Environment) -> date:
    """Today unless a service asks for another day; a day after today only outside production, so that in
    production nothing can be removed before its period has run."""
    if requested is None:
        return today
    if requested > today and environment is Environment.PRODUCTION:
        raise InvalidInput("A retention run counts back from today or an earlier day.", field="as_of")
    return requested


def _report(service: str, run: Any) -> RetentionRunReport:
    return RetentionRunReport(id=run.id, service=service, ran_at=run.ran_at, ran_by=run.ran_by, as_of=run.as_of,
                              cutoffs={k: date.fromisoformat(v) for k, v in run.cutoffs.items()},
                              removed=dict(run.removed))


def require_la_officer(identity: Identity) -> None:
    if identity.role not in LA_ROLES:
        raise OutOfScope("Retention reports are for the local authority's officers.")


RETENTION_READERS = callers(LA_ROLES, "counts for the whole service, no pupil named", check=require_la_officer)


def retention_router(service: str, model: type[Any], job: RetentionJob,
                     sessions: Callable[[Request], async_sessionmaker[AsyncSession]]) -> APIRouter:
    """POST /internal/retention/run (services) and GET /api/v1/retention/runs (the LA's officers)."""
    router = APIRouter(tags=["retention"])

    @router.post("/internal/retention/run", response_model=RetentionRunReport)
    async def run(body: RetentionRunRequest, caller: RetentionCaller, request: Request,
                  platform: PlatformSettings = Depends(app_platform_settings)) -> RetentionRunReport:
        """Remove the records past their retention period, and record the run with its counts and cut-offs."""
        as_of = resolve_as_of(body.as_of, clock.today(), platform.environment)
        async with sessions(request)() as db, db.begin():
            removal = await job(db, as_of, body.pupil_ids)
            row = model(ran_at=clock.now(), ran_by=caller.subject, as_of=as_of,
                        cutoffs={k: v.isoformat() for k, v in removal.cutoffs.items()}, removed=removal.removed,
                        limited_to_pupils=None if body.pupil_ids is None else len(body.pupil_ids))
            db.add(row)
            await db.flush()
            report = _report(service, row)
        log.info("retention run of %s as of %s removed %s (cut-offs %s)", service, as_of, removal.removed,
                 report.cutoffs)
        return report

    @router.get("/api/v1/retention/runs", response_model=list[RetentionRunReport],
                dependencies=[Depends(RETENTION_READERS)])
    async def runs(identity: CurrentIdentity, request: Request,
                   limit: int = Query(50, ge=1, le=500)) -> list[RetentionRunReport]:
        """What each retention run removed, newest first (counts and cut-offs; no pupil is named)."""
        if not identity.is_service:
            require_la_officer(identity)
        async with sessions(request)() as db:
            rows = (await db.scalars(select(model).order_by(model.ran_at.desc()).limit(limit))).all()
            return [_report(service, r) for r in rows]

    return router


