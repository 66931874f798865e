"""Per-pupil tallies kept in step with the marks, and the PA/SA crossings they reveal."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

from services.register import repository
from services.register.domain.figures import TALLY_FIELDS, Band, BandThresholds, Figures, tally_delta
from services.register.models import PupilTally
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


def figures_of(tally: PupilTally) -> Figures:
    return Figures(tally.possible, tally.attended, tally.authorised, tally.unauthorised, tally.not_counted)


def figures_from_row(row: Mapping[Any, Any]) -> Figures:
    return Figures(row["possible"], row["attended"], row["authorised"], row["unauthorised"], row["not_counted"])


async def apply_changes(db: Db, school_urn: str,
                        changes: list[tuple[uuid.UUID, int, str | None, str]],
                        settings: RegisterSettings) -> list[Crossing]:
    """Add (pupil, academic year, old code, new code) changes to the tallies; report PA/SA crossings.

    Set-based: the increments are added in the database with one UPDATE per distinct increment (a session's
    marks have a handful), and only the tallies whose status changed are written again (one UPDATE per distinct
    status), so a whole-school db costs a few statements, not one per pupil."""
    increments: dict[tuple[uuid.UUID, int], dict[str, int]] = {}
    deltas: dict[tuple[str | None, str], dict[str, int]] = {}
    for pupil_id, year, old, new in changes:
        delta = deltas.get((old, new))
        if delta is None:
            delta = deltas[(old, new)] = tally_delta(old, new)
        total = increments.setdefault((pupil_id, year), dict.fromkeys(TALLY_FIELDS, 0))
        for name, step in delta.items():
            total[name] += step
    rows = await repository.tallies.add_to_tallies(db, school_urn, increments)
    crossings = []
    changed: dict[tuple[uuid.UUID, int], dict[str, bool]] = {}
    for pupil_id, year in increments:
        row = rows[(pupil_id, year)]
        figures = figures_from_row(row)
        persistent, severe, at_risk = status_of(figures, settings)
        before = (row["persistent_absence"], row["severe_absence"], row["at_risk"])
        if (persistent, severe, at_risk) != before:
            crossings.append(Crossing(pupil_id, year, persistent and not before[0], before[0] and not persistent,
                                      severe and not before[1], before[1] and not severe, figures,
                                      at_risk and not before[2], before[2] and not at_risk))
            changed[(pupil_id, year)] = {"persistent_absence": persistent, "severe_absence": severe,
                                         "at_risk": at_risk}
    await repository.tallies.set_flags(db, changed)
    return crossings
