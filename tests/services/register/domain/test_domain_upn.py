"""UPN format and check letter (rules.md section 13)."""

from __future__ import annotations

import random

import pytest

from services.register.domain.upn import (
    CHECK_ALPHABET,
    InvalidUpn,
    is_temporary_upn,
    is_valid_upn,
    make_upn,
    normalise_upn,
    parse_upn,
    upn_check_letter,
    validate_upn,
)

pytestmark = pytest.mark.unit


def test_the_worked_example_is_valid() -> None:
    assert upn_check_letter("801200005001") == "B"
    validate_upn("B801200005001")
    assert make_upn(801, 2000, 5, 1) == "B801200005001"
    assert make_upn("801", "2000", "05", "001") == "B801200005001"


def test_the_alphabet_never_uses_i_o_or_s() -> None:
    assert len(CHECK_ALPHABET) == 23
    assert not set("IOS") & set(CHECK_ALPHABET)


def test_parse_splits_the_fields() -> None:
    parts = parse_upn("B801200005001")
    assert (parts.la_number, parts.establishment, parts.year, parts.serial) == ("801", "2000", "05", "001")
    assert not parts.temporary


def test_temporary_upn_with_a_final_letter() -> None:
    upn = make_upn(801, 2000, 24, "07A")
    # A letter at position 13 takes its value from the table (A = 0).
    digits = "8012000240" + "7"
    total = sum(int(ch) * w for w, ch in enumerate(digits, start=2))
    assert upn[0] == CHECK_ALPHABET[total % 23]
    validate_upn(upn)
    assert is_temporary_upn(upn)
    assert parse_upn(upn).temporary
    z = make_upn(801, 2000, 24, "07z")
    assert z.endswith("07Z")
    total_z = total + CHECK_ALPHABET.index("Z") * 13
    assert z[0] == CHECK_ALPHABET[total_z % 23]


@pytest.mark.parametrize(
    ("upn", "reason"),
    [
        ("B80120000500", "13 characters, got 12"),
        ("B8012000050011", "13 characters, got 14"),
        ("C801200005001", "check letter is C but the digits give B"),
        ("b801200005001", "character 1 must be a capital check letter"),
        ("1801200005001", "character 1 must be a capital check letter"),
        ("I801200005001", "letter I is never used"),
        ("O801200005001", "letter O is never used"),
        ("S801200005001", "letter S is never used"),
        ("B8012000X5001", "character 9 must be a digit"),
        ("B80120000500I", "letter I is never used"),
        ("B80120000500S", "letter S is never used"),
        ("B80120000500a", "character 13 must be a digit or a capital letter"),
        ("B80120000500-", "character 13 must be a digit or a capital letter"),
        ("B8012000050\u00b21", "character 12 must be a digit"),
    ],
)
def test_invalid_upns_name_the_reason(upn: str, reason: str) -> None:
    with pytest.raises(InvalidUpn, match=reason):
        validate_upn(upn)
    assert not is_valid_upn(upn)


def test_la_number_can_be_checked_against_known_las() -> None:
    validate_upn("B801200005001", la_codes={"801", "999"})
    with pytest.raises(InvalidUpn, match="801 is not a known local authority"):
        validate_upn("B801200005001", la_codes={"999"})


def test_make_upn_rejects_out_of_range_parts() -> None:
    with pytest.raises(InvalidUpn, match="LA number"):
        make_upn(1000, 2000, 5, 1)
    with pytest.raises(InvalidUpn, match="establishment number must be 4 digits"):
        make_upn(801, "20a0", 5, 1)
    with pytest.raises(InvalidUpn, match="serial"):
        make_upn(801, 2000, 5, 1000)
    with pytest.raises(InvalidUpn, match="never used"):
        make_upn(801, 2000, 5, "07O")


def test_normalise_upn() -> None:
    assert normalise_upn(" b801 2000 05001 ") == "B801200005001"


def test_random_upns_round_trip_and_every_single_digit_error_is_caught() -> None:
    rng = random.Random(20240819)
    for _ in range(500):
        body = "".join(rng.choice("0123456789") for _ in range(12))
        if rng.random() < 0.3:
            body = body[:11] + rng.choice(CHECK_ALPHABET)
        upn = upn_check_letter(body) + body
        validate_upn(upn)
        pos = rng.randrange(1, 12)
        wrong = str((int(upn[pos]) + rng.randrange(1, 10)) % 10)
        assert not is_valid_upn(upn[:pos] + wrong + upn[pos + 1 :])
        # Adjacent transpositions of different digits are caught too.
        if upn[pos] != upn[pos + 1] and upn[pos + 1].isdigit():
            swapped = upn[:pos] + upn[pos + 1] + upn[pos] + upn[pos + 2 :]
            assert not is_valid_upn(swapped)
