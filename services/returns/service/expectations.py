"""Sickness expectations: a school's reasonable grounds to believe a pupil will miss 15 days through sickness
(rules.md s8), recorded so that the sickness return can report the period before the register's count reaches
15 (builders/sickness.py). Who may record them, the checks against the register, and what generation needs.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from services.returns.builders import ExpectedSickness
from services.returns.models import SicknessExpectation
from services.returns.repository import expectations as repository
from services.returns.repository import flush
from services.returns.service import Returns
from services.returns.service.register import from_register
from shared.auth import LA_ROLES, SCHOOL_ROLES, Identity, Role
from shared.contracts.returns import GenerateReturnsRequest, RegisterExtract, ReturnKind
from shared.errors import Conflict, InvalidInput, NotFound, OutOfScope

LONDON = ZoneInfo("Europe/London")
T = TypeVar("T")


class ExpectationNotFound(NotFound):
    pass


class ExpectationAlreadyRecorded(Conflict):
    pass


class ExpectationAlreadyWithdrawn(Conflict):
    pass


# --- who may record them --------------------------------------------------------------------------------------

def require_caller(identity: Identity, urn: str, *, writing: bool = False) -> None:
    """The school's own staff who handle attendance, or LA officers (their LA is checked once it is known).
    Governors see figures only, and the expectation's grounds are about a pupil's health. The data protection
    lead may read them but records nothing."""
    if writing and identity.role is Role.DATA_PROTECTION_LEAD:
        raise OutOfScope("The data protection lead may read sickness expectations but not record them.")
    if identity.is_service or identity.role in LA_ROLES:
        return
    if identity.role in SCHOOL_ROLES and urn in identity.scope.school_urns:
        return
    raise OutOfScope("You do not have access to this school's sickness expectations.")


def _require_la(identity: Identity, la_code: str) -> None:
    if identity.role in LA_ROLES and identity.scope.la_code != la_code:
        raise OutOfScope("You do not have access to this school's sickness expectations.")


async def _require_school_of_my_la(returns: Returns, identity: Identity, urn: str) -> None:
    if identity.role not in LA_ROLES:
        return
    la_code = identity.scope.la_code
    if not la_code or urn not in {s.urn for s in await from_register(returns.register.schools_of_la(la_code))}:
        raise OutOfScope("You do not have access to this school's sickness expectations.")


# --- recording, listing, withdrawing ----------------------------------------------------------------------

async def record(returns: Returns, identity: Identity, urn: str, *, pupil_id: uuid.UUID, sickness_start: date,
                 expected_return: date, grounds: str) -> SicknessExpectation:
    """Record the school's expectation for a pupil on its register on the first day of the sickness."""
    require_caller(identity, urn, writing=True)
    if expected_return <= sickness_start:
        raise InvalidInput("The expected return must be after the first day of sickness.", field="expected_return")
    extract = await from_register(returns.register.extract(urn, sickness_start, sickness_start))
    _require_la(identity, extract.school.la_code)
    if pupil_id not in {p.pupil_id for p in extract.pupils}:
        raise InvalidInput("That pupil is not on this school's register on the first day of sickness.",
                           field="pupil_id")
    if await repository.current_for(returns.db, urn, pupil_id, sickness_start) is not None:
        raise _duplicate()
    expectation = SicknessExpectation(
        id=uuid.uuid4(), school_urn=urn, la_code=extract.school.la_code, pupil_id=pupil_id,
        sickness_start=sickness_start, expected_return=expected_return, grounds=grounds,
        recorded_by=identity.subject[:200], recorded_by_name=identity.name[:200], recorded_at=returns.now)
    repository.add(returns.db, expectation)
    try:
        await flush(returns.db)
        await returns.uow.commit()
    except Conflict as exc:  # recorded by another request at the same moment
        raise _duplicate() from exc
    return expectation


def _duplicate() -> ExpectationAlreadyRecorded:
    return ExpectationAlreadyRecorded(
        "An expectation of this pupil's sickness starting on that day is already recorded: withdraw it first to "
        "record a corrected one.")


async def current(returns: Returns, identity: Identity, urn: str) -> Sequence[SicknessExpectation]:
    """The school's expectations that are not withdrawn."""
    require_caller(identity, urn)
    await _require_school_of_my_la(returns, identity, urn)
    return await repository.current(returns.db, [urn])


async def withdraw(returns: Returns, identity: Identity, urn: str,
                   expectation_id: uuid.UUID) -> SicknessExpectation:
    """The school no longer has grounds to believe it; the row stays, marked withdrawn."""
    require_caller(identity, urn, writing=True)
    expectation = await repository.get(returns.db, expectation_id)
    if expectation is None or expectation.school_urn != urn:
        raise ExpectationNotFound("There is no such sickness expectation at this school.")
    _require_la(identity, expectation.la_code)
    if expectation.withdrawn_at is not None:
        raise ExpectationAlreadyWithdrawn("This sickness expectation has already been withdrawn.")
    expectation.withdrawn_at, expectation.withdrawn_by = returns.now, identity.subject[:200]
    expectation.withdrawn_by_name = identity.name[:200]
    await returns.uow.commit()
    return expectation


# --- what generating the sickness return needs ------------------------------------------------------------

def expected_sickness(expectation: SicknessExpectation) -> ExpectedSickness:
    """The builder's view: the day it was recorded is the English calendar day."""
    return ExpectedSickness(
        pupil_id=expectation.pupil_id, sickness_start=expectation.sickness_start,
        expected_return=expectation.expected_return, recorded_on=expectation.recorded_at.astimezone(LONDON).date(),
        withdrawn=expectation.withdrawn_at is not None)


class SicknessInputs(NamedTuple):
    expectations: list[ExpectedSickness]
    school_days_ahead: list[date]


async def expecting_pupils(returns: Returns, school_urns: Sequence[str], year_start: date) -> list[uuid.UUID]:
    """Pupils of these schools with a current expectation of a sickness reaching past the year's start."""
    rows = await repository.current(returns.db, school_urns, returning_after=year_start)
    return sorted({row.pupil_id for row in rows})


async def sickness_inputs(returns: Returns, extracts: Sequence[RegisterExtract],
                          request: GenerateReturnsRequest) -> dict[str, SicknessInputs]:
    """Each school's current expectations, and its school days after the period as far as they reach (never
    past the school year: the count resets). The days come from register's extract over that range, so they are
    register's own school days (closures left out); it is read only for a school with an expectation running
    past the period."""
    if request.kinds is not None and ReturnKind.SICKNESS not in request.kinds:
        return {}
    by_school: dict[str, list[ExpectedSickness]] = {}
    # One from an earlier school year whose pupil was due back before this one began cannot apply to it.
    year_start = min((e.school.first_day_of_school_year for e in extracts), default=None)
    for row in await repository.current(returns.db, [e.school.urn for e in extracts], returning_after=year_start):
        by_school.setdefault(row.school_urn, []).append(expected_sickness(row))
    inputs: dict[str, SicknessInputs] = {}
    for extract in extracts:
        expectations = by_school.get(extract.school.urn, [])
        if not expectations:
            continue
        start = extract.to_date + timedelta(days=1)
        # The day before the latest expected return of a sickness that may have started by now.
        needed = max((e.expected_return for e in expectations if e.sickness_start <= extract.to_date), default=start)
        end = min(needed - timedelta(days=1), extract.school.last_day_of_school_year)
        ahead = [] if start > end else (
            await from_register(returns.register.extract(extract.school.urn, start, end))).school_days
        inputs[extract.school.urn] = SicknessInputs(expectations, list(ahead))
    return inputs
