"""School and LA figures, for an academic year from the per-pupil tallies or for any date range from its marks:
totals, breakdowns by characteristic, and the lists of persistently absent and at-risk pupils."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from services.register import repository
from services.register.domain.figures import Band, BandThresholds, Figures, figures_from_codes
from services.register.domain.school_age import academic_year_of
from services.register.models import Pupil, School
from services.register.schemas import GroupFigures, LaFigures, PupilFlagLine, SchoolFigures
from services.register.service import access
from services.register.service.context import Register
from services.register.service.figures import decimal_string
from services.register.service.tallies import figures_of
from services.register.settings import RegisterSettings
from shared.auth import LA_ROLES, Identity, Role
from shared.errors import InvalidInput, OutOfScope
from shared.unit_of_work import Db

YEAR_ORDER = ["N1", "N2", "R", *[str(n) for n in range(1, 15)]]


def _sen(p: Pupil) -> str:
    return "EHCP" if p.ehcp else ("SEN support" if p.sen_support else "No SEN")


def _yes_no(name: str) -> Callable[[Pupil], str]:
    return lambda p: "Yes" if getattr(p, name) else "No"


DIMENSIONS: dict[str, Callable[[Pupil], str]] = {
    "year_group": lambda p: p.year_group,
    "sex": lambda p: p.sex,
    "free_school_meals": _yes_no("free_school_meals"),
    "pupil_premium": _yes_no("pupil_premium"),
    "sen": _sen,
    "looked_after": _yes_no("looked_after"),
    "previously_looked_after": _yes_no("previously_looked_after"),
    "child_in_need": _yes_no("child_in_need"),
    "child_protection_plan": _yes_no("child_protection_plan"),
    "ethnicity": lambda p: p.ethnicity or "Not known",
}


def _rate(rate: Fraction | None) -> str | None:
    return decimal_string(rate) if rate is not None else None


def _group(name: str, members: list[Figures]) -> GroupFigures:
    total = sum(members, Figures())
    return GroupFigures(
        group=name, pupils=len(members), possible_sessions=total.possible, attended_sessions=total.attended,
        authorised_absence_sessions=total.authorised, unauthorised_absence_sessions=total.unauthorised,
        attendance_rate=_rate(total.attendance_rate), absence_rate=_rate(total.absence_rate),
        persistent_absence_pupils=sum(f.persistent_absence for f in members),
        severe_absence_pupils=sum(f.severe_absence for f in members))


def _line(pupil: Pupil, figures: Figures) -> PupilFlagLine:
    return PupilFlagLine(pupil_id=pupil.id, school_urn=pupil.school_urn, display_name=pupil.display_name,
                         year_group=pupil.year_group, possible_sessions=figures.possible,
                         attendance_rate=_rate(figures.attendance_rate), severe_absence=figures.severe_absence)


def _summarise(pairs: list[tuple[Pupil, Figures]], settings: RegisterSettings,
               dimensions: dict[str, Callable[[Pupil], str]],
               visible: Callable[[Pupil], bool]) -> tuple[GroupFigures, dict[str, list[GroupFigures]],
                                                          list[PupilFlagLine], list[PupilFlagLine]]:
    breakdowns: dict[str, list[GroupFigures]] = {}
    for dimension, key in dimensions.items():
        groups: dict[str, list[Figures]] = {}
        for pupil, figures in pairs:
            groups.setdefault(key(pupil), []).append(figures)
        order = sorted(groups, key=lambda g: (YEAR_ORDER.index(g) if g in YEAR_ORDER else 99, g))
        breakdowns[dimension] = [_group(g, groups[g]) for g in order]
    bands = BandThresholds(Fraction(settings.band_green_min_percent), Fraction(settings.band_red_max_percent))
    flagged = sorted(((p, f) for p, f in pairs if f.persistent_absence and visible(p)),
                     key=lambda pf: (pf[1].attendance_rate or 0, pf[0].display_name))
    at_risk = sorted(((p, f) for p, f in pairs
                      if not f.persistent_absence and f.band(bands) is Band.AMBER and visible(p)),
                     key=lambda pf: (pf[1].attendance_rate or 0, pf[0].display_name))
    return (_group("All pupils", [f for _, f in pairs]), breakdowns, [_line(p, f) for p, f in flagged],
            [_line(p, f) for p, f in at_risk])


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


async def _pairs(db: Db, period: Period, urns: list[str]) -> list[tuple[Pupil, Figures]]:
    if period.from_date is not None and period.to_date is not None:
        # A range other than the year: count its marks (slower than the tallies, but any range works).
        codes = await repository.marks.codes_in_range(db, urns, period.from_date, period.to_date)
        pupils = await repository.pupils.pupils_by_id(db, list(codes))
        return [(pupils[pid], figures_from_codes(c)) for pid, c in codes.items() if pid in pupils]
    return [(pupil, figures_of(tally)) for pupil, tally in
            await repository.marks.tallies_of_schools(db, period.academic_year, urns)]


async def school_figures(reg: Register, identity: Identity, school: School, period: Period) -> SchoolFigures:
    """A school's figures; pupil lists only for those who may read the school's register."""
    db, settings = reg.db, reg.settings
    if not identity.can_see_school_figures(school_urn=school.urn, la_code=school.la_code):
        raise OutOfScope("You do not have access to this school's figures.")
    pairs = await _pairs(db, period, [school.urn])
    names_visible = access.can_read_school_register(identity, school)
    overall, breakdowns, flagged, at_risk = _summarise(pairs, settings, DIMENSIONS, lambda _: names_visible)
    return SchoolFigures(urn=school.urn, academic_year=period.academic_year, from_date=period.from_date,
                         to_date=period.to_date, overall=overall, breakdowns=breakdowns,
                         persistent_absentees=flagged, at_risk=at_risk)


async def la_figures(reg: Register, identity: Identity, la_code: str, period: Period) -> LaFigures:
    """An LA's figures across its schools; the VSH sees only looked-after pupils by name."""
    db, settings = reg.db, reg.settings
    if not (identity.role is Role.SERVICE or (identity.role in LA_ROLES | {Role.VIRTUAL_SCHOOL_HEAD}
                                              and identity.scope.la_code == la_code)):
        raise OutOfScope("You do not have access to this local authority's figures.")
    urns = [s.urn for s in await repository.schools.list_schools(db) if s.la_code == la_code]
    pairs = await _pairs(db, period, urns)

    def visible(pupil: Pupil) -> bool:
        return identity.role is not Role.VIRTUAL_SCHOOL_HEAD or pupil.looked_after

    dimensions = {"school": lambda p: p.school_urn, **DIMENSIONS}
    overall, breakdowns, flagged, at_risk = _summarise(pairs, settings, dimensions, visible)
    return LaFigures(la_code=la_code, academic_year=period.academic_year, from_date=period.from_date,
                     to_date=period.to_date, overall=overall, breakdowns=breakdowns,
                     persistent_absentees=flagged, at_risk=at_risk)
