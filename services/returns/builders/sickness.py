"""Sickness return: compulsory-school-age pupils recorded with illness (code I) whom the school has reasonable
grounds to believe will miss 15 school days, consecutive or cumulative, in the school year; one return per
continuous period of sickness (rules.md s8).

Counting starts on the first day of the school year (the cumulative count resets each year, rules.md s15
item 4). A continuous period of sickness (a run of I days, builders/days.py) becomes reportable on the earlier
of:

- "reached": the day the year's count reaches 15, or the period's own first day once the count already stands
  at 15 - what the register alone shows;
- "expected": where the school recorded an expectation for the period (services/returns/service/expectations.py), the
  first I day of the period on or after the (English) day it was recorded, provided the count before the
  period plus the school days from the period's first day up to the day before the expected return would reach
  15. An expectation applies to the period that contains its `sickness_start`, or else to the first period
  starting after it (and before the expected return). Without I marks there is nothing to report yet: the
  return is about pupils recorded with I. A withdrawn expectation is ignored, for every period (an unsubmitted
  return regenerated after the withdrawal loses the row; a submitted one keeps it).

The expected school days come from the calendar known: the extract's school days plus `school_days_ahead` (the
school days after the extract, which the caller reads from register). Where the calendar known does not reach
the expected return, the count stops at its last school day, so a long expectation may only be reported once
more of the calendar is known. Days after the last day of the school year are never counted: they belong to
the next year's count.

A period of sickness belongs to the return whose period holds its reportable day, so a period that spans two
returns appears once: reported on expectation, it is not reported again when its count reaches 15 later.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal
from uuid import UUID

from services.returns.builders.days import ILLNESS_CODES, Run, marks_by_pupil, runs
from services.returns.builders.rules import ReturnRules
from shared.contracts.returns import RegisterExtract, SicknessRow

Basis = Literal["reached", "expected"]


@dataclass(frozen=True)
class ExpectedSickness:
    """A school's recorded belief that a pupil's sickness will last until `expected_return`."""

    pupil_id: UUID
    sickness_start: date
    expected_return: date
    recorded_on: date  # the English calendar day it was recorded
    withdrawn: bool = False


@dataclass(frozen=True)
class _Reportable:
    day: date
    basis: Basis
    expected_return: date | None


def applies_to(expectation: ExpectedSickness, pupil_runs: Sequence[Run]) -> Run | None:
    """The period of sickness the expectation is about: the run holding its start, else the first run after it."""
    for run in pupil_runs:  # in date order
        if run.end < expectation.sickness_start:
            continue
        if run.start <= expectation.sickness_start:
            return run
        return run if run.start < expectation.expected_return else None
    return None


def _expected_on(expectation: ExpectedSickness, run: Run, before: int, known_days: Sequence[date],
                 threshold: int) -> date | None:
    """The day the expectation makes the run reportable, if it would take the year's count to the threshold."""
    first = next((d for d in run.days if d >= expectation.recorded_on), None)
    expected_days = bisect_left(known_days, expectation.expected_return) - bisect_left(known_days, run.start)
    return first if first is not None and before + expected_days >= threshold else None


def _reportable(run: Run, before: int, threshold: int, expectations: Sequence[ExpectedSickness],
                known_days: Sequence[date]) -> _Reportable | None:
    reached = None
    if before + run.length >= threshold:
        reached = run.start if before >= threshold else run.days[threshold - before - 1]
    expected = sorted(((day, e) for e in expectations
                       if (day := _expected_on(e, run, before, known_days, threshold)) is not None),
                      key=lambda pair: (pair[0], pair[1].recorded_on))
    if expected and (reached is None or expected[0][0] < reached):
        return _Reportable(expected[0][0], "expected", expected[0][1].expected_return)
    if reached is None:
        return None
    # Reported on the register's count; the school's latest expectation for the period is still worth telling.
    latest = max(expectations, key=lambda e: e.recorded_on, default=None)
    return _Reportable(reached, "reached", latest.expected_return if latest else None)


def sickness_rows(extract: RegisterExtract, period_start: date, period_end: date, rules: ReturnRules,
                  expectations: Sequence[ExpectedSickness] = (),
                  school_days_ahead: Sequence[date] = ()) -> list[SicknessRow]:
    """One row per continuous period of sickness that became reportable within the period.

    `expectations` are the school's (withdrawn ones are ignored); `school_days_ahead` the school days after the
    extract's range, as far as the expectations need them.
    """
    marks = marks_by_pupil(extract.marks)
    year_start, year_end = extract.school.first_day_of_school_year, extract.school.last_day_of_school_year
    school_days = [d for d in extract.school_days if year_start <= d <= period_end]
    known_days = sorted({d for d in (*extract.school_days, *school_days_ahead) if year_start <= d <= year_end})
    by_pupil: dict[UUID, list[ExpectedSickness]] = defaultdict(list)
    for expectation in expectations:
        if not expectation.withdrawn:
            by_pupil[expectation.pupil_id].append(expectation)
    threshold = rules.sickness_school_days
    rows = []
    for pupil in extract.pupils:
        if not pupil.compulsory_school_age:
            continue
        pupil_runs = runs(school_days, marks.get(pupil.pupil_id, {}), ILLNESS_CODES)
        applying: dict[date, list[ExpectedSickness]] = defaultdict(list)
        for expectation in by_pupil.get(pupil.pupil_id, []):
            if (run := applies_to(expectation, pupil_runs)) is not None:
                applying[run.start].append(expectation)
        counted = 0
        for run in pupil_runs:
            before = counted
            counted += run.length
            reportable = _reportable(run, before, threshold, applying.get(run.start, []), known_days)
            if reportable is None or not period_start <= reportable.day <= period_end:
                continue
            rows.append(SicknessRow(
                pupil_id=pupil.pupil_id, legal_forename=pupil.legal_forename, legal_surname=pupil.legal_surname,
                address=pupil.address, year_group=pupil.year_group, sickness_start=run.start,
                sickness_end=run.end, school_days_in_period_of_sickness=run.length,
                school_days_of_sickness_in_school_year=counted, basis=reportable.basis,
                expected_return=reportable.expected_return))
    return sorted(rows, key=lambda r: (r.legal_surname, r.legal_forename, str(r.pupil_id), r.sickness_start))
