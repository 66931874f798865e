"""The returns service's rules: generating returns from the registers, who may see them, submitting them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from services.returns.builders import BuiltReturn, ReturnRules, build_returns
from services.returns.exceptions import (
    GenerationInProgress,
    RegisterUnavailable,
    ReturnAlreadySubmitted,
    ReturnNotFound,
)
from services.returns.models import LaReturn
from services.returns.repository import flush, refused_as_conflict
from services.returns.repository import returns as repository
from services.returns.schemas import ReturnDetail
from services.returns.service import Returns
from services.returns.service.expectations import SicknessInputs, expecting_pupils, sickness_inputs
from shared.auth import LA_ROLES, SCHOOL_ROLES, Identity
from shared.contracts.returns import (
    GenerateReturnsRequest,
    GenerateReturnsResult,
    RegisterExtract,
    ReturnKind,
    ReturnsExtract,
    ReturnsExtractRequest,
    ReturnStatus,
    ReturnSummary,
)
from shared.errors import Conflict, NotFound, OutOfScope
from shared.http import ServiceCallFailed
from shared.unit_of_work import Db


def school_year_start(day: date) -> date:
    """1 August before `day`: the school year begins with the first term after July (EA 1996 s579)."""
    return date(day.year if day.month >= 8 else day.year - 1, 8, 1)


def effective_status(la_return: LaReturn, today: date) -> ReturnStatus:
    if la_return.status == ReturnStatus.SUBMITTED.value:
        return ReturnStatus.SUBMITTED
    return ReturnStatus.LATE if la_return.due_date < today else ReturnStatus.DUE


def summary(la_return: LaReturn, today: date) -> ReturnSummary:
    return ReturnSummary(
        id=la_return.id, la_code=la_return.la_code, school_urn=la_return.school_urn,
        kind=ReturnKind(la_return.kind), period=la_return.period, period_start=la_return.period_start,
        period_end=la_return.period_end, due_date=la_return.due_date, status=effective_status(la_return, today),
        row_count=la_return.row_count, generated_at=la_return.generated_at, submitted_at=la_return.submitted_at)


def detail(la_return: LaReturn, today: date) -> ReturnDetail:
    return ReturnDetail(**summary(la_return, today).model_dump(), content=la_return.content)


def extract_request(request: GenerateReturnsRequest, rules: ReturnRules,
                    expecting: Sequence[uuid.UUID]) -> ReturnsExtractRequest:
    """What the register is asked for: from the school year's start (runs and the year's illness count reach
    back to it) to the period's end, listing every pupil a return of the kinds asked for may name. Each count
    asked is a necessary condition of a criterion (a run of 10 whole days holds at least 10 unauthorised
    sessions; 15 days of illness at least 15 I sessions); pupils with a sickness expectation are listed whatever
    their count."""
    wanted = set(request.kinds or ReturnKind)
    attendance, sickness = ReturnKind.ATTENDANCE in wanted, ReturnKind.SICKNESS in wanted
    threshold = rules.irregular_unauthorised_absence_percent if attendance else None
    return ReturnsExtractRequest(
        from_date=school_year_start(request.period_start), period_start=request.period_start,
        to_date=request.period_end, admitted_in_period=ReturnKind.NEW_PUPIL in wanted,
        with_deletion=ReturnKind.DELETION in wanted,
        unauthorised_sessions_at_least=rules.continuous_absence_school_days if attendance else None,
        illness_sessions_at_least=rules.sickness_school_days if sickness else None,
        unauthorised_per_thousand_at_least=None if threshold is None else min(max(int(threshold * 10), 0), 1000),
        possible_at_least=rules.irregular_attendance_min_possible_sessions,
        pupil_ids=list(expecting) if sickness else [])


async def _fetch_extracts(returns: Returns, request: GenerateReturnsRequest) -> list[ReturnsExtract]:
    source = returns.register
    try:
        schools = await source.schools_of_la(request.la_code)
        if not schools:
            raise NotFound(f"The register holds no school of local authority {request.la_code}.")
        expecting = await expecting_pupils(returns, [s.urn for s in schools],
                                           school_year_start(request.period_start))
        asked = extract_request(request, returns.settings.rules, expecting)
        return await source.returns_extracts(request.la_code, asked)
    except ServiceCallFailed as exc:
        if exc.status == 404:
            raise NotFound(f"The register does not know local authority {request.la_code}.") from exc
        raise RegisterUnavailable(f"The register could not provide the registers: {exc.detail}") from exc


def _store(db: Db, existing: dict[str, LaReturn], built: BuiltReturn,
           request: GenerateReturnsRequest, school_urn: str, now: datetime, today: date) -> LaReturn:
    content: list[dict[str, Any]] = [row.model_dump(mode="json") for row in built.rows]
    row = existing.get(built.kind.value)
    if row is None:
        row = LaReturn(id=uuid.uuid4(), la_code=request.la_code, school_urn=school_urn, kind=built.kind.value,
                       period=request.period, period_start=request.period_start, period_end=request.period_end)
        repository.add(db, row)
    elif row.status == ReturnStatus.SUBMITTED.value:
        return row  # kept as submitted
    row.content, row.row_count, row.due_date, row.generated_at = content, len(content), built.due_date, now
    row.status = (ReturnStatus.LATE if built.due_date < today else ReturnStatus.DUE).value
    return row


async def _without_periods_already_submitted(db: Db, request: GenerateReturnsRequest,
                                             extract: RegisterExtract, built: BuiltReturn) -> BuiltReturn:
    """One sickness return per continuous period of sickness: a period the school has already submitted in
    another return of the year (say on expectation, since withdrawn) is not reported again."""
    if built.kind is not ReturnKind.SICKNESS or not built.rows:
        return built
    earlier = await repository.submitted_in_year(db, request.la_code, extract.school.urn, ReturnKind.SICKNESS.value,
                                                 extract.school.first_day_of_school_year, request.period)
    reported = {(str(row.get("pupil_id")), str(row.get("sickness_start"))) for r in earlier for row in r.content}
    rows = [row for row in built.rows if (str(getattr(row, "pupil_id", "")),
                                          str(getattr(row, "sickness_start", ""))) not in reported]
    return built.model_copy(update={"rows": rows})


async def _store_all(db: Db, extracts: Sequence[RegisterExtract], rules: ReturnRules,
                     request: GenerateReturnsRequest, now: datetime, today: date,
                     sickness: dict[str, SicknessInputs]) -> list[LaReturn]:
    stored: list[LaReturn] = []
    requested = {k.value for k in (request.kinds or list(ReturnKind))}
    for extract in extracts:
        urn = extract.school.urn
        existing = {r.kind: r for r in await repository.for_period(db, request.la_code, urn, request.period)}
        expected = sickness.get(urn, SicknessInputs([], []))
        built = build_returns(extract, request.period_start, request.period_end, rules, request.kinds,
                              expectations=expected.expectations, school_days_ahead=expected.school_days_ahead)
        built = [await _without_periods_already_submitted(db, request, extract, b) for b in built]
        stored += [_store(db, existing, b, request, urn, now, today) for b in built]
        for kind in (set(existing) & requested) - {b.kind.value for b in built}:
            if existing[kind].status != ReturnStatus.SUBMITTED.value:
                await repository.delete(db, existing[kind])  # the admission or deletion is no longer there
    await repository.mark_late(db, today)
    await flush(db)
    return stored


async def generate(returns: Returns, request: GenerateReturnsRequest) -> GenerateReturnsResult:
    """Build every return of every school of the LA for the period; regenerating the same period replaces
    unsubmitted returns and never touches submitted ones."""
    rules: ReturnRules = returns.settings.rules
    now, today = returns.now, returns.today
    # Every extract is read before anything is written, so a register failure leaves nothing half-done.
    extracts = await _fetch_extracts(returns, request)
    sickness = await sickness_inputs(returns, extracts, request)
    try:
        with refused_as_conflict():
            stored = await _store_all(returns.db, extracts, rules, request, now, today, sickness)
        await returns.uow.commit()
    except Conflict as exc:
        # Another generation of the same period got there first; the caller may simply try again.
        raise GenerationInProgress("These returns are being generated by another request; try again.") from exc
    return GenerateReturnsResult(la_code=request.la_code, period=request.period, schools=len(extracts),
                                 returns=[summary(r, today) for r in stored])


def _require_reader(identity: Identity) -> None:
    # Returns name pupils: governors and social workers see figures or their own pupils elsewhere.
    if not (identity.is_service or identity.role in SCHOOL_ROLES or identity.role in LA_ROLES):
        raise OutOfScope("Your role does not give access to statutory returns.")


def can_see(identity: Identity, la_return: LaReturn) -> bool:
    if identity.is_service:
        return True
    if identity.role in SCHOOL_ROLES:
        return la_return.school_urn in identity.scope.school_urns
    if identity.role in LA_ROLES:
        return la_return.la_code == identity.scope.la_code
    return False


async def list_returns(returns: Returns, identity: Identity, *, school_urn: str | None = None,
                       kind: ReturnKind | None = None, period: str | None = None) -> list[ReturnSummary]:
    """The returns this identity may see: LA roles their LA's, school roles their schools'."""
    _require_reader(identity)
    la_code: str | None = None
    urns: Sequence[str] | None = [school_urn] if school_urn else None
    if identity.role in SCHOOL_ROLES:
        urns = [u for u in (urns or identity.scope.school_urns) if u in identity.scope.school_urns]
    elif identity.role in LA_ROLES:
        la_code = identity.scope.la_code or ""
    rows = await repository.search(returns.db, la_code=la_code, school_urns=urns,
                                   kind=kind.value if kind else None, period=period)
    return [summary(r, returns.today) for r in rows]


async def get_return(returns: Returns, identity: Identity, return_id: uuid.UUID) -> LaReturn:
    _require_reader(identity)
    la_return = await repository.get(returns.db, return_id)
    if la_return is None or not can_see(identity, la_return):
        # The same answer for another school's return as for none, so scope cannot be probed.
        raise ReturnNotFound("There is no such return.")
    return la_return


async def submit(returns: Returns, identity: Identity, return_id: uuid.UUID) -> ReturnSummary:
    """The school sends the return to its LA; the content is kept as submitted."""
    la_return = await get_return(returns, identity, return_id)
    if not (identity.is_service or identity.role in SCHOOL_ROLES):
        raise OutOfScope("Only the school submits its returns.")
    if la_return.status == ReturnStatus.SUBMITTED.value:
        raise ReturnAlreadySubmitted("This return has already been submitted.")
    la_return.status, la_return.submitted_at, la_return.submitted_by = (
        ReturnStatus.SUBMITTED.value, returns.now, identity.subject)
    await returns.uow.commit()
    return summary(la_return, returns.today)
