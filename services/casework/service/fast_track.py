"""Whether a pupil meets the fast track entry criterion now (local practice, JourneyPolicy: by default at least
15% unauthorised absence over the last 6 school weeks), from register's figures over those school weeks of the
pupil's school calendar: the same figures and period the journey checks when fast track is started."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from services.casework.models import CaseFile
from services.casework.schemas import FastTrackCheck
from services.casework.service.context import Casework
from shared import clock
from shared.contracts.journey import JourneyPolicy

# Enough calendar to find 6 school weeks behind a long holiday (summer is at most 7 weeks).
LOOK_BACK = timedelta(weeks=16)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def school_weeks_back(school_days: list[date], today: date, weeks: int) -> tuple[date, date] | None:
    """The first and last school day of the last `weeks` Monday-Sunday weeks that have a school day, up to today;
    None when there are not that many in the days given."""
    by_week: dict[date, list[date]] = {}
    for day in sorted(d for d in school_days if d <= today):
        by_week.setdefault(_monday(day), []).append(day)
    counted = sorted(by_week)[-weeks:]
    if len(counted) < weeks:
        return None
    return by_week[counted[0]][0], by_week[counted[-1]][-1]


async def fast_track_check(cw: Casework, case: CaseFile, policy: JourneyPolicy) -> FastTrackCheck | None:
    """The entry figures over the last school weeks, and whether they meet the criterion; None when the school's
    calendar does not reach back that far or the pupil has no possible sessions in it."""
    today = clock.today()
    weeks, percent = policy.fast_track_window_school_weeks, policy.fast_track_unauthorised_percent
    days = await cw.register.school_days(case.school_urn, today - LOOK_BACK, today)
    period = school_weeks_back(days.school_days, today, weeks)
    if period is None:
        return None
    figures = await cw.register.pupil_figures(case.register_pupil_id, period[0], period[1])
    if figures.possible_sessions == 0:
        return None
    rate = Decimal(figures.unauthorised_absence_sessions) * 100 / Decimal(figures.possible_sessions)
    return FastTrackCheck(
        meets=rate >= percent, unauthorised_sessions=figures.unauthorised_absence_sessions,
        possible_sessions=figures.possible_sessions, unauthorised_rate=f"{rate:.1f}", period_start=period[0],
        period_end=period[1], criterion=f"at least {percent}% unauthorised absence over the last {weeks} school weeks")
