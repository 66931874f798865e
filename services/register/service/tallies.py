"""Per-pupil tallies kept in step with the marks, and the PA/SA crossings they reveal."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.register.domain.figures import TALLY_FIELDS, Band, BandThresholds, Figures, tally_delta
from services.register.models import PupilTally
from services.register.settings import RegisterSettings


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
    # Early in the year one absence is a large share; flags wait for enough possible sessions.
    if figures.possible < settings.min_possible_sessions_for_flags:
        return False, False, False
    persistent, severe = figures.persistent_absence, figures.severe_absence
    bands = BandThresholds(Fraction(settings.band_green_min_percent), Fraction(settings.band_red_max_percent))
    at_risk = not persistent and figures.band(bands) is Band.AMBER
    return persistent, severe, at_risk


def figures_of(tally: PupilTally) -> Figures:
    return Figures(tally.possible, tally.attended, tally.authorised, tally.unauthorised, tally.not_counted)


async def load_tallies(session: AsyncSession, keys: Iterable[tuple[uuid.UUID, int]]) -> dict[tuple[uuid.UUID, int],
                                                                                            PupilTally]:
    wanted = set(keys)
    found: dict[tuple[uuid.UUID, int], PupilTally] = {}
    by_year: dict[int, list[uuid.UUID]] = {}
    for pupil_id, year in wanted:
        by_year.setdefault(year, []).append(pupil_id)
    for year, ids in by_year.items():
        for start in range(0, len(ids), 500):
            rows = await session.scalars(select(PupilTally).where(
                PupilTally.academic_year == year, PupilTally.pupil_id.in_(ids[start:start + 500])))
            found.update({(t.pupil_id, t.academic_year): t for t in rows})
    return found


async def apply_changes(session: AsyncSession, school_urn: str,
                        changes: list[tuple[uuid.UUID, int, str | None, str]],
                        settings: RegisterSettings) -> list[Crossing]:
    """Add (pupil, academic year, old code, new code) changes to the tallies; report PA/SA crossings."""
    tallies = await load_tallies(session, ((p, y) for p, y, _, _ in changes))
    for pupil_id, year, old, new in changes:
        tally = tallies.get((pupil_id, year))
        if tally is None:
            tally = PupilTally(pupil_id=pupil_id, academic_year=year, school_urn=school_urn,
                               persistent_absence=False, severe_absence=False, at_risk=False,
                               penalty_threshold_met=False, continuous_unauthorised=False,
                               illness_days_reached=False,
                               **dict.fromkeys(TALLY_FIELDS, 0))
            session.add(tally)
            tallies[(pupil_id, year)] = tally
        for name, step in tally_delta(old, new).items():
            if step:
                setattr(tally, name, getattr(tally, name) + step)
    crossings = []
    touched = {(p, y) for p, y, _, _ in changes}
    for (pupil_id, year), tally in tallies.items():
        if (pupil_id, year) not in touched:
            continue
        figures = figures_of(tally)
        persistent, severe, at_risk = status_of(figures, settings)
        before = (tally.persistent_absence, tally.severe_absence, tally.at_risk)
        if (persistent, severe, at_risk) != before:
            crossings.append(Crossing(pupil_id, year, persistent and not before[0], before[0] and not persistent,
                                      severe and not before[1], before[1] and not severe, figures,
                                      at_risk and not before[2], before[2] and not at_risk))
            tally.persistent_absence, tally.severe_absence, tally.at_risk = persistent, severe, at_risk
    return crossings
