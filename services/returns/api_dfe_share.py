"""The DfE daily share's endpoints: the collection the DfE's collector takes (its token opens nothing else), the
scheduled file drop (internal), and the LA's list of collections."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from services.returns import dfe_share
from services.returns.dependencies import Now, RegisterSource, Repository, Settings, Today
from services.returns.reports.routes import school_year_start
from shared import clock
from shared.auth import CurrentIdentity, DfeCollector, Identity, service_caller
from shared.callers import LA_OFFICERS
from shared.contracts.returns import DfeCollectionRecord, DfeCollectionTime, DfeShareDropRequest, DfeShareDropResult

# The scheduled drop runs in the worker, as the returns worker; no other service writes the file.
DropCaller = Annotated[Identity, Depends(service_caller("returns-worker"))]

collector = APIRouter(prefix="/api/v1/dfe", tags=["dfe daily share"])
internal = APIRouter(prefix="/internal/dfe", tags=["internal"])
la_router = APIRouter(prefix="/api/v1/las", tags=["dfe daily share"])


@collector.get("/daily-share.csv", response_class=Response)
async def collect(identity: DfeCollector, repository: Repository, source: RegisterSource, settings: Settings,
                  now: Now, la: str | None = None, school: str | None = None,
                  share_date: date | None = Query(None, alias="date"),
                  collection: DfeCollectionTime | None = None) -> Response:
    """The day's share for one LA (`la`) or one school (`school`); without `date` today, without `collection` the
    one the time of day falls in. Each call is recorded (GET /api/v1/las/{la}/dfe-collections)."""
    share = await dfe_share.build_share(
        source, identity, la_code=la, school_urn=school, share_date=share_date or clock.england_date(now),
        collection=collection or dfe_share.collection_at(now),
        include_independent=settings.dfe_share_include_independent)
    content = share.csv
    row = dfe_share.record(repository.session, share, by=identity.subject, channel="api", at=now)
    await repository.session.flush()
    return Response(content, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{share.file_name}"', "X-Collection-Id": str(row.id),
        "X-Content-SHA256": row.content_sha256})


@internal.post("/daily-share/drop", response_model=DfeShareDropResult)
async def drop(body: DfeShareDropRequest, caller: DropCaller, repository: Repository, source: RegisterSource,
               settings: Settings, now: Now) -> DfeShareDropResult:
    """The scheduled file drop: the same share written to `RETURNS_DFE_SHARE_DROP_DIR` and recorded."""
    return await dfe_share.drop(repository.session, source, caller, body, folder=settings.dfe_share_drop_dir,
                                include_independent=settings.dfe_share_include_independent, at=now)


@la_router.get("/{la_code}/dfe-collections", dependencies=[Depends(LA_OFFICERS)],
               response_model=list[DfeCollectionRecord])
async def collections(la_code: str, identity: CurrentIdentity, repository: Repository, today: Today,
                      from_date: date | None = Query(None, alias="from"),
                      to_date: date | None = Query(None, alias="to")) -> list[DfeCollectionRecord]:
    """Without dates: the school year so far."""
    return await dfe_share.collections_of_la(repository.session, identity, la_code,
                                             from_date or school_year_start(today), to_date or today)
