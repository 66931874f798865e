"""Each return built from a known register and compared with the rows expected."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.returns.builders import ReturnRules, build_returns
from services.returns.builders.attendance import attendance_rows
from services.returns.builders.days import UNAUTHORISED_CODES, day_carries
from services.returns.builders.deletion import deletion_rows
from services.returns.builders.new_pupil import new_pupil_rows
from services.returns.builders.sickness import sickness_rows
from shared.contracts.register import SessionName
from shared.contracts.returns import AttendanceReason, ReturnKind
from tests.services.returns.world import World

pytestmark = pytest.mark.unit

OCT = (date(2026, 10, 1), date(2026, 10, 31))
NOV = (date(2026, 11, 1), date(2026, 11, 30))
DEC = (date(2026, 12, 1), date(2026, 12, 31))
NO_REGULARITY = ReturnRules(irregular_unauthorised_absence_percent=None)


# --- sessions and days -----------------------------------------------------------------------------------

def test_a_day_counts_only_when_every_session_held_carries_the_codes() -> None:
    am, pm = SessionName.AM, SessionName.PM
    assert day_carries({am: "N", pm: "O"}, UNAUTHORISED_CODES)
    assert not day_carries({am: "N", pm: "/"}, UNAUTHORISED_CODES)
    assert not day_carries({am: "N"}, UNAUTHORISED_CODES)  # afternoon register missing
    assert day_carries({am: "N", pm: "#"}, UNAUTHORISED_CODES)  # the school did not meet in the afternoon
    assert not day_carries({am: "#", pm: "#"}, UNAUTHORISED_CODES)
    assert not day_carries(None, UNAUTHORISED_CODES)


# --- attendance return -----------------------------------------------------------------------------------

def test_ten_unauthorised_days_across_a_weekend_are_continuous(world: World) -> None:
    pupil = world.pupil()
    world.mark(pupil, world.days(date(2026, 10, 5), date(2026, 10, 9)), "N")
    world.mark(pupil, world.days(date(2026, 10, 12), date(2026, 10, 16)), "G")
    rows = attendance_rows(world.extract(), *OCT, NO_REGULARITY)
    assert [(r.pupil_id, r.reason, r.absence_start, r.absence_end, r.school_days_absent, r.codes) for r in rows] == [
        (pupil.pupil_id, AttendanceReason.CONTINUOUS_UNAUTHORISED, date(2026, 10, 5), date(2026, 10, 16), 10,
         ["G", "N"])]
    assert rows[0].legal_forename == pupil.legal_forename
    assert rows[0].address == pupil.address


def test_nine_days_are_not_enough(world: World) -> None:
    pupil = world.pupil()
    world.mark(pupil, world.days(date(2026, 10, 5), date(2026, 10, 15)), "O")
    assert len(world.days(date(2026, 10, 5), date(2026, 10, 15))) == 9
    assert attendance_rows(world.extract(), *OCT, NO_REGULARITY) == []


def test_half_term_neither_counts_nor_breaks_the_period(world: World) -> None:
    pupil = world.pupil()
    world.mark(pupil, world.days(date(2026, 10, 19), date(2026, 10, 23)), "O")
    world.mark(pupil, world.days(date(2026, 11, 2), date(2026, 11, 6)), "U")
    assert attendance_rows(world.extract(to_date=OCT[1]), *OCT, NO_REGULARITY) == []
    rows = attendance_rows(world.extract(to_date=NOV[1]), *NOV, NO_REGULARITY)
    assert [(r.absence_start, r.absence_end, r.school_days_absent, r.codes) for r in rows] == [
        (date(2026, 10, 19), date(2026, 11, 6), 10, ["O", "U"])]


def test_a_present_session_or_an_authorised_code_breaks_the_period(world: World) -> None:
    half_present, authorised = world.pupil(), world.pupil()
    for pupil in (half_present, authorised):
        world.mark(pupil, world.days(date(2026, 10, 5), date(2026, 10, 16)), "N")
    world.mark(half_present, date(2026, 10, 9), "/", SessionName.AM)
    world.mark(authorised, date(2026, 10, 9), "I")
    assert attendance_rows(world.extract(), *OCT, NO_REGULARITY) == []


def test_pupils_not_of_compulsory_school_age_are_left_out(world: World) -> None:
    pupil = world.pupil(compulsory_school_age=False, year_group="R")
    world.mark(pupil, world.days(date(2026, 10, 5), date(2026, 10, 23)), "N")
    assert attendance_rows(world.extract(), *OCT, ReturnRules()) == []


def test_a_period_still_running_is_reported_again_in_the_next_return(world: World) -> None:
    pupil = world.pupil()
    world.mark(pupil, world.days(date(2026, 11, 16), date(2026, 12, 11)), "N")
    nov = attendance_rows(world.extract(to_date=NOV[1]), *NOV, NO_REGULARITY)
    dec = attendance_rows(world.extract(to_date=DEC[1]), *DEC, NO_REGULARITY)
    assert [(r.absence_start, r.absence_end, r.school_days_absent) for r in nov] == [
        (date(2026, 11, 16), date(2026, 11, 30), 11)]  # to the period end
    assert [(r.absence_start, r.absence_end, r.school_days_absent) for r in dec] == [
        (date(2026, 11, 16), date(2026, 12, 11), 20)]


@pytest.mark.parametrize(("absent_sessions", "code", "reported"), [(1, "N", None), (2, "G", "10.0"), (3, "U", "15.0"),
                                                             (6, "I", None)])
def test_failing_to_attend_regularly_uses_the_local_criterion(world: World, absent_sessions: int, code: str,
                                                              reported: str | None) -> None:
    pupil = world.pupil()
    period = (date(2026, 10, 12), date(2026, 10, 23))  # 10 school days, 20 sessions
    for day in world.days(*period)[:absent_sessions]:
        world.mark(pupil, day, code, SessionName.AM)
    rules = ReturnRules(irregular_unauthorised_absence_percent=Decimal(10))
    rows = attendance_rows(world.extract(), *period, rules)
    # 2 of 20 is exactly 10%: at the line, so reported. Illness is not unauthorised absence.
    expected = [(AttendanceReason.IRREGULAR_ATTENDANCE, reported)] if reported else []
    assert [(r.reason, r.unauthorised_absence_rate) for r in rows] == expected


# --- sickness return -------------------------------------------------------------------------------------

def test_fifteen_days_cumulative_in_the_school_year(world: World) -> None:
    pupil = world.pupil()
    world.mark(pupil, world.days(date(2026, 9, 14), date(2026, 9, 18)), "I")
    world.mark(pupil, world.days(date(2026, 10, 5), date(2026, 10, 9)), "I")
    world.mark(pupil, world.days(date(2026, 11, 9), date(2026, 11, 13)), "I")
    world.mark(pupil, world.days(date(2026, 12, 7), date(2026, 12, 8)), "I")
    extract = world.extract()
    assert sickness_rows(extract, *OCT, ReturnRules()) == []
    nov = sickness_rows(extract, *NOV, ReturnRules())
    assert [(r.sickness_start, r.sickness_end, r.school_days_in_period_of_sickness,
             r.school_days_of_sickness_in_school_year) for r in nov] == [
        (date(2026, 11, 9), date(2026, 11, 13), 5, 15)]
    dec = sickness_rows(extract, *DEC, ReturnRules())
    assert [(r.sickness_start, r.school_days_of_sickness_in_school_year) for r in dec] == [
        (date(2026, 12, 7), 17)]


def test_fourteen_days_and_half_days_do_not_reach_the_threshold(world: World) -> None:
    pupil = world.pupil()
    world.mark(pupil, world.days(date(2026, 11, 2), date(2026, 11, 19)), "I")  # 14 days
    world.mark(pupil, date(2026, 11, 25), "I", SessionName.AM)
    assert len(world.days(date(2026, 11, 2), date(2026, 11, 19))) == 14
    assert sickness_rows(world.extract(), *NOV, ReturnRules()) == []


def test_one_return_per_continuous_period_across_half_term_and_months(world: World) -> None:
    pupil = world.pupil()
    world.mark(pupil, world.days(date(2026, 10, 12), date(2026, 11, 6)), "I")  # 10 + 5 days around half term
    world.mark(pupil, world.days(date(2026, 11, 25), date(2026, 12, 4)), "I")  # spans the month end
    rows_by_month = {name: sickness_rows(world.extract(to_date=p[1]), *p, ReturnRules())
                     for name, p in {"oct": OCT, "nov": NOV, "dec": DEC}.items()}
    assert rows_by_month["oct"] == []
    assert [(r.sickness_start, r.sickness_end, r.school_days_in_period_of_sickness,
             r.school_days_of_sickness_in_school_year) for r in rows_by_month["nov"]] == [
        (date(2026, 10, 12), date(2026, 11, 6), 15, 15),
        (date(2026, 11, 25), date(2026, 11, 30), 4, 19)]
    assert rows_by_month["dec"] == []


def test_sickness_of_pupils_not_of_compulsory_school_age_is_not_returned(world: World) -> None:
    pupil = world.pupil(compulsory_school_age=False)
    world.mark(pupil, world.days(date(2026, 11, 2), date(2026, 11, 27)), "I")
    assert sickness_rows(world.extract(), *NOV, ReturnRules()) == []


# --- new pupil return ------------------------------------------------------------------------------------

def test_new_pupils_and_the_junior_class_exemption(world: World) -> None:
    reception_first_day = world.pupil(year_group="R")
    year2_first_day = world.pupil(year_group="2")
    reception_later = world.pupil(year_group="R", admission_date=date(2026, 9, 10))
    world.pupil(year_group="4", admission_date=date(2026, 10, 1))  # outside the period
    sept = (date(2026, 9, 1), date(2026, 9, 30))
    rows = new_pupil_rows(world.extract(), *sept, ReturnRules())
    assert [(r.pupil_id, r.admission_date, r.due_date) for r in rows] == [
        (year2_first_day.pupil_id, date(2026, 9, 3), date(2026, 9, 8)),
        (reception_later.pupil_id, date(2026, 9, 10), date(2026, 9, 15))]
    assert rows[0].parents[0].full_name == "Parent One"
    assert len(rows[0].parents) == 2
    asked = new_pupil_rows(world.extract(), *sept, ReturnRules(la_asks_for_junior_class_starters=True))
    assert reception_first_day.pupil_id in {r.pupil_id for r in asked}
    assert len(asked) == 3


# --- deletion return -------------------------------------------------------------------------------------

def test_deletions_with_their_ground_except_the_standard_transition(world: World) -> None:
    moved = world.pupil(year_group="3", deletion_date=date(2027, 7, 14), deletion_ground="9(1)(a)",
                        new_school="Elm Primary", new_school_start_date=date(2027, 9, 2))
    world.pupil(year_group="6", deletion_date=date(2027, 7, 21), deletion_ground="9(1)(a)")  # transition
    y6_early = world.pupil(year_group="6", deletion_date=date(2027, 7, 20), deletion_ground="9(1)(f)")
    y5_last_day = world.pupil(year_group="5", deletion_date=date(2027, 7, 21), deletion_ground="9(1)(g)")
    world.pupil(year_group="6", deletion_date=date(2027, 7, 30), deletion_ground="9(1)(a)")  # in the holiday
    july = (date(2027, 7, 1), date(2027, 7, 31))
    rows = deletion_rows(world.extract(date(2026, 8, 1), date(2027, 7, 31)), *july)
    assert [(r.pupil_id, r.deletion_date, r.deletion_ground) for r in rows] == [
        (moved.pupil_id, date(2027, 7, 14), "9(1)(a)"),
        (y6_early.pupil_id, date(2027, 7, 20), "9(1)(f)"),
        (y5_last_day.pupil_id, date(2027, 7, 21), "9(1)(g)")]
    assert [p.full_name for p in rows[0].parents_living_with_pupil] == ["Parent One"]
    assert rows[0].new_school == "Elm Primary"


def test_a_senior_class_leaver_deleted_before_the_first_day_is_the_transition(world: World) -> None:
    world.pupil(year_group="6", admission_date=date(2020, 9, 3), deletion_date=date(2026, 9, 1),
                deletion_ground="9(1)(a)")
    assert deletion_rows(world.extract(), date(2026, 9, 1), date(2026, 9, 30)) == []


# --- a school's whole set ------------------------------------------------------------------------------

def test_build_returns_gives_nil_periodic_returns_and_due_dates(world: World) -> None:
    world.pupil(year_group="2", admission_date=date(2026, 11, 10))
    built = build_returns(world.extract(), *NOV, ReturnRules())
    assert [(b.kind, b.due_date, len(b.rows)) for b in built] == [
        (ReturnKind.NEW_PUPIL, date(2026, 11, 15), 1),
        (ReturnKind.ATTENDANCE, date(2026, 12, 5), 0),
        (ReturnKind.SICKNESS, date(2026, 12, 5), 0)]


def test_a_pending_deletion_is_returned_when_recorded_and_due_by_its_date(world: World) -> None:
    pupil = world.pupil(deletion_date=date(2026, 11, 5), deletion_ground="9(1)(f)",
                        deletion_recorded_on=date(2026, 10, 28))
    october = deletion_rows(world.extract(to_date=OCT[1]), *OCT)
    assert [(r.pupil_id, r.deletion_date) for r in october] == [(pupil.pupil_id, date(2026, 11, 5))]
    assert deletion_rows(world.extract(to_date=NOV[1]), *NOV) == []  # not a second time
    built = build_returns(world.extract(to_date=OCT[1]), *OCT, ReturnRules())
    assert [(b.kind, b.due_date) for b in built if b.kind is ReturnKind.DELETION] == [
        (ReturnKind.DELETION, date(2026, 11, 5))]


def test_build_returns_makes_only_the_kinds_asked_for(world: World) -> None:
    world.pupil(year_group="2", admission_date=date(2026, 11, 10))
    built = build_returns(world.extract(), *NOV, ReturnRules(), kinds=[ReturnKind.NEW_PUPIL, ReturnKind.DELETION])
    assert [b.kind for b in built] == [ReturnKind.NEW_PUPIL]
    assert [b.kind for b in build_returns(world.extract(), *NOV, ReturnRules(), kinds=[ReturnKind.SICKNESS])] == [
        ReturnKind.SICKNESS]
