"""Sessions (AM/PM) and the attendance mark as the pure rules see it."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import NamedTuple


class Session(StrEnum):
    """Half a school day: the morning or the afternoon session."""

    AM = "AM"
    PM = "PM"


class Mark(NamedTuple):
    """One attendance mark: the date, the session and the national code recorded."""

    session_date: date
    session: Session
    code: str


def session_order(session_date: date, session: Session | str) -> tuple[date, int]:
    """Sort key putting AM before PM on the same date."""
    return (session_date, 0 if Session(session) is Session.AM else 1)
