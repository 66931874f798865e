"""The DfE daily share's endpoints: the collection the DfE's collector takes (its token opens nothing else) and the
LA's list of collections. The scheduled file drop is in api/internal.py."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Query, Response

from services.returns.dependencies import ReturnsDep
from services.returns.service import dfe_share
from services.returns.service.reports import school_year_start
from shared.auth import CurrentIdentity, DfeCollector
from shared.callers import LA_OFFICERS
from shared.contracts.returns import DfeCollectionRecord, DfeCollectionTime

collector = APIRouter(prefix="/api/v1/dfe", tags=["dfe daily share"])
la_router = APIRouter(prefix="/api/v1/las", tags=["dfe daily share"])


@collector.get("/daily-share.csv", response_class=Response)
async def collect(identity: DfeCollector, returns: ReturnsDep, la: str | None = None, school: str | None = None,
                  share_date: date | None = Query(None, alias="date"),
                  collection: DfeCollectionTime | None = None) -> Response:
    """The day's share for one LA (`la`) or one school (`school`); without `date` today, without `collection` the
    one the time of day falls in. Each call is recorded (GET /api/v1/las/{la}/dfe-collections)."""
    share, row = await dfe_share.collect(returns, identity, la_code=la, school_urn=school, share_date=share_date,
                                         collection=collection)
    return Response(share.csv, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{share.file_name}"', "X-Collection-Id": str(row.id),
        "X-Content-SHA256": row.content_sha256})


@la_router.get("/{la_code}/dfe-collections", dependencies=[Depends(LA_OFFICERS)],
               response_model=list[DfeCollectionRecord])
async def collections(la_code: str, identity: CurrentIdentity, returns: ReturnsDep,
                      from_date: date | None = Query(None, alias="from"),
                      to_date: date | None = Query(None, alias="to")) -> list[DfeCollectionRecord]:
    """Without dates: the school year so far."""
    return await dfe_share.collections_of_la(returns, identity, la_code,
                                             from_date or school_year_start(returns.today), to_date or returns.today)
