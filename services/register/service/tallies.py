"""Per-pupil tallies kept in step with the marks, and the PA/SA crossings they reveal."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from services.register import repository
from services.register.domain.figures import TALLY_FIELDS, Band, BandThresholds, Figures, tally_delta
from services.register.settings import RegisterSettings
from shared.unit_of_work import Db


@dataclass(frozen=True)
class Crossing:
    pupil_id: uuid.UUID
    academic_year: int
    became_persistent: bool
    left_persistent: bool
    became_severe: bool
    left_severe: bool
    figures: Figures
    entered_at_risk: bool = False
    left_at_risk: bool = False


def status_of(figures: Figures, settings: RegisterSettings) -> tuple[bool, bool, bool]:
    """(persistent, severe, at risk) as reported: at risk is the amber band short of persistent absence."""
    return _status(figures, settings.min_possible_sessions_for_flags, settings.band_green_min_percent,
                   settings.band_red_max_percent)


# Remembered by figures: a whole-school session checks a thousand statuses with exact fractions, and many pupils
# share the same counts (every pupil with full attendance so far, for a start).
@lru_cache(maxsize=4096)
def _status(figures: Figures, min_possible: int, green_min_percent: int,
            red_max_percent: int) -> tuple[bool, bool, bool]:
    # Early in the year one absence is a large share; flags wait for enough possible sessions.
    if figures.possible < min_possible:
        return False, False, False
    persistent, severe = figures.persistent_absence, figures.severe_absence
    bands = BandThresholds(Fraction(green_min_percent), Fraction(red_max_percent))
    at_risk = not persistent and figures.band(bands) is Band.AMBER
    return persistent, severe, at_risk


@dataclass(frozen=True)
class Applied:
    """What a set of changes did to the tallies: the PA/SA/at-risk crossings (their flags already stored), and each
    tally as the changes left it (counters after the changes; the statutory threshold flags as they stand)."""

    crossings: list[Crossing]
    tallies: Mapping[repository.tallies.TallyKey, repository.tallies.TallyState]


def _steps(old: str | None, new: str) -> repository.tallies.Steps:
    delta = tally_delta(old, new)
    return tuple(delta[name] for name in TALLY_FIELDS)


async def apply_changes(db: Db, school_urn: str,
                        changes: list[tuple[uuid.UUID, int, str | None, str]],
                        settings: RegisterSettings) -> Applied:
    """Add (pupil, academic year, old code, new code) changes to the tallies; report PA/SA crossings.

    Set-based: the increments are added in the database in one statement (a few on SQLite), and only the tallies
    whose status changed are written again, so a whole-school session costs a few statements, not one per pupil."""
    increments: dict[repository.tallies.TallyKey, repository.tallies.Steps] = {}
    deltas: dict[tuple[str | None, str], repository.tallies.Steps] = {}
    for pupil_id, year, old, new in changes:
        steps = deltas.get((old, new))
        if steps is None:
            steps = deltas[(old, new)] = _steps(old, new)
        earlier = increments.get((pupil_id, year))
        increments[(pupil_id, year)] = steps if earlier is None else tuple(
            a + b for a, b in zip(earlier, steps, strict=True))
    rows = await repository.tallies.add_to_tallies(db, school_urn, increments)
    limits = (settings.min_possible_sessions_for_flags, settings.band_green_min_percent,
              settings.band_red_max_percent)
    crossings = []
    changed: dict[repository.tallies.TallyKey, dict[str, bool]] = {}
    for key in increments:
        row = rows[key]
        now = _status_of_counts(row.possible, row.attended, row.authorised, row.unauthorised, row.not_counted,
                                *limits)
        before = (row.persistent_absence, row.severe_absence, row.at_risk)
        if now != before:
            persistent, severe, at_risk = now
            figures = Figures(row.possible, row.attended, row.authorised, row.unauthorised, row.not_counted)
            crossings.append(Crossing(key[0], key[1], persistent and not before[0], before[0] and not persistent,
                                      severe and not before[1], before[1] and not severe, figures,
                                      at_risk and not before[2], before[2] and not at_risk))
            changed[key] = {"persistent_absence": persistent, "severe_absence": severe, "at_risk": at_risk}
    await repository.tallies.set_flags(db, changed)
    return Applied(crossings, rows)


@lru_cache(maxsize=4096)
def _status_of_counts(possible: int, attended: int, authorised: int, unauthorised: int, not_counted: int,
                      min_possible: int, green_min_percent: int, red_max_percent: int) -> tuple[bool, bool, bool]:
    return _status(Figures(possible, attended, authorised, unauthorised, not_counted), min_possible,
                   green_min_percent, red_max_percent)
