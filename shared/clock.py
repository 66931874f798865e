"""The system's one idea of today and now.

In production this is the real date. `ATT_TODAY=YYYY-MM-DD` pins it for a test run, a demo or a training
environment "as of" a date: every process that inherits the variable then sees that date, with the real time of
day running on from it (the shift is whole days, fixed when the process first asks). Workflow code never reads
this module: a pinned date reaches a workflow as `clock_offset_days` in its input, set by whoever starts it.

Token expiry and other security clocks stay on real time (see shared.auth)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

PINNED_DATE_VARIABLE = "ATT_TODAY"
ENGLAND = ZoneInfo("Europe/London")


def pinned_date() -> date | None:
    """The date `ATT_TODAY` pins, or None; a malformed value stops the process rather than run on a wrong date."""
    raw = os.environ.get(PINNED_DATE_VARIABLE, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{PINNED_DATE_VARIABLE} must be a date as YYYY-MM-DD, not {raw!r}") from None


@lru_cache(maxsize=1)
def offset_days() -> int:
    """Whole days between the pinned date and the real date in England (0 when nothing is pinned)."""
    pinned = pinned_date()
    if pinned is None:
        return 0
    return (pinned - datetime.now(ENGLAND).date()).days


def now() -> datetime:
    """The current moment (aware, UTC), moved to the pinned date when one is set."""
    return datetime.now(UTC) + timedelta(days=offset_days())


def today() -> date:
    """Today in England: the date registers, deadlines and returns count from."""
    return now().astimezone(ENGLAND).date()


def england_date(moment: datetime) -> date:
    """The English calendar date of a moment."""
    return moment.astimezone(ENGLAND).date()
