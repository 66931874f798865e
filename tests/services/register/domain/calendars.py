"""Realistic school calendars for the domain tests (2023/24 and 2024/25, English three-term year)."""

from __future__ import annotations

from datetime import date, timedelta

from services.register.domain.calendar import Closure, SchoolCalendar, Term
from services.register.domain.sessions import Mark, Session


def calendar_2023() -> SchoolCalendar:
    """Academic year 2023/24 ending on Tuesday 23 July 2024."""
    return SchoolCalendar(
        2023,
        [
            Term("Autumn", date(2023, 9, 6), date(2023, 12, 20), date(2023, 10, 30), date(2023, 11, 3)),
            Term("Spring", date(2024, 1, 4), date(2024, 3, 28), date(2024, 2, 12), date(2024, 2, 16)),
            Term("Summer", date(2024, 4, 15), date(2024, 7, 23), date(2024, 5, 27), date(2024, 5, 31)),
        ],
    )


def calendar_2024(closures: tuple[Closure, ...] = ()) -> SchoolCalendar:
    """Academic year 2024/25: autumn half-term is the week of Monday 28 October 2024."""
    return SchoolCalendar(
        2024,
        [
            Term("Autumn", date(2024, 9, 4), date(2024, 12, 20), date(2024, 10, 28), date(2024, 11, 1)),
            Term("Spring", date(2025, 1, 6), date(2025, 4, 4), date(2025, 2, 17), date(2025, 2, 21)),
            Term("Summer", date(2025, 4, 22), date(2025, 7, 22), date(2025, 5, 26), date(2025, 5, 30)),
        ],
        closures,
    )


def day_marks(d: date, am: str, pm: str | None = None) -> list[Mark]:
    """Both marks for one day (pm defaults to the same code, or '\\' when am is '/')."""
    if pm is None:
        pm = "\\" if am == "/" else am
    return [Mark(d, Session.AM, am), Mark(d, Session.PM, pm)]


def mark_days(days: list[date], code: str) -> list[Mark]:
    """The same code in both sessions of every given day."""
    return [m for d in days for m in day_marks(d, code)]


def week_days(monday: date) -> list[date]:
    """Monday to Friday of the week starting on the given Monday."""
    return [monday + timedelta(days=i) for i in range(5)]
