"""Pure builders of the statutory returns: each takes a register extract and returns the return's rows."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, timedelta

from pydantic import BaseModel

from services.returns.builders.attendance import attendance_rows
from services.returns.builders.deletion import deletion_rows
from services.returns.builders.new_pupil import new_pupil_rows
from services.returns.builders.rules import ReturnRules
from services.returns.builders.sickness import ExpectedSickness, sickness_rows
from shared.contracts.returns import RegisterExtract, ReturnKind

__all__ = ["BuiltReturn", "ExpectedSickness", "ReturnRules", "attendance_rows", "build_returns", "deletion_rows",
           "new_pupil_rows", "sickness_rows"]


class BuiltReturn(BaseModel):
    kind: ReturnKind
    due_date: date
    rows: list[BaseModel]


def build_returns(extract: RegisterExtract, period_start: date, period_end: date,
                  rules: ReturnRules, kinds: Collection[ReturnKind] | None = None, *,
                  expectations: Sequence[ExpectedSickness] = (),
                  school_days_ahead: Sequence[date] = ()) -> list[BuiltReturn]:
    """The returns (of `kinds`, default all) one school owes for the period. Attendance and sickness returns
    are made even when empty (a nil return); new pupil and deletion returns only when there is an
    admission or deletion. `expectations` and `school_days_ahead` are for the sickness return (see
    sickness.py)."""
    wanted = set(kinds) if kinds is not None else set(ReturnKind)
    built: list[BuiltReturn] = []
    admissions = new_pupil_rows(extract, period_start, period_end, rules) if ReturnKind.NEW_PUPIL in wanted else []
    if admissions:
        built.append(BuiltReturn(kind=ReturnKind.NEW_PUPIL, due_date=min(r.due_date for r in admissions),
                                 rows=list(admissions)))
    deletions = deletion_rows(extract, period_start, period_end) if ReturnKind.DELETION in wanted else []
    if deletions:
        # Made as soon as the ground is met and no later than the deletion itself.
        built.append(BuiltReturn(kind=ReturnKind.DELETION, due_date=min(r.deletion_date for r in deletions),
                                 rows=list(deletions)))
    periodic_due = period_end + timedelta(days=rules.periodic_return_due_days)
    if ReturnKind.ATTENDANCE in wanted:
        built.append(BuiltReturn(kind=ReturnKind.ATTENDANCE, due_date=periodic_due,
                                 rows=list(attendance_rows(extract, period_start, period_end, rules))))
    if ReturnKind.SICKNESS in wanted:
        built.append(BuiltReturn(kind=ReturnKind.SICKNESS, due_date=periodic_due,
                                 rows=list(sickness_rows(extract, period_start, period_end, rules, expectations,
                                                         school_days_ahead))))
    return built
