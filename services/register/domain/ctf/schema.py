"""The Common Transfer File as the register reads and writes it (rules.md section 14): the parts of the CTF a school
needs to admit a pupil and to keep their attendance history, as plain data that parse and build share.

The element names follow the CTF's XML structure (CTfile/Header/CTFpupilData/Pupil). Whatever rules.md marks as
unconfirmed (how the 2024 two-character codes go into AttendanceMarks, the destination-unknown addressing) comes in
as an argument from settings, never as a constant here."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

ROOT = "CTfile"
DOCUMENT_NAME = "Common Transfer File"
QUALIFIERS = ("full", "partial")
SEXES = ("M", "F")
# National curriculum year groups a school's register records (rules.md section 3; the register's own list).
NC_YEARS = ("N1", "N2", "R", *(str(n) for n in range(1, 15)))
LA_PATTERN = re.compile(r"^\d{3}$")
ESTAB_PATTERN = re.compile(r"^\d{4}$")
URN_PATTERN = re.compile(r"^\d{6}$")
# A session not marked in the register is written as this in AttendanceMarks, so positions stay one per session.
UNMARKED_SESSION = "-"
# Relationship words the register keeps, and the CTF contact relationship codes they are written as (and back).
RELATIONSHIP_CODES: Mapping[str, str] = {
    "mother": "PAM", "father": "PAF", "parent": "PAR", "step-mother": "STM", "step-father": "STF",
    "carer": "CAR", "foster carer": "FOS", "grandparent": "REL", "relative": "REL", "other": "OTH"}
RELATIONSHIP_WORDS: Mapping[str, str] = {
    "PAM": "Mother", "PAF": "Father", "PAR": "Parent", "STM": "Step-mother", "STF": "Step-father", "CAR": "Carer",
    "FOS": "Foster carer", "REL": "Relative", "OTH": "Other", "DOC": "Doctor", "CHM": "Childminder",
    "SWR": "Social worker", "RLG": "Religious contact"}


@dataclass(frozen=True)
class SchoolRef:
    """A school as the CTF names it: its LA number and DfE establishment number, and optionally its URN and name."""

    la: str
    estab: str
    urn: str | None = None
    name: str | None = None

    @property
    def laestab(self) -> str:
        return f"{self.la}{self.estab}"


@dataclass(frozen=True)
class Header:
    ctf_version: str
    date_time: datetime
    qualifier: str
    source: SchoolRef
    academic_year: str
    destination: SchoolRef
    supplier_id: str | None = None


@dataclass(frozen=True)
class Contact:
    order: int
    forename: str | None
    surname: str
    relationship: str
    parental_responsibility: bool
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class YearData:
    """One academic year of attendance at one school, as the leaving school counted it."""

    year: int  # the calendar year in which the academic year starts, e.g. 2026 for 2026/27
    la: str
    estab: str
    school_name: str | None
    possible: int
    attended: int
    authorised: int
    unauthorised: int
    start_date: date | None = None
    marks: str | None = None  # one character per session from start_date (AttendanceMarks)


@dataclass(frozen=True)
class CtfPupil:
    upn: str
    surname: str
    forename: str
    date_of_birth: date
    sex: str
    nc_year: str
    middle_names: str | None = None
    preferred_surname: str | None = None
    preferred_forename: str | None = None
    former_upn: str | None = None
    ethnicity: str | None = None
    looked_after: bool = False
    address_lines: tuple[str, ...] = ()
    postcode: str | None = None
    contacts: tuple[Contact, ...] = ()
    attendance: tuple[YearData, ...] = ()


@dataclass(frozen=True)
class CtfFile:
    header: Header
    pupils: tuple[CtfPupil, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class MarkEncoding:
    """How register codes become the one character per session of AttendanceMarks, and back.

    Single-character codes are written as they are; `multi_character` maps each longer 2024 code (C1, C2, J1,
    Y1-Y7) to the character written for it. Reading a file takes a character back to a code through `read_as`
    (default: the character itself). Both come from settings: rules.md marks this encoding unconfirmed."""

    multi_character: Mapping[str, str]
    read_as: Mapping[str, str] = field(default_factory=dict)

    def write(self, code: str) -> str:
        if len(code) == 1:
            return code
        return self.multi_character.get(code, code[0])

    def read(self, character: str) -> str:
        return self.read_as.get(character, character)


class CtfProblem(ValueError):
    """A CTF that cannot be read or does not meet the structure; `errors` name each problem by its XML path."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


def relationship_code(relationship: str) -> str:
    return RELATIONSHIP_CODES.get(relationship.strip().lower(), "OTH")


def relationship_word(code: str) -> str:
    return RELATIONSHIP_WORDS.get(code.strip().upper(), code.strip() or "Other")
