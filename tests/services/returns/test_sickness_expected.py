"""The sickness return with the schools' expectations: a period of sickness reported once the school has reasonable
grounds to believe the pupil will miss 15 days, built from known registers (world.py: half term 26-30 Oct,
Christmas from 21 Dec)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.dialects import sqlite

from services.returns.builders import ReturnRules, build_returns
from services.returns.builders.sickness import ExpectedSickness, sickness_rows
from services.returns.models import SicknessExpectation
from services.returns.service.expectations import expected_sickness
from shared.contracts.returns import ExtractPupil, ReturnKind, SicknessRow
from shared.db import UtcDateTime
from tests.services.returns.world import World

pytestmark = pytest.mark.unit

OCT = (date(2026, 10, 1), date(2026, 10, 31))
NOV = (date(2026, 11, 1), date(2026, 11, 30))
DEC = (date(2026, 12, 1), date(2026, 12, 31))
RULES = ReturnRules()


def expect(pupil: ExtractPupil, start: date, back: date, recorded_on: date, withdrawn: bool = False
           ) -> ExpectedSickness:
    return ExpectedSickness(pupil_id=pupil.pupil_id, sickness_start=start, expected_return=back,
                            recorded_on=recorded_on, withdrawn=withdrawn)


def summary(rows: list[SicknessRow]) -> list[tuple[object, ...]]:
    return [(r.basis, r.sickness_start, r.sickness_end, r.school_days_in_period_of_sickness,
             r.school_days_of_sickness_in_school_year, r.expected_return) for r in rows]


def monthly(world: World, expectations: list[ExpectedSickness]) -> dict[str, list[SicknessRow]]:
    """Each month's return as generation makes it: the extract to the month's end, the school days after it."""
    return {name: sickness_rows(world.extract(to_date=end), start, end, RULES, expectations,
                                [d for d in world.school_days if d > end])
            for name, (start, end) in {"oct": OCT, "nov": NOV, "dec": DEC}.items()}


def test_four_more_school_weeks_over_half_term_are_reported_when_recorded_and_only_then(world: World) -> None:
    pupil = world.pupil()
    world.mark(pupil, world.days(date(2026, 10, 12), date(2026, 11, 20)), "I")
    # Recorded on the 5th day of illness: back after four more school weeks (half term is not one).
    expectation = expect(pupil, date(2026, 10, 12), date(2026, 11, 23), recorded_on=date(2026, 10, 16))
    rows = monthly(world, [expectation])
    assert summary(rows["oct"]) == [
        ("expected", date(2026, 10, 12), date(2026, 10, 23), 10, 10, date(2026, 11, 23))]
    # The count reaches 15 on 6 November, in the same period of sickness: not reported a second time.
    assert rows["nov"] == []
    assert rows["dec"] == []
    # Without the expectation the register's count decides: November, on the 15th day.
    reached = sickness_rows(world.extract(to_date=NOV[1]), *NOV, RULES)
    assert summary(reached) == [("reached", date(2026, 10, 12), date(2026, 11, 20), 25, 25, None)]


def test_an_expectation_counts_only_the_school_days_the_calendar_known_holds(world: World) -> None:
    pupil = world.pupil()
    world.mark(pupil, world.days(date(2026, 10, 12), date(2026, 10, 23)), "I")
    expectation = expect(pupil, date(2026, 10, 12), date(2026, 11, 23), recorded_on=date(2026, 10, 16))
    extract = world.extract(to_date=OCT[1])
    # The extract reaches 31 October only: 10 school days of the 25 expected are known, so not yet.
    assert sickness_rows(extract, *OCT, RULES, [expectation]) == []
    ahead = world.days(date(2026, 11, 1), date(2026, 11, 22))
    assert [r.basis for r in sickness_rows(extract, *OCT, RULES, [expectation], ahead)] == ["expected"]


@pytest.mark.parametrize(("back", "reported"), [(date(2026, 11, 20), False), (date(2026, 11, 23), True)])
def test_an_expectation_that_would_not_reach_fifteen_days_is_not_reported(world: World, back: date,
                                                                          reported: bool) -> None:
    pupil = world.pupil()
    world.mark(pupil, world.days(date(2026, 11, 2), date(2026, 11, 13)), "I")  # 10 days, then back
    # 2-19 November is 14 school days; to the 20th, 15.
    rows = monthly(world, [expect(pupil, date(2026, 11, 2), back, recorded_on=date(2026, 11, 3))])
    assert summary(rows["nov"]) == ([("expected", date(2026, 11, 2), date(2026, 11, 13), 10, 10, back)]
                                    if reported else [])


def test_an_expectation_recorded_before_any_illness_is_reported_from_the_first_i_day(world: World) -> None:
    pupil = world.pupil()
    # Surgery planned for Friday 6 November, moved to Monday 9th; back on 7 December (20 school days).
    expectation = expect(pupil, date(2026, 11, 6), date(2026, 12, 7), recorded_on=date(2026, 10, 20))
    world.mark(pupil, world.days(date(2026, 11, 9), date(2026, 12, 4)), "I")
    rows = monthly(world, [expectation])
    assert rows["oct"] == []  # no I marks yet: nothing to report yet
    assert summary(rows["nov"]) == [
        ("expected", date(2026, 11, 9), date(2026, 11, 30), 16, 16, date(2026, 12, 7))]
    assert rows["dec"] == []
    no_illness_yet = sickness_rows(world.extract(to_date=date(2026, 11, 6)), date(2026, 11, 1), date(2026, 11, 6),
                                   RULES, [expectation], world.days(date(2026, 11, 7), date(2026, 12, 6)))
    assert no_illness_yet == []


def test_the_first_i_day_on_or_after_the_recording_day_is_the_reportable_day(world: World) -> None:
    pupil = world.pupil()
    world.mark(pupil, world.days(date(2026, 11, 23), date(2026, 12, 18)), "I")
    # Recorded on Saturday 28 November after six days of illness: reportable on Monday 30th, in November.
    saturday = expect(pupil, date(2026, 11, 23), date(2027, 1, 5), recorded_on=date(2026, 11, 28))
    assert [r.basis for r in monthly(world, [saturday])["nov"]] == ["expected"]
    # Recorded on 1 December: the December return, whose period holds that day.
    december = expect(pupil, date(2026, 11, 23), date(2027, 1, 5), recorded_on=date(2026, 12, 1))
    rows = monthly(world, [december])
    assert rows["nov"] == []
    assert summary(rows["dec"]) == [
        ("expected", date(2026, 11, 23), date(2026, 12, 18), 20, 20, date(2027, 1, 5))]


def test_a_withdrawn_expectation_is_ignored(world: World) -> None:
    pupil = world.pupil()
    world.mark(pupil, world.days(date(2026, 10, 12), date(2026, 11, 20)), "I")
    withdrawn = expect(pupil, date(2026, 10, 12), date(2026, 11, 23), recorded_on=date(2026, 10, 16),
                       withdrawn=True)
    rows = monthly(world, [withdrawn])
    assert rows["oct"] == []
    assert summary(rows["nov"]) == [("reached", date(2026, 10, 12), date(2026, 11, 20), 25, 25, None)]


def test_pupils_not_of_compulsory_school_age_are_never_reported(world: World) -> None:
    pupil = world.pupil(compulsory_school_age=False, year_group="R")
    world.mark(pupil, world.days(date(2026, 10, 12), date(2026, 11, 20)), "I")
    rows = monthly(world, [expect(pupil, date(2026, 10, 12), date(2026, 11, 23), recorded_on=date(2026, 10, 12))])
    assert rows == {"oct": [], "nov": [], "dec": []}


@pytest.mark.parametrize(("back", "november", "december"), [
    # 10 days in September and 5 expected (26 Nov to 2 Dec) reach 15: November, on the recording day.
    (date(2026, 12, 3), [("expected", date(2026, 11, 26), date(2026, 11, 30), 3, 13, date(2026, 12, 3))], []),
    # One day fewer expected: 14, so the register's count decides, in December on the 15th day.
    (date(2026, 12, 2), [], [("reached", date(2026, 11, 26), date(2026, 12, 4), 7, 17, date(2026, 12, 2))]),
])
def test_an_earlier_period_counts_towards_a_short_expected_one(world: World, back: date, november: list[object],
                                                               december: list[object]) -> None:
    pupil = world.pupil()
    world.mark(pupil, world.days(date(2026, 9, 14), date(2026, 9, 25)), "I")
    world.mark(pupil, world.days(date(2026, 11, 26), date(2026, 12, 4)), "I")
    rows = monthly(world, [expect(pupil, date(2026, 11, 26), back, recorded_on=date(2026, 11, 26))])
    assert summary(rows["nov"]) == november
    assert summary(rows["dec"]) == december


def test_an_expectation_applies_to_its_own_period_of_sickness_only(world: World) -> None:
    pupil, other = world.pupil(), world.pupil()
    world.mark(pupil, world.days(date(2026, 9, 14), date(2026, 9, 25)), "I")
    world.mark(pupil, world.days(date(2026, 11, 2), date(2026, 11, 4)), "I")
    world.mark(pupil, world.days(date(2026, 11, 16), date(2026, 11, 20)), "I")
    world.mark(other, world.days(date(2026, 11, 2), date(2026, 11, 4)), "I")
    # Expected from 9 November, back on the 12th: not about the period that ended on the 4th, nor about the
    # one starting on the 16th, after the expected return.
    short_gap = expect(pupil, date(2026, 11, 9), date(2026, 11, 12), recorded_on=date(2026, 11, 1))
    # Another pupil's long expectation says nothing about this pupil.
    elsewhere = ExpectedSickness(pupil_id=other.pupil_id, sickness_start=date(2026, 11, 2),
                                 expected_return=date(2027, 1, 5), recorded_on=date(2026, 11, 1))
    rows = monthly(world, [short_gap, elsewhere])
    assert [(r.pupil_id, r.basis, r.sickness_start, r.expected_return) for r in rows["nov"]] == [
        (pupil.pupil_id, "reached", date(2026, 11, 16), None),  # 10 + 3 + the 2nd day of this period
        (other.pupil_id, "expected", date(2026, 11, 2), date(2027, 1, 5))]


def test_the_count_stops_at_the_end_of_the_school_year(world: World) -> None:
    pupil = world.pupil()
    world.mark(pupil, world.days(date(2027, 7, 12), date(2027, 7, 21)), "I")  # the last 8 school days
    # Back in September: the days after 21 July belong to the next school year's count.
    expectation = expect(pupil, date(2027, 7, 12), date(2027, 9, 15), recorded_on=date(2027, 7, 12))
    july = (date(2027, 7, 1), date(2027, 7, 31))
    extract = world.extract(date(2026, 8, 1), july[1])
    assert sickness_rows(extract, *july, RULES, [expectation], [date(2027, 9, d) for d in range(1, 15)]) == []


def test_build_returns_passes_the_expectations_to_the_sickness_return(world: World) -> None:
    pupil = world.pupil()
    world.mark(pupil, world.days(date(2026, 11, 16), date(2026, 11, 20)), "I")
    expectation = expect(pupil, date(2026, 11, 16), date(2026, 12, 14), recorded_on=date(2026, 11, 17))
    built = build_returns(world.extract(to_date=NOV[1]), *NOV, RULES, [ReturnKind.SICKNESS],
                          expectations=[expectation], school_days_ahead=world.days(date(2026, 12, 1), DEC[1]))
    assert [(b.kind, [(r.model_dump()["pupil_id"], r.model_dump()["basis"]) for r in b.rows]) for b in built] == [
        (ReturnKind.SICKNESS, [(pupil.pupil_id, "expected")])]


@pytest.fixture
def far_from_london(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's own zone must not decide the day (a zoneless moment would otherwise be read as local)."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(("recorded_at", "recorded_on"), [
    (datetime(2026, 10, 15, 23, 30, tzinfo=UTC), date(2026, 10, 16)),  # British Summer Time: already the 16th
    (datetime(2026, 11, 15, 23, 30, tzinfo=UTC), date(2026, 11, 15)),  # Greenwich Mean Time
    # As SQLite gives it back (UTC without its zone), read through the column type.
    (UtcDateTime().process_result_value(datetime(2026, 10, 15, 23, 30), sqlite.dialect()), date(2026, 10, 16)),
])
def test_the_recording_day_is_the_english_calendar_day(recorded_at: datetime, recorded_on: date,
                                                       far_from_london: None) -> None:
    row = SicknessExpectation(pupil_id=World().pupil().pupil_id, school_urn="900001", la_code="999",
                              sickness_start=date(2026, 10, 12), expected_return=date(2026, 11, 23),
                              grounds="GP letter", recorded_by="someone", recorded_at=recorded_at)
    assert expected_sickness(row).recorded_on == recorded_on
    assert not expected_sickness(row).withdrawn
