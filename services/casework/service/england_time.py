"""Dates and times as officers, courts and panels read them: on England's clocks (GMT or BST), GOV.UK style.
Every moment is stored in UTC; SQLite hands it back without its zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

ENGLAND = ZoneInfo("Europe/London")


def in_england(value: datetime) -> datetime:
    """The moment on England's clocks (GMT or BST). Every time is stored in UTC; SQLite hands it back naive."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(ENGLAND)


def day(value: date | datetime | str | None) -> str:
    """A date, or the day a moment fell on in England: 30 March 2026. ISO text (the journey's own records, read
    as JSON) is read as the date or moment it names."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    return f"{in_england(value) if isinstance(value, datetime) else value:%-d %B %Y}"


def _clock(moment: datetime) -> str:
    """GOV.UK style: 9am, 9:05am, 5:30pm, midday, midnight."""
    if (moment.hour, moment.minute) == (0, 0):
        return "midnight"
    if (moment.hour, moment.minute) == (12, 0):
        return "midday"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def england_time(value: datetime | None) -> str:
    """A moment as officers read it, in England's time: 25 November 2026 at 9:05am."""
    if value is None:
        return ""
    local = in_england(value)
    return f"{local:%-d %B %Y} at {_clock(local)}"
