"""Unique Pupil Number (UPN): format and check letter (CBDS), permanent and temporary UPNs."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

# 23 letters: I, O and S are never used (check letter or temporary final letter).
CHECK_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"
UPN_LENGTH = 13


class InvalidUpn(ValueError):
    """The UPN is malformed or its check letter does not match."""


@dataclass(frozen=True)
class UpnParts:
    """The fields packed into a UPN."""

    check_letter: str
    la_number: str
    establishment: str
    year: str
    serial: str
    temporary: bool


def normalise_upn(upn: str) -> str:
    """Strip whitespace and upper-case a UPN as typed or exported."""
    return "".join(upn.split()).upper()


def _body_errors(body: str) -> str | None:
    if len(body) != UPN_LENGTH - 1:
        return f"the UPN body must be {UPN_LENGTH - 1} characters, got {len(body)}"
    if not body[:11].isdigit() or not body[:11].isascii():
        bad = next(i for i, ch in enumerate(body[:11]) if not (ch.isascii() and ch.isdigit()))
        return f"character {bad + 2} must be a digit, got {body[bad]!r}"
    last = body[11]
    if last.isascii() and last.isdigit():
        return None
    if last in CHECK_ALPHABET:
        return None
    if last in "IOS":
        return f"the letter {last} is never used in a UPN"
    return f"character 13 must be a digit or a capital letter (temporary UPN), got {last!r}"


def _value(ch: str) -> int:
    return int(ch) if ch.isdigit() else CHECK_ALPHABET.index(ch)


def upn_check_letter(body12: str) -> str:
    """The check letter for the 12 characters after it (weights 2..13, sum mod 23, mapped to the alphabet)."""
    problem = _body_errors(body12)
    if problem:
        raise InvalidUpn(problem)
    total = sum(_value(ch) * weight for weight, ch in enumerate(body12, start=2))
    return CHECK_ALPHABET[total % 23]


def make_upn(la_code: int | str, estab: int | str, year2: int | str, serial: int | str) -> str:
    """Build a UPN: serial is 0-999 (permanent) or two digits and a letter such as '07A' (temporary)."""
    la = _digits(la_code, 3, "LA number")
    es = _digits(estab, 4, "establishment number")
    yr = _digits(year2, 2, "year of allocation")
    if isinstance(serial, str) and len(serial) == 3 and not serial[2].isdigit():
        se = _digits(serial[:2], 2, "serial") + serial[2].upper()
    else:
        se = _digits(serial, 3, "serial")
    body = la + es + yr + se
    return upn_check_letter(body) + body


def _digits(value: int | str, width: int, name: str) -> str:
    if isinstance(value, bool):
        raise InvalidUpn(f"{name} must be a number")
    if isinstance(value, int):
        if not 0 <= value < 10**width:
            raise InvalidUpn(f"{name} must be between 0 and {10**width - 1}, got {value}")
        return str(value).zfill(width)
    if len(value) != width or not value.isascii() or not value.isdigit():
        raise InvalidUpn(f"{name} must be {width} digits, got {value!r}")
    return value


def validate_upn(upn: str, la_codes: Collection[str] | None = None) -> None:
    """Raise InvalidUpn naming the first problem; optionally require the LA number to be one of la_codes."""
    if not isinstance(upn, str):
        raise InvalidUpn("a UPN must be text")
    if len(upn) != UPN_LENGTH:
        raise InvalidUpn(f"a UPN is {UPN_LENGTH} characters, got {len(upn)}")
    first = upn[0]
    if first in "IOS":
        raise InvalidUpn(f"the letter {first} is never used as a UPN check letter")
    if first not in CHECK_ALPHABET:
        raise InvalidUpn(f"character 1 must be a capital check letter, got {first!r}")
    body = upn[1:]
    problem = _body_errors(body)
    if problem:
        raise InvalidUpn(problem)
    expected = upn_check_letter(body)
    if first != expected:
        raise InvalidUpn(f"check letter is {first} but the digits give {expected}")
    if la_codes is not None and body[:3] not in la_codes:
        raise InvalidUpn(f"{body[:3]} is not a known local authority number")


def is_valid_upn(upn: str) -> bool:
    """True when validate_upn would accept the UPN."""
    try:
        validate_upn(upn)
    except InvalidUpn:
        return False
    return True


def is_temporary_upn(upn: str) -> bool:
    """True for a valid UPN whose last character is a letter (a temporary UPN)."""
    validate_upn(upn)
    return not upn[-1].isdigit()


def parse_upn(upn: str) -> UpnParts:
    """Split a valid UPN into its LA number, establishment, year of allocation and serial."""
    validate_upn(upn)
    return UpnParts(
        check_letter=upn[0],
        la_number=upn[1:4],
        establishment=upn[4:8],
        year=upn[8:10],
        serial=upn[10:13],
        temporary=not upn[-1].isdigit(),
    )
