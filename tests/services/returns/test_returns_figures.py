"""Figures by cohort and the charts, from known registers (the compliance measures: test_la_views.py)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from services.returns.reports.charts import bar_chart, line_chart
from services.returns.reports.figures import cohort_pupils, figures_by_cohort, in_statistics_cohort
from services.returns.reports.governor import build_governor_report, charts, load_national_figures
from shared.contracts.register import SessionName
from shared.contracts.returns import PupilCharacteristics
from tests.services.returns.world import World

pytestmark = pytest.mark.unit

TERM = (date(2026, 11, 2), date(2026, 11, 13))  # 10 school days, 20 sessions


def test_statistics_cohort_is_age_5_to_15_on_31_august(world: World) -> None:
    year_start = date(2026, 8, 1)
    assert in_statistics_cohort(world.pupil(date_of_birth=date(2021, 8, 31)), year_start)  # 5 on 31 Aug
    assert not in_statistics_cohort(world.pupil(date_of_birth=date(2021, 9, 1)), year_start)  # 4
    assert in_statistics_cohort(world.pupil(date_of_birth=date(2010, 9, 1)), year_start)  # 15
    assert not in_statistics_cohort(world.pupil(date_of_birth=date(2010, 8, 31)), year_start)  # 16


def test_rates_pa_and_sa_are_exact_at_the_lines(world: World) -> None:
    free_school_meals = PupilCharacteristics(free_school_meals=True)
    exactly_pa = world.pupil(characteristics=free_school_meals)  # 2 of 20 sessions missed: 10%, PA
    just_under = world.pupil()  # 1 of 20: not PA
    exactly_sa = world.pupil(characteristics=free_school_meals, sex="M")  # 10 of 20: SA (and PA)
    world.pupil(date_of_birth=date(2022, 1, 1))  # too young for the statistics cohort
    days = world.days(*TERM)
    world.mark(exactly_pa, days[0], "N")
    world.mark(just_under, days[0], "I", SessionName.AM)
    world.mark(exactly_sa, days[:5], "O")
    figures = {f.group: f for f in figures_by_cohort(cohort_pupils([world.extract(*TERM)], TERM[0]), 1)}
    everyone = figures["All pupils"]
    assert (everyone.pupils, everyone.possible_sessions) == (3, 60)
    assert (everyone.overall_absence_rate, everyone.attendance_rate) == ("21.7", "78.3")  # 13 of 60
    assert (everyone.authorised_absence_rate, everyone.unauthorised_absence_rate) == ("1.7", "20.0")
    assert (everyone.persistent_absence_rate, everyone.severe_absence_rate) == ("66.7", "33.3")
    assert (figures["Free school meals"].pupils, figures["Free school meals"].persistent_absence_rate) == (2, "100.0")
    assert figures["Male"].severe_absence_rate == "100.0"
    assert figures["Year 3"].pupils == 3


def test_small_groups_are_suppressed(world: World) -> None:
    world.pupil(characteristics=PupilCharacteristics(looked_after=True))
    for _ in range(4):
        world.pupil()
    figures = {f.group: f for f in figures_by_cohort(cohort_pupils([world.extract(*TERM)], TERM[0]), 3)}
    assert figures["All pupils"].attendance_rate == "100.0"
    assert figures["Looked after"].suppressed
    assert figures["Looked after"].attendance_rate is None
    assert not figures["Child in need"].suppressed  # nobody at all: nothing to hide


def test_governor_report_compares_with_la_and_national_and_draws_charts(world: World) -> None:
    other = World("900002")
    for _ in range(3):
        world.pupil()
        absent = other.pupil()
        other.mark(absent, other.days(*TERM)[:2], "N")
    school, neighbour = world.extract(*TERM), other.extract(*TERM)
    report = build_governor_report(school, [school, neighbour], *TERM, load_national_figures(), minimum_group=2,
                                   today=date(2026, 11, 20))
    headline = next(c for c in report.comparisons if c.group == "All pupils" and c.measure == "attendance_rate")
    assert (headline.school, headline.la) == ("100.0", "90.0")  # 108 of 120 sessions across both
    assert headline.national is not None
    assert headline.national.year
    assert headline.national.source
    assert [w for w, _ in report.weekly_attendance] == [date(2026, 11, 2), date(2026, 11, 9)]
    for uri in charts(report).values():
        assert uri.startswith("data:image/svg+xml;base64,")


def test_charts_are_well_formed_svg_with_titles() -> None:
    for svg in (bar_chart("Rates & more", [("A <b>", 50.0), ("B", 120.0)]),
                line_chart("Weekly", [("02 Nov", 95.0), ("09 Nov", 91.5)]), line_chart("Empty", [])):
        root = ET.fromstring(svg)
        assert root.tag.endswith("svg")
        assert root.find("{http://www.w3.org/2000/svg}title") is not None

