"""Which period a scheduled LA-return run covers (pure: no I/O, no clock)."""

from __future__ import annotations

from datetime import date, timedelta


def period_before(today: date, interval_days: int | None) -> tuple[date, date]:
    """The period that ended before `today`: the previous calendar month (the statutory minimum is once a
    calendar month), or the `interval_days` days up to yesterday."""
    if interval_days is None:
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if interval_days < 1:
        raise ValueError("interval_days must be at least 1")
    return today - timedelta(days=interval_days), today - timedelta(days=1)
