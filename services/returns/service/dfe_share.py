"""The DfE daily attendance data share (rules.md s9): the daily extract (reports/dfe.py) served to the DfE's
collector twice a day, per LA or per school, and written to a drop folder on a schedule; every collection is
recorded with who took it, which schools, how many rows and a hash of exactly what was served.

State-funded schools only [H]; independent schools only when `RETURNS_DFE_SHARE_INCLUDE_INDEPENDENT` is set,
because whether the duty covers them was not confirmed [L]. Logs name schools, counts and hashes, never a pupil.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from services.returns.models import DfeCollection
from services.returns.reports.dfe import DFE_COLUMNS, dfe_daily_rows
from services.returns.repository import dfe_share as repository
from services.returns.service import Returns
from services.returns.service.export import to_csv
from services.returns.service.register import from_register
from shared import clock
from shared.auth import LA_ROLES, Identity
from shared.clients.register_extract import RegisterExtractClient
from shared.contracts.register import SchoolSummary
from shared.contracts.returns import DfeCollectionRecord, DfeCollectionTime, DfeShareDropRequest, DfeShareDropResult
from shared.errors import InvalidInput, NotFound, OutOfScope
from shared.unit_of_work import Db

log = logging.getLogger(__name__)

# The morning collection is taken once the morning register has closed; before noon it is the morning one.
AFTERNOON_FROM_HOUR = 12


@dataclass
class Share:
    share_date: date
    collection: DfeCollectionTime
    la_code: str | None
    school_urns: list[str]
    rows: list[dict[str, Any]]

    @property
    def csv(self) -> bytes:
        return to_csv(self.rows, DFE_COLUMNS)

    @property
    def file_name(self) -> str:
        # Identifiers only: the file name carries no pupil data.
        who = f"la-{self.la_code}" if self.la_code and len(self.school_urns) != 1 else f"school-{self.school_urns[0]}"
        return f"dfe-daily-{who}-{self.share_date.isoformat()}-{self.collection.value}.csv"


def collection_at(moment: datetime) -> DfeCollectionTime:
    """Which of the day's two collections a moment falls in (English time)."""
    hour = moment.astimezone(clock.ENGLAND).hour
    return DfeCollectionTime.AFTERNOON if hour >= AFTERNOON_FROM_HOUR else DfeCollectionTime.MORNING


def shared_schools(schools: list[SchoolSummary], include_independent: bool) -> list[SchoolSummary]:
    return [s for s in schools if include_independent or not s.independent]


async def _schools(source: RegisterExtractClient, identity: Identity, la_code: str | None,
                   school_urn: str | None, include_independent: bool) -> tuple[str | None, list[SchoolSummary]]:
    if (la_code is None) == (school_urn is None):
        raise InvalidInput("Collect the share for one LA (la) or one school (school), not both or neither.",
                           field="la")
    every = await from_register(source.schools())
    if school_urn is not None:
        found = [s for s in every if s.urn == school_urn]
        if not found:
            raise NotFound(f"The register holds no school {school_urn}.")
        la_code = found[0].la_code
        chosen = found
    else:
        chosen = [s for s in every if s.la_code == la_code]
        if not chosen:
            raise NotFound(f"The register holds no school of local authority {la_code}.")
    # A collector's token may be limited to an LA or to schools; a service's is not.
    if identity.scope.la_code and identity.scope.la_code != la_code or identity.scope.school_urns and any(
            s.urn not in identity.scope.school_urns for s in chosen):
        raise OutOfScope("The collector's token does not cover these schools.")
    shared = shared_schools(chosen, include_independent)
    if school_urn is not None and not shared:
        raise NotFound(f"School {school_urn} is independent: it is not in the DfE daily share.")
    return la_code, shared


async def build_share(source: RegisterExtractClient, identity: Identity, *, la_code: str | None,
                      school_urn: str | None, share_date: date, collection: DfeCollectionTime,
                      include_independent: bool) -> Share:
    la_code, schools = await _schools(source, identity, la_code, school_urn, include_independent)
    rows: list[dict[str, Any]] = []
    for school in schools:
        extract = await from_register(source.extract(school.urn, share_date, share_date))
        school_rows = dfe_daily_rows(extract, share_date)
        if collection is DfeCollectionTime.MORNING:
            # The afternoon register is not taken yet: the morning collection carries the AM codes only.
            school_rows = [{**row, "pm_code": None} for row in school_rows]
        rows.extend(school_rows)
    return Share(share_date, collection, la_code, [s.urn for s in schools], rows)


async def collect(returns: Returns, identity: Identity, *, la_code: str | None, school_urn: str | None,
                  share_date: date | None, collection: DfeCollectionTime | None) -> tuple[Share, DfeCollection]:
    """The day's share for the DfE's collector (without a date today, without a collection the one the time of
    day falls in), recorded as collected through the API."""
    settings, now = returns.settings, returns.now
    share = await build_share(
        returns.register, identity, la_code=la_code, school_urn=school_urn,
        share_date=share_date or clock.england_date(now), collection=collection or collection_at(now),
        include_independent=settings.dfe_share_include_independent)
    row = record(returns.db, share, by=identity.subject, channel="api", at=now)
    await returns.uow.commit()
    return share, row


def record(db: Db, share: Share, *, by: str, channel: str, at: datetime,
           file_name: str | None = None) -> DfeCollection:
    digest = hashlib.sha256(share.csv).hexdigest()
    row = DfeCollection(collected_at=at, collected_by=by, channel=channel, collection=share.collection.value,
                        share_date=share.share_date, la_code=share.la_code, school_urns=share.school_urns,
                        row_count=len(share.rows), content_sha256=digest, file_name=file_name)
    repository.add(db, row)
    log.info("DfE daily share collected: channel=%s by=%s la=%s schools=%d rows=%d sha256=%s", channel, by,
             share.la_code, len(share.school_urns), len(share.rows), digest)
    return row


async def drop(returns: Returns, identity: Identity, request: DfeShareDropRequest) -> DfeShareDropResult:
    """Write the LA's share to the drop folder (replacing the same collection's file) and record it."""
    folder, include_independent = returns.settings.dfe_share_drop_dir, returns.settings.dfe_share_include_independent
    if not folder:
        return DfeShareDropResult(written=False)
    share = await build_share(returns.register, identity, la_code=request.la_code, school_urn=None,
                              share_date=request.share_date, collection=request.collection,
                              include_independent=include_independent)
    target = Path(folder) / share.file_name
    await asyncio.to_thread(_write, target, share.csv)
    row = record(returns.db, share, by=identity.subject, channel="file_drop", at=returns.now,
                 file_name=share.file_name)
    await returns.uow.commit()
    return DfeShareDropResult(written=True, file_name=share.file_name, row_count=len(share.rows),
                              collection_id=row.id)


def _write(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.write_bytes(content)
    # The DfE's pick-up never sees half a file.
    partial.replace(target)


async def collections_of_la(returns: Returns, identity: Identity, la_code: str, start: date,
                            end: date) -> list[DfeCollectionRecord]:
    """Every collection of the LA's share between the dates (share dates), newest first: the LA's officers."""
    if not (identity.is_service or identity.role in LA_ROLES and identity.scope.la_code == la_code):
        raise OutOfScope("Only the local authority's own officers see its DfE share collections.")
    if start > end:
        raise InvalidInput("The end date must not be before the start date.", field="to")
    rows = await repository.of_la(returns.db, la_code, start, end)
    return [DfeCollectionRecord(id=r.id, collected_at=r.collected_at, collected_by=r.collected_by, channel=r.channel,
                                collection=DfeCollectionTime(r.collection), share_date=r.share_date,
                                la_code=r.la_code, school_urns=list(r.school_urns), row_count=r.row_count,
                                content_sha256=r.content_sha256, file_name=r.file_name) for r in rows]
