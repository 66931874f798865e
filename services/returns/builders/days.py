"""From session marks to school days, and runs of school days that are continuous.

Interpretation (sessions vs days): the returns count school days, the register records sessions. A school
day counts towards a return only when every session the school held that day carries one of the relevant
codes; a session the school did not hold (code `#`, planned closure) is left out, so a half-day closure with
the other session coded N still counts. A day with a missing mark, or with one session present or coded
otherwise, is not such a day and so breaks continuity.

Continuity: "continuous" runs over school days only. Weekends, holidays and planned closures are not school
days (they are absent from the extract's list of school days), so they neither count nor break a run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from shared.contracts.register import SessionName
from shared.contracts.returns import ExtractMark

UNAUTHORISED_CODES = frozenset({"G", "N", "O", "U"})
ILLNESS_CODES = frozenset({"I"})
SCHOOL_NOT_MEETING_CODES = frozenset({"#"})
ATTENDED_CODES = frozenset({"/", "\\", "L", "K", "V", "P", "W", "B"})
NOT_POSSIBLE_CODES = frozenset({"D", "X", "Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7", "Z", "#"})

DayMarks = dict[SessionName, str]


def marks_by_pupil(marks: Iterable[ExtractMark]) -> dict[UUID, dict[date, DayMarks]]:
    """Marks indexed by pupil, day and session (one mark per session; a repeat replaces the earlier one)."""
    index: dict[UUID, dict[date, DayMarks]] = defaultdict(lambda: defaultdict(dict))
    for mark in marks:
        index[mark.pupil_id][mark.session_date][mark.session] = mark.code.strip().upper()
    return index


def day_carries(day: DayMarks | None, codes: frozenset[str]) -> bool:
    """Whether every session the school held that day carries one of `codes`."""
    if not day:
        return False
    held = []
    for am_pm in (SessionName.AM, SessionName.PM):
        code = day.get(am_pm)
        if code is None:
            return False
        if code not in SCHOOL_NOT_MEETING_CODES:
            held.append(code)
    return bool(held) and all(code in codes for code in held)


@dataclass(frozen=True)
class Run:
    """A continuous period of qualifying school days."""

    days: tuple[date, ...]
    codes: frozenset[str]

    @property
    def start(self) -> date:
        return self.days[0]

    @property
    def end(self) -> date:
        return self.days[-1]

    @property
    def length(self) -> int:
        return len(self.days)


def runs(school_days: Sequence[date], pupil_days: dict[date, DayMarks], codes: frozenset[str]) -> list[Run]:
    """Maximal runs of consecutive school days on which the pupil's sessions all carry `codes`."""
    found: list[Run] = []
    current: list[date] = []
    seen: set[str] = set()
    for day in sorted(set(school_days)):
        marks = pupil_days.get(day)
        if day_carries(marks, codes):
            current.append(day)
            seen.update(c for c in (marks or {}).values() if c in codes)
            continue
        if current:
            found.append(Run(tuple(current), frozenset(seen)))
        current, seen = [], set()
    if current:
        found.append(Run(tuple(current), frozenset(seen)))
    return found
