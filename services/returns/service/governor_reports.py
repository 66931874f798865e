"""Termly governor reports: at the end of each term of a school's own calendar (register's terms), the governor
report for that term is produced and stored, once per school and term, for its headteacher and governors.

The LA's schedule runs daily (workflows/returns/governor.py), so a term is reported on the day after it ends
whatever the school's dates; a run stores only the terms not stored yet, so a rerun or a caught-up run adds
nothing twice (the unique key of school, academic year and term holds against two runs at once too).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import date, timedelta

from services.returns.models import GovernorReportRecord
from services.returns.reports.governor import GovernorReport, build_governor_report, load_national_figures
from services.returns.repository import governor_reports as repository
from services.returns.service import Returns
from services.returns.service.register import from_register
from shared.auth import Identity, Role
from shared.contracts.register import SchoolTermDates
from shared.contracts.returns import (
    GovernorReportsRequest,
    GovernorReportsResult,
    RegisterExtract,
    StoredGovernorReport,
)
from shared.db import utcnow
from shared.errors import NotFound, OutOfScope
from shared.unit_of_work import Db

log = logging.getLogger(__name__)

# Who reads a school's stored governor reports: its headteacher and its governors (the reports are for the
# governing board), and services.
READERS = {Role.HEADTEACHER, Role.GOVERNOR}


def ended_terms(terms: list[SchoolTermDates], as_of: date, lookback_days: int) -> list[SchoolTermDates]:
    """Terms over by `as_of` (their last day before it) and not longer ago than the lookback."""
    earliest = as_of - timedelta(days=lookback_days)
    return [t for t in terms if earliest <= t.end_date < as_of]


async def produce(returns: Returns, caller: Identity, request: GovernorReportsRequest) -> GovernorReportsResult:
    """Store the report of every ended term of the LA's schools that has none yet."""
    source, db = returns.register, returns.db
    minimum_group, lookback_days = returns.settings.report_minimum_group, returns.settings.governor_report_lookback_days
    schools = await from_register(source.schools_of_la(request.la_code))
    if not schools:
        raise NotFound(f"The register holds no school of local authority {request.la_code}.")
    stored = await repository.stored_terms(db, [s.urn for s in schools])
    national = await asyncio.to_thread(load_national_figures)
    # Schools of one LA mostly share term dates: the LA's registers are read once per term's dates.
    la_by_dates: dict[tuple[date, date], list[RegisterExtract]] = {}
    produced: list[str] = []
    already = 0
    for school in schools:
        for term in ended_terms(await from_register(source.terms(school.urn)), request.as_of, lookback_days):
            if (school.urn, term.academic_year, term.name) in stored:
                already += 1
                continue
            dates = (term.start_date, term.end_date)
            extract = await from_register(source.extract(school.urn, *dates))
            if dates not in la_by_dates:
                la_by_dates[dates] = [await from_register(source.extract(s.urn, *dates)) for s in schools]
            report = build_governor_report(extract, la_by_dates[dates], term.start_date, term.end_date, national,
                                           minimum_group=minimum_group, today=request.as_of)
            if await _store(db, school.urn, request.la_code, term, report, caller):
                produced.append(f"{school.urn} {term.academic_year} {term.name}")
            else:
                already += 1
    await returns.uow.commit()
    log.info("governor reports for LA %s as of %s: %d produced, %d already stored", request.la_code,
             request.as_of, len(produced), already)
    return GovernorReportsResult(schools=len(schools), produced=len(produced), already_stored=already,
                                 produced_terms=produced)


async def _store(db: Db, urn: str, la_code: str, term: SchoolTermDates, report: GovernorReport,
                 caller: Identity) -> bool:
    """False when another run stored the same school and term first (the unique key refused this one)."""
    return await repository.add_unless_stored(db, GovernorReportRecord(
        school_urn=urn, la_code=la_code, academic_year=term.academic_year, term_name=term.name,
        term_start=term.start_date, term_end=term.end_date, produced_at=utcnow(),
        produced_by=caller.caller or caller.subject, report=report.model_dump(mode="json")))


def _require_reader(identity: Identity, urn: str) -> None:
    if identity.is_service:
        return
    if identity.role in READERS and urn in identity.scope.school_urns:
        return
    raise OutOfScope("The school's stored governor reports are for its headteacher and governors.")


def _listed(record: GovernorReportRecord) -> StoredGovernorReport:
    return StoredGovernorReport(id=record.id, school_urn=record.school_urn, la_code=record.la_code,
                                academic_year=record.academic_year, term_name=record.term_name,
                                term_start=record.term_start, term_end=record.term_end,
                                produced_at=record.produced_at)


async def list_for_school(returns: Returns, identity: Identity, urn: str) -> list[StoredGovernorReport]:
    _require_reader(identity, urn)
    return [_listed(r) for r in await repository.for_school(returns.db, urn)]


async def stored_report(returns: Returns, identity: Identity, urn: str, report_id: uuid.UUID) -> GovernorReport:
    _require_reader(identity, urn)
    record = await repository.get(returns.db, report_id)
    if record is None or record.school_urn != urn:
        raise NotFound("There is no such governor report for this school.")
    return GovernorReport.model_validate(record.report)
