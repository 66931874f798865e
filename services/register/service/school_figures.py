"""School and LA figures, for an academic year from the per-pupil tallies or for any date range from its marks:
totals, breakdowns by characteristic, and the lists of persistently absent and at-risk pupils."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import Enum
from fractions import Fraction
from functools import lru_cache
from typing import Any

from services.register import repository
from services.register.domain.figures import (
    PERSISTENT_ABSENCE_RATE,
    SEVERE_ABSENCE_RATE,
    Band,
    Figures,
    figures_from_codes,
)
from services.register.domain.school_age import academic_year_of
from services.register.models import Pupil, School, display_name
from services.register.repository import year_figures
from services.register.repository.year_figures import Schools
from services.register.schemas import GroupFigures, LaFigures, SchoolFigures
from services.register.service import access
from services.register.service.context import Register
from services.register.service.figures import band_thresholds, decimal_string
from services.register.settings import RegisterSettings
from shared.auth import LA_ROLES, Identity, Role
from shared.errors import InvalidInput, OutOfScope
from shared.unit_of_work import Db

YEAR_ORDER = ["N1", "N2", "R", *[str(n) for n in range(1, 15)]]
# The overall group, asked of the year's totals as a grouping on no columns.
OVERALL = "All pupils"


@dataclass(frozen=True)
class Dimension:
    """A breakdown: the pupil columns it groups on and the group's name from their values. The year's figures
    group on the columns in the database; a date range's, on pupils in Python; both name groups the same way."""

    columns: tuple[str, ...]
    name: Callable[..., str]

    def of(self, pupil: Pupil) -> str:
        return self.name(*(getattr(pupil, column) for column in self.columns))


def _same(value: str) -> str:
    return value


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _sen(ehcp: bool, sen_support: bool) -> str:
    return "EHCP" if ehcp else ("SEN support" if sen_support else "No SEN")


def _ethnicity(code: str | None) -> str:
    return code or "Not known"


DIMENSIONS: dict[str, Dimension] = {
    "year_group": Dimension(("year_group",), _same),
    "sex": Dimension(("sex",), _same),
    "free_school_meals": Dimension(("free_school_meals",), _yes_no),
    "pupil_premium": Dimension(("pupil_premium",), _yes_no),
    "sen": Dimension(("ehcp", "sen_support"), _sen),
    "looked_after": Dimension(("looked_after",), _yes_no),
    "previously_looked_after": Dimension(("previously_looked_after",), _yes_no),
    "child_in_need": Dimension(("child_in_need",), _yes_no),
    "child_protection_plan": Dimension(("child_protection_plan",), _yes_no),
    "ethnicity": Dimension(("ethnicity",), _ethnicity),
}
LA_DIMENSIONS: dict[str, Dimension] = {"school": Dimension(("school_urn",), _same), **DIMENSIONS}


def _rate(rate: Fraction | None) -> str | None:
    return decimal_string(rate) if rate is not None else None


# A list of thousands of pupils has a few hundred distinct (attended, possible) and (absent, possible) pairs.
@lru_cache(maxsize=65536)
def _attendance_rate(attended: int, possible: int) -> str | None:
    return _rate(Figures(possible, attended).attendance_rate)


@lru_cache(maxsize=65536)
def _persistent(absent: int, possible: int) -> bool:
    return Figures(possible, authorised=absent).persistent_absence


@lru_cache(maxsize=65536)
def _severe(absent: int, possible: int) -> bool:
    return Figures(possible, authorised=absent).severe_absence


def _group_figures(name: str, total: Figures, pupils: int, persistent: int, severe: int) -> GroupFigures:
    return GroupFigures(
        group=name, pupils=pupils, possible_sessions=total.possible, attended_sessions=total.attended,
        authorised_absence_sessions=total.authorised, unauthorised_absence_sessions=total.unauthorised,
        attendance_rate=_rate(total.attendance_rate), absence_rate=_rate(total.absence_rate),
        persistent_absence_pupils=persistent, severe_absence_pupils=severe)


def _group(name: str, members: list[Figures]) -> GroupFigures:
    return _group_figures(name, sum(members, Figures()), len(members),
                          sum(f.persistent_absence for f in members), sum(f.severe_absence for f in members))


def _in_order(groups: dict[str, GroupFigures]) -> list[GroupFigures]:
    order = sorted(groups, key=lambda g: (YEAR_ORDER.index(g) if g in YEAR_ORDER else 99, g))
    return [groups[g] for g in order]


def flag_line(pupil_id: uuid.UUID, school_urn: str, display_name: str, year_group: str,
              figures: Figures) -> dict[str, Any]:
    """A PupilFlagLine's fields: the response validates thousands of these at once, not one model each."""
    return {"pupil_id": pupil_id, "school_urn": school_urn, "display_name": display_name, "year_group": year_group,
            "possible_sessions": figures.possible,
            "attendance_rate": _attendance_rate(figures.attended, figures.possible),
            "severe_absence": _severe(figures.absent, figures.possible)}


def _lowest_attendance_first(lines: list[tuple[Figures, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Lowest attendance rate first (compared exactly), then by name. The few distinct rates are ranked once, so
    sorting thousands of lines compares integers, not fractions."""
    rates = {pair: Fraction(pair[0] * 100, pair[1]) if pair[1] else Fraction(0)
             for pair in {(f.attended, f.possible) for f, _ in lines}}
    # Equal rates (17 of 18, 34 of 36) share a rank, so their lines are ordered by name.
    position = {rate: n for n, rate in enumerate(sorted(set(rates.values())))}
    rank = {pair: position[rate] for pair, rate in rates.items()}
    lines.sort(key=lambda fl: (rank[(fl[0].attended, fl[0].possible)], fl[1]["display_name"]))
    return [line for _, line in lines]


Summary = tuple[GroupFigures, dict[str, list[GroupFigures]], list[dict[str, Any]], list[dict[str, Any]]]


def _summarise(pairs: list[tuple[Pupil, Figures]], settings: RegisterSettings,
               dimensions: dict[str, Dimension], visible: Callable[[Pupil], bool]) -> Summary:
    """A date range's figures from each pupil's figures over it."""
    breakdowns: dict[str, list[GroupFigures]] = {}
    for dimension, spec in dimensions.items():
        groups: dict[str, list[Figures]] = {}
        for pupil, figures in pairs:
            groups.setdefault(spec.of(pupil), []).append(figures)
        breakdowns[dimension] = _in_order({g: _group(g, members) for g, members in groups.items()})
    bands = band_thresholds(settings)
    flagged = [(f, flag_line(p.id, p.school_urn, p.display_name, p.year_group, f))
               for p, f in pairs if f.persistent_absence and visible(p)]
    at_risk = [(f, flag_line(p.id, p.school_urn, p.display_name, p.year_group, f))
               for p, f in pairs if not f.persistent_absence and f.band(bands) is Band.AMBER and visible(p)]
    return (_group(OVERALL, [f for _, f in pairs]), breakdowns, _lowest_attendance_first(flagged),
            _lowest_attendance_first(at_risk))


async def _year_summary(db: Db, settings: RegisterSettings, academic_year: int, schools: Schools,
                        dimensions: dict[str, Dimension], names: NameScope) -> Summary:
    """The year's figures from the tallies: groups added up in the database, and only the pupils on the two
    lists read one by one (none when the caller sees no names)."""
    totals = await year_figures.group_totals(
        db, academic_year, schools, {OVERALL: (), **{name: d.columns for name, d in dimensions.items()}},
        PERSISTENT_ABSENCE_RATE, SEVERE_ABSENCE_RATE)
    groups: dict[str, dict[str, tuple[int, ...]]] = {}
    for dimension, rows in totals.items():
        label = dimensions[dimension].name if dimension in dimensions else (lambda: OVERALL)
        merged = groups.setdefault(dimension, {})
        for key, counts in rows:
            name = label(*key)
            before = merged.get(name)
            merged[name] = counts if before is None else tuple(a + b for a, b in zip(before, counts, strict=True))

    def group_of(name: str, counts: tuple[int, ...]) -> GroupFigures:
        pupils, possible, attended, authorised, unauthorised, not_counted, persistent, severe = counts
        return _group_figures(name, Figures(possible, attended, authorised, unauthorised, not_counted),
                              pupils, persistent, severe)

    overall = group_of(OVERALL, groups.pop(OVERALL).get(OVERALL, (0,) * 8))
    breakdowns = {d: _in_order({g: group_of(g, c) for g, c in groups[d].items()}) for d in dimensions}
    if names is NameScope.NONE:
        return overall, breakdowns, [], []
    bands = band_thresholds(settings)
    persistent: list[tuple[Figures, dict[str, Any]]] = []
    amber: list[tuple[Figures, dict[str, Any]]] = []
    for (pupil_id, school_urn, preferred_forename, legal_forename, preferred_surname, legal_surname, year_group,
         possible, attended, authorised, unauthorised, not_counted) in await year_figures.pupils_on_lists(
            db, academic_year, schools, PERSISTENT_ABSENCE_RATE, (bands.red_at_most, bands.green_at_least),
            looked_after_only=names is NameScope.LOOKED_AFTER):
        figures = Figures(possible, attended, authorised, unauthorised, not_counted)
        name = display_name(preferred_forename, legal_forename, preferred_surname, legal_surname)
        # The rest are in the amber band and not persistently absent: the at-risk list.
        (persistent if _persistent(figures.absent, possible) else amber).append(
            (figures, flag_line(pupil_id, school_urn, name, year_group, figures)))
    return overall, breakdowns, _lowest_attendance_first(persistent), _lowest_attendance_first(amber)


class NameScope(Enum):
    """Whose names a caller sees on the lists."""

    ALL = "all"
    LOOKED_AFTER = "looked_after"
    NONE = "none"


@dataclass(frozen=True)
class Period:
    """An academic year (read from the tallies) or, when dates are given, any range (counted from its marks)."""

    academic_year: int
    from_date: date | None = None
    to_date: date | None = None


def figures_period(academic_year: int | None, from_date: date | None, to_date: date | None, today: date) -> Period:
    """The period a figures request asks for: both dates for a range, else the academic year (default: now)."""
    if (from_date is None) != (to_date is None):
        raise InvalidInput("Give both from and to for a date range, or neither.",
                           field="to" if to_date is None else "from")
    if from_date is not None and to_date is not None:
        if to_date < from_date:
            raise InvalidInput("to is before from.", field="to")
        return Period(academic_year_of(from_date), from_date, to_date)
    return Period(academic_year if academic_year is not None else academic_year_of(today))


async def _summary(db: Db, settings: RegisterSettings, period: Period, schools: Schools, urns: list[str],
                   dimensions: dict[str, Dimension], names: NameScope) -> Summary:
    if period.from_date is None or period.to_date is None:
        return await _year_summary(db, settings, period.academic_year, schools, dimensions, names)
    # A range other than the year: count its marks (slower than the tallies, but any range works).
    codes = await repository.marks.codes_in_range(db, urns, period.from_date, period.to_date)
    pupils = await repository.pupils.pupils_by_id(db, list(codes))
    pairs = [(pupils[pid], figures_from_codes(c)) for pid, c in codes.items() if pid in pupils]
    return _summarise(pairs, settings, dimensions, lambda pupil: names is NameScope.ALL or (
        names is NameScope.LOOKED_AFTER and pupil.looked_after))


async def school_figures(reg: Register, identity: Identity, school: School, period: Period) -> SchoolFigures:
    """A school's figures; pupil lists only for those who may read the school's register."""
    db, settings = reg.db, reg.settings
    if not identity.can_see_school_figures(school_urn=school.urn, la_code=school.la_code):
        raise OutOfScope("You do not have access to this school's figures.")
    names = NameScope.ALL if access.can_read_school_register(identity, school) else NameScope.NONE
    overall, breakdowns, flagged, at_risk = await _summary(db, settings, period, Schools(urn=school.urn), [school.urn],
                                                         DIMENSIONS, names)
    return SchoolFigures.model_validate({
        "urn": school.urn, "academic_year": period.academic_year, "from_date": period.from_date,
        "to_date": period.to_date, "overall": overall, "breakdowns": breakdowns,
        "persistent_absentees": flagged, "at_risk": at_risk})


def la_names(identity: Identity, la_code: str) -> NameScope:
    """Whose names a caller sees on an LA's lists: the LA's officers and services all, the LA's virtual school
    head the looked-after pupils only; anyone else is refused."""
    if not (identity.role is Role.SERVICE or (identity.role in LA_ROLES | {Role.VIRTUAL_SCHOOL_HEAD}
                                              and identity.scope.la_code == la_code)):
        raise OutOfScope("You do not have access to this local authority's figures.")
    return NameScope.LOOKED_AFTER if identity.role is Role.VIRTUAL_SCHOOL_HEAD else NameScope.ALL


async def la_figures(reg: Register, identity: Identity, la_code: str, period: Period,
                     lists: bool = True) -> LaFigures:
    """An LA's figures across its schools; the VSH sees only looked-after pupils by name. Without lists, the two
    lists come back empty and are not read (an LA's lists run to tens of thousands of lines: page them instead)."""
    db, settings = reg.db, reg.settings
    names = la_names(identity, la_code)
    urns = [s.urn for s in await repository.schools.list_schools(db) if s.la_code == la_code]
    if not lists:
        names = NameScope.NONE
    overall, breakdowns, flagged, at_risk = await _summary(db, settings, period, Schools(la_code=la_code), urns,
                                                         LA_DIMENSIONS, names)
    return LaFigures.model_validate({
        "la_code": la_code, "academic_year": period.academic_year, "from_date": period.from_date,
        "to_date": period.to_date, "overall": overall, "breakdowns": breakdowns,
        "persistent_absentees": flagged, "at_risk": at_risk})
