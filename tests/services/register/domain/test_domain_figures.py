"""Figures: exact rates, PA/SA boundaries, bands, tallies (incremental == recount), patterns, projection."""

from __future__ import annotations

import random
from datetime import date, timedelta
from fractions import Fraction

import pytest

from services.register.domain.codes import CODES, CodeCategory
from services.register.domain.figures import (
    TALLY_FIELDS,
    Band,
    BandThresholds,
    Direction,
    Figures,
    PupilTally,
    absence_by_session,
    absence_by_weekday,
    annual_learning_lost,
    display_percent,
    figures_for,
    figures_from_codes,
    learning_lost,
    project_end_of_year,
    sessions_to_reach,
    tally_delta,
    traffic_light,
    trend,
)
from services.register.domain.sessions import Mark, Session

from .calendars import day_marks

pytestmark = pytest.mark.unit


def codes(present: int, authorised: int = 0, unauthorised: int = 0, not_counted: int = 0) -> list[str]:
    """A list of codes with the given counts."""
    return ["/"] * present + ["I"] * authorised + ["O"] * unauthorised + ["X"] * not_counted


def test_possible_excludes_not_counted_codes() -> None:
    f = figures_from_codes(["/", "\\", "L", "K", "I", "N", "D", "X", "Q", "Y1", "Y4", "Y7", "Z", "#"])
    assert f == Figures(possible=6, attended=4, authorised=1, unauthorised=1, not_counted=8)
    assert f.absent == 2
    assert f.attendance_rate == Fraction(400, 6)
    assert f.absence_rate == Fraction(200, 6)
    assert f.attendance_rate + f.absence_rate == 100
    assert f.authorised_rate == Fraction(100, 6)
    assert f.unauthorised_rate == Fraction(100, 6)


def test_no_possible_sessions_has_no_rate_and_no_flags() -> None:
    f = figures_from_codes(["X", "#", "Y4"])
    assert f.possible == 0
    assert f.attendance_rate is None
    assert f.absence_rate is None
    assert not f.persistent_absence
    assert not f.severe_absence
    assert f.band() is None


@pytest.mark.parametrize(
    ("present", "absent", "pa"),
    [
        (90, 10, True),  # exactly 10%
        (900, 99, False),  # 9.90%
        (2260, 250, False),  # 9.96%: shows as 10.0 but is not PA (no rounding before the comparison)
        (89, 11, True),
        (0, 1, True),
    ],
)
def test_persistent_absence_at_ten_percent(present: int, absent: int, pa: bool) -> None:
    f = figures_from_codes(codes(present, authorised=absent // 2, unauthorised=absent - absent // 2))
    assert f.persistent_absence is pa


def test_rounding_is_for_display_only() -> None:
    f = figures_from_codes(codes(2260, unauthorised=250))
    assert display_percent(f.absence_rate) == "10.0"
    assert not f.persistent_absence


@pytest.mark.parametrize(
    ("present", "absent", "sa"), [(50, 50, True), (51, 49, False), (0, 3, True), (101, 99, False)]
)
def test_severe_absence_at_fifty_percent(present: int, absent: int, sa: bool) -> None:
    f = figures_from_codes(codes(present, unauthorised=absent))
    assert f.severe_absence is sa
    if sa:
        assert f.persistent_absence  # SA pupils are also PA


def test_not_counted_sessions_do_not_dilute_absence() -> None:
    # 9 absent of 90 possible is exactly 10%; 50 X marks change nothing.
    assert figures_from_codes(codes(81, unauthorised=9, not_counted=50)).persistent_absence


@pytest.mark.parametrize(
    ("rate", "band"),
    [
        (Fraction(96), Band.GREEN),
        (Fraction(100), Band.GREEN),
        (Fraction(9599, 100), Band.AMBER),
        (Fraction(9001, 100), Band.AMBER),
        (Fraction(90), Band.RED),
        (Fraction(0), Band.RED),
    ],
)
def test_default_bands(rate: Fraction, band: Band) -> None:
    assert traffic_light(rate) is band


def test_bands_are_configurable_and_exact() -> None:
    t = BandThresholds(green_at_least=95.1, red_at_most=Fraction(91))  # type: ignore[arg-type]
    assert t.green_at_least == Fraction(951, 10)
    assert traffic_light(Fraction(951, 10), t) is Band.GREEN
    assert traffic_light(Fraction(9509, 100), t) is Band.AMBER
    assert traffic_light(Fraction(91), t) is Band.RED
    with pytest.raises(ValueError, match="below the green"):
        BandThresholds(green_at_least=Fraction(90), red_at_most=Fraction(90))


def test_band_of_figures() -> None:
    assert figures_from_codes(codes(96, unauthorised=4)).band() is Band.GREEN
    assert figures_from_codes(codes(95, unauthorised=5)).band() is Band.AMBER
    assert figures_from_codes(codes(90, unauthorised=10)).band() is Band.RED


@pytest.mark.parametrize(
    ("rate", "shown"),
    [
        (Fraction(9225, 100), "92.3"),  # half rounds up
        (Fraction(9224, 100), "92.2"),
        (Fraction(200, 3), "66.7"),
        (Fraction(100), "100.0"),
        (Fraction(0), "0.0"),
        (Fraction(-125, 100), "-1.3"),
        (None, "\u2014"),
    ],
)
def test_display_percent(rate: Fraction | None, shown: str) -> None:
    assert display_percent(rate) == shown


def test_display_percent_places() -> None:
    assert display_percent(Fraction(200, 3), places=0) == "67"
    assert display_percent(Fraction(200, 3), places=2) == "66.67"


def test_figures_add_up() -> None:
    a = figures_from_codes(codes(3, 1))
    b = figures_from_codes(codes(1, 0, 2, 1))
    assert a + b == figures_from_codes(codes(3, 1) + codes(1, 0, 2, 1))


def test_tally_incremental_equals_full_recount_under_random_marking_and_amendment() -> None:
    rng = random.Random(190)
    all_codes = sorted(CODES)
    for _ in range(300):
        q_category = rng.choice([CodeCategory.NOT_POSSIBLE, CodeCategory.AUTHORISED_ABSENCE])
        marks: list[str] = []
        tally = PupilTally(q_category=q_category)
        stored = dict.fromkeys(TALLY_FIELDS, 0)
        for _step in range(rng.randrange(1, 60)):
            if marks and rng.random() < 0.3:
                i = rng.randrange(len(marks))
                new = rng.choice(all_codes)
                delta = tally_delta(marks[i], new, q_category)
                tally.replace(marks[i], new)
                marks[i] = new
            else:
                new = rng.choice(all_codes)
                delta = tally_delta(None, new, q_category)
                tally.add(new)
                marks.append(new)
            # What the service does in SQL: column = column + delta.
            stored = {k: stored[k] + delta[k] for k in TALLY_FIELDS}
        recount = PupilTally.from_codes(marks, q_category)
        assert tally == recount
        assert stored == recount.counts()
        assert tally.figures() == figures_from_codes(marks, q_category)
        assert recount.illness == marks.count("I")
        assert recount.not_established == marks.count("N")
        assert tally.possible == tally.attended + tally.authorised + tally.unauthorised


def test_tally_cannot_remove_a_mark_it_never_counted() -> None:
    tally = PupilTally.from_codes(["/"])
    with pytest.raises(ValueError, match="no 'I' mark"):
        tally.remove("I")
    assert tally == PupilTally.from_codes(["/"])  # unchanged after the refusal


def test_tally_delta_for_an_amendment() -> None:
    delta = tally_delta("N", "I")
    assert delta["unauthorised"] == -1
    assert delta["authorised"] == 1
    assert delta["not_established"] == -1
    assert delta["illness"] == 1
    assert delta["possible"] == 0
    assert set(tally_delta("/", "/").values()) == {0}


def test_figures_for_a_date_range() -> None:
    marks = (
        day_marks(date(2024, 9, 9), "/")
        + day_marks(date(2024, 9, 10), "N")
        + day_marks(date(2024, 9, 11), "I")
    )
    assert figures_for(marks, start=date(2024, 9, 10)).possible == 4
    assert figures_for(marks, end=date(2024, 9, 10)).unauthorised == 2
    assert figures_for(marks, date(2024, 9, 10), date(2024, 9, 10)) == Figures(2, 0, 0, 2, 0)


def test_learning_lost_to_lateness() -> None:
    lost = learning_lost([10, 5, 0, 15])
    assert lost.minutes == 30
    assert lost.days == Fraction(30, 390)
    assert lost.sessions == Fraction(60, 390)
    assert learning_lost([390, 390]).days == 2
    assert learning_lost([60], minutes_per_day=300).days == Fraction(1, 5)
    with pytest.raises(ValueError, match="negative"):
        learning_lost([-1])
    # Five minutes late every day of a 190-day year is almost two and a half days lost.
    assert annual_learning_lost(5) == Fraction(950, 390)
    assert display_percent(annual_learning_lost(5) * 100) == "243.6"


def test_absence_by_weekday_and_session() -> None:
    monday = date(2024, 9, 9)
    marks: list[Mark] = []
    for week in range(4):
        base = monday + timedelta(weeks=week)
        for i in range(5):
            marks += day_marks(base + timedelta(days=i), "O" if i == 0 else "/")
    by_day = absence_by_weekday(marks)
    assert list(by_day) == [0, 1, 2, 3, 4]
    assert by_day[0].absence_rate == 100
    assert all(by_day[d].absence_rate == 0 for d in range(1, 5))
    marks.append(Mark(monday + timedelta(days=5), Session.AM, "/"))
    assert 5 in absence_by_weekday(marks)
    by_session = absence_by_session([Mark(monday, Session.AM, "/"), Mark(monday, Session.PM, "O")])
    assert by_session[Session.AM].attendance_rate == 100
    assert by_session[Session.PM].absence_rate == 100


def _series(pattern: list[str], start: date = date(2024, 9, 9)) -> list[Mark]:
    marks = []
    d = start
    for code in pattern:
        while d.weekday() >= 5:
            d += timedelta(days=1)
        marks += day_marks(d, code)
        d += timedelta(days=1)
    return marks


def test_trend_declining_improving_stable_and_insufficient() -> None:
    declining = trend(_series(["/"] * 10 + ["/", "O"] * 5))
    assert declining.direction is Direction.DECLINING
    assert declining.first_half.attendance_rate == 100
    assert declining.second_half.attendance_rate == 50
    assert declining.change == -50
    assert trend(list(reversed(_series(["O"] * 10 + ["/"] * 10)))).direction is Direction.IMPROVING
    assert trend(_series(["/"] * 20)).direction is Direction.STABLE
    assert trend(_series(["X"] * 20)).direction is Direction.INSUFFICIENT_DATA
    assert trend([]).direction is Direction.INSUFFICIENT_DATA


def test_trend_tolerance_edge() -> None:
    # 50 sessions each half; one absence is a 2-point drop.
    marks = _series(["/"] * 50)
    marks[-1] = marks[-1]._replace(code="O")
    assert trend(marks, tolerance=2).direction is Direction.STABLE
    assert trend(marks, tolerance=Fraction(19, 10)).direction is Direction.DECLINING


def test_projection_of_end_of_year_attendance() -> None:
    so_far = Figures(possible=100, attended=90, authorised=5, unauthorised=5)
    assert project_end_of_year(so_far, 100) == 90
    recent = Figures(possible=20, attended=10, authorised=0, unauthorised=10)
    assert project_end_of_year(so_far, 100, recent) == Fraction(90 + 50, 200) * 100
    assert project_end_of_year(so_far, 0, recent) == 90
    assert project_end_of_year(Figures(), 10) is None
    with pytest.raises(ValueError, match="negative"):
        project_end_of_year(so_far, -1)


def test_sessions_needed_to_reach_a_target() -> None:
    so_far = Figures(possible=100, attended=80, authorised=10, unauthorised=10)
    # (80 + x) / 200 >= 90%  ->  x >= 100.
    assert sessions_to_reach(90, so_far, 100) == 100
    assert sessions_to_reach(Fraction(895, 10), so_far, 100) == 99
    assert sessions_to_reach(91, so_far, 100) is None
    assert sessions_to_reach(10, so_far, 100) == 0
