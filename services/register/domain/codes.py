"""National attendance and absence codes from 19 August 2024 (2024 Regs reg 10) and their statistics."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import time
from enum import StrEnum
from types import MappingProxyType

from services.register.domain.sessions import Session


class CodeCategory(StrEnum):
    """Statistical category of a code (WTISA / reg 10 tables)."""

    PRESENT = "present"
    APPROVED_ACTIVITY = "approved_activity"
    AUTHORISED_ABSENCE = "authorised_absence"
    UNAUTHORISED_ABSENCE = "unauthorised_absence"
    NOT_POSSIBLE = "not_possible"
    ADMINISTRATIVE = "administrative"


STATISTICAL_MEANING: Mapping[CodeCategory, str] = MappingProxyType(
    {
        CodeCategory.PRESENT: "Present",
        CodeCategory.APPROVED_ACTIVITY: "Attending an approved educational activity",
        CodeCategory.AUTHORISED_ABSENCE: "Authorised absence",
        CodeCategory.UNAUTHORISED_ABSENCE: "Unauthorised absence",
        CodeCategory.NOT_POSSIBLE: "Not counted in possible sessions",
        CodeCategory.ADMINISTRATIVE: "Not counted in possible sessions (administrative)",
    }
)

_POSSIBLE = frozenset(
    {
        CodeCategory.PRESENT,
        CodeCategory.APPROVED_ACTIVITY,
        CodeCategory.AUTHORISED_ABSENCE,
        CodeCategory.UNAUTHORISED_ABSENCE,
    }
)
_ATTENDED = frozenset({CodeCategory.PRESENT, CodeCategory.APPROVED_ACTIVITY})


class UnknownCode(ValueError):
    """The code is not in the 2024 national set (or was withdrawn in 2024)."""


class CodeNotApplicable(ValueError):
    """The code exists but cannot be used for this pupil (X for a CSA pupil, C2 for a non-CSA pupil)."""


@dataclass(frozen=True)
class AttendanceCode:
    """One national code; the counting flags follow from its statistical category."""

    code: str
    meaning: str
    category: CodeCategory
    csa_only: bool = False
    non_csa_only: bool = False
    counts_as_possible: bool = field(init=False)
    counts_as_attended: bool = field(init=False)
    statistical_meaning: str = field(init=False)

    def __post_init__(self) -> None:
        # Derived, not passed in, so a category override (Q) can never leave the flags inconsistent.
        object.__setattr__(self, "counts_as_possible", self.category in _POSSIBLE)
        object.__setattr__(self, "counts_as_attended", self.category in _ATTENDED)
        object.__setattr__(self, "statistical_meaning", STATISTICAL_MEANING[self.category])

    @property
    def is_authorised_absence(self) -> bool:
        """True when the code is statistically an authorised absence."""
        return self.category is CodeCategory.AUTHORISED_ABSENCE

    @property
    def is_unauthorised_absence(self) -> bool:
        """True when the code is statistically an unauthorised absence."""
        return self.category is CodeCategory.UNAUTHORISED_ABSENCE

    @property
    def is_absence(self) -> bool:
        """True for authorised or unauthorised absence (the numerator of the absence rate)."""
        return self.is_authorised_absence or self.is_unauthorised_absence


_P = CodeCategory.PRESENT
_AA = CodeCategory.APPROVED_ACTIVITY
_AU = CodeCategory.AUTHORISED_ABSENCE
_UN = CodeCategory.UNAUTHORISED_ABSENCE
_NP = CodeCategory.NOT_POSSIBLE
_AD = CodeCategory.ADMINISTRATIVE

# Q's category is [M] in rules.md (section 15 q1): the default below is overridable per setting.
Q_DEFAULT_CATEGORY = CodeCategory.NOT_POSSIBLE

_TABLE: tuple[AttendanceCode, ...] = (
    AttendanceCode("/", "Present in the morning registration", _P),
    AttendanceCode("\\", "Present in the afternoon registration", _P),
    AttendanceCode("L", "Late: arrived before the register closed", _P),
    AttendanceCode("K", "Attending education provision arranged by the local authority", _AA),
    AttendanceCode("V", "Attending an educational visit or trip organised by the school", _AA),
    AttendanceCode("P", "Participating in an approved sporting activity", _AA),
    AttendanceCode("W", "Attending work experience", _AA),
    AttendanceCode("B", "Attending any other approved educational activity", _AA),
    AttendanceCode("D", "Dual registered: attending the other school", _NP),
    AttendanceCode("C1", "Leave for a regulated performance or regulated employment abroad", _AU),
    AttendanceCode("M", "Leave for a medical or dental appointment", _AU),
    AttendanceCode("J1", "Leave for an interview", _AU),
    AttendanceCode("S", "Study leave for public examinations", _AU),
    AttendanceCode("X", "Non-compulsory school age pupil not required to attend", _NP, non_csa_only=True),
    AttendanceCode(
        "C2", "Leave for a compulsory school age pupil on a part-time timetable", _AU, csa_only=True
    ),
    AttendanceCode("C", "Leave for exceptional circumstances", _AU),
    AttendanceCode("T", "Parent travelling for occupational purposes", _AU),
    AttendanceCode("R", "Religious observance", _AU),
    AttendanceCode("I", "Illness (not a medical or dental appointment)", _AU),
    AttendanceCode("E", "Suspended or permanently excluded and no alternative provision made", _AU),
    AttendanceCode("Q", "Unable to attend because of a lack of access arrangements", Q_DEFAULT_CATEGORY),
    AttendanceCode("Y1", "Unable to attend: transport normally provided not available", _NP),
    AttendanceCode("Y2", "Unable to attend: widespread disruption to travel", _NP),
    AttendanceCode("Y3", "Unable to attend: part of the school premises closed", _NP),
    AttendanceCode("Y4", "Unable to attend: whole school site unexpectedly closed", _NP),
    AttendanceCode("Y5", "Unable to attend: in criminal justice detention", _NP),
    AttendanceCode("Y6", "Unable to attend: public health guidance or law", _NP),
    AttendanceCode("Y7", "Unable to attend: any other unavoidable cause", _NP),
    AttendanceCode("G", "Holiday not granted by the school", _UN),
    AttendanceCode("N", "Reason for absence not yet established", _UN),
    AttendanceCode("O", "Absent in other or unknown circumstances", _UN),
    AttendanceCode("U", "Arrived after the register closed", _UN),
    AttendanceCode("Z", "Prospective pupil not on the admission register", _AD),
    AttendanceCode("#", "Planned whole-school closure", _AD),
)

CODES: dict[str, AttendanceCode] = {c.code: c for c in _TABLE}

WITHDRAWN_CODES: Mapping[str, str] = MappingProxyType(
    {
        "H": "code H (agreed holiday) was withdrawn on 19 August 2024; use C for exceptional leave or G",
        "J": "code J (interview) was withdrawn on 19 August 2024; use J1",
        "Y": "single code Y was withdrawn on 19 August 2024; use Y1 to Y7",
        "F": "code F (extended family holiday) was withdrawn in 2013 and is not in the 2024 set",
    }
)

UNAUTHORISED_CODES: frozenset[str] = frozenset({"G", "N", "O", "U"})
"""Codes that count towards the penalty-notice threshold and the 10-day attendance return."""
CONTINUOUS_ABSENCE_DELETION_CODES: frozenset[str] = frozenset({"G", "N", "O"})
"""Codes allowed throughout a 20-school-day continuous absence for deletion ground 9(1)(i)."""
ILLNESS_CODE = "I"
NOT_ESTABLISHED_CODE = "N"
PLANNED_CLOSURE_CODE = "#"
UNEXPECTED_CLOSURE_CODE = "Y4"
DUAL_REGISTRATION_CODE = "D"
PRESENT_CODES: Mapping[Session, str] = MappingProxyType({Session.AM: "/", Session.PM: "\\"})
LATE_CODE = "L"
LATE_AFTER_CLOSE_CODE = "U"
MAX_REGISTER_OPEN_MINUTES = 30

# Arbor's "best mark" precedence when several marks exist for one statutory session [M, vendor practice].
BEST_MARK_PRECEDENCE: tuple[CodeCategory, ...] = (_P, _AA, _AU, _UN, _NP, _AD)


def normalise_code(code: str) -> str:
    """Strip surrounding whitespace and upper-case a code as typed or exported ('y1' -> 'Y1')."""
    return code.strip().upper()


_Q_VARIANTS: dict[CodeCategory, AttendanceCode] = {
    category: replace(CODES["Q"], category=category) for category in CodeCategory
}


def code_table(q_category: CodeCategory = Q_DEFAULT_CATEGORY) -> dict[str, AttendanceCode]:
    """A copy of the national code table with Q in the given category (a setting; default not counted)."""
    table = dict(CODES)
    table["Q"] = _Q_VARIANTS[CodeCategory(q_category)]
    return table


def get_code(code: str, q_category: CodeCategory = Q_DEFAULT_CATEGORY) -> AttendanceCode:
    """Look up a code, raising UnknownCode with the reason (withdrawn in 2024, or not a national code)."""
    if not isinstance(code, str):
        raise UnknownCode(f"attendance code must be text, got {type(code).__name__}")
    key = normalise_code(code)
    if not key:
        raise UnknownCode("attendance code is empty")
    if key == "Q":
        return _Q_VARIANTS[CodeCategory(q_category)]
    if key in CODES:
        return CODES[key]
    if key in WITHDRAWN_CODES:
        raise UnknownCode(WITHDRAWN_CODES[key])
    raise UnknownCode(f"{code!r} is not a national attendance code (schools may not invent local codes)")


def is_known_code(code: str) -> bool:
    """True when the code is in the 2024 national set."""
    return isinstance(code, str) and normalise_code(code) in CODES


def category_of(code: str, q_category: CodeCategory = Q_DEFAULT_CATEGORY) -> CodeCategory:
    """The statistical category of a code."""
    return get_code(code, q_category).category


def check_applicable(code: str, compulsory_school_age: bool) -> AttendanceCode:
    """Return the code if it may be used for this pupil: X only for non-CSA pupils, C2 only for CSA pupils."""
    entry = get_code(code)
    if entry.csa_only and not compulsory_school_age:
        raise CodeNotApplicable(
            f"code {entry.code} can only be used for a pupil of compulsory school age on that date"
        )
    if entry.non_csa_only and compulsory_school_age:
        raise CodeNotApplicable(
            f"code {entry.code} can only be used for a pupil not of compulsory school age on that date"
        )
    return entry


def mark_precedence(code: str, q_category: CodeCategory = Q_DEFAULT_CATEGORY) -> int:
    """Rank of a code under the best-mark rule: 0 is best (present), larger is worse."""
    return BEST_MARK_PRECEDENCE.index(category_of(code, q_category))


def best_mark(codes: Iterable[str], q_category: CodeCategory = Q_DEFAULT_CATEGORY) -> AttendanceCode:
    """The code that stands for a session with several marks (first one wins within a category)."""
    entries = [get_code(c, q_category) for c in codes]
    if not entries:
        raise ValueError("best_mark needs at least one code")
    return min(entries, key=lambda e: BEST_MARK_PRECEDENCE.index(e.category))


def present_code(session: Session | str) -> str:
    """The ordinary present code for a session: '/' in the morning, '\\' in the afternoon."""
    return PRESENT_CODES[Session(session)]


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def validate_register_window(opens: time, closes: time) -> None:
    """Raise ValueError unless the register closes after it opens and is open no more than 30 minutes."""
    if _minutes(closes) <= _minutes(opens):
        raise ValueError("the register must close after it opens")
    if _minutes(closes) - _minutes(opens) > MAX_REGISTER_OPEN_MINUTES:
        raise ValueError(f"the register may be open for no more than {MAX_REGISTER_OPEN_MINUTES} minutes")


def code_for_arrival(
    arrival: time, register_opens: time, register_closes: time, session: Session | str
) -> str:
    """Mark for an arrival time: present by opening, L up to closing, U after the register closed."""
    if arrival <= register_opens:
        return present_code(session)
    if arrival <= register_closes:
        return LATE_CODE
    return LATE_AFTER_CLOSE_CODE


def minutes_late(arrival: time, register_opens: time) -> int:
    """Whole minutes after the register opened that a late pupil arrived (0 if on time)."""
    return max(0, _minutes(arrival) - _minutes(register_opens))
