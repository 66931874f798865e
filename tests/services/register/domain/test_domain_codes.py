"""The 2024 national code set, its statistical categories and code rules."""

from __future__ import annotations

from datetime import time

import pytest

from services.register.domain.codes import (
    CODES,
    CONTINUOUS_ABSENCE_DELETION_CODES,
    ILLNESS_CODE,
    UNAUTHORISED_CODES,
    CodeCategory,
    CodeNotApplicable,
    UnknownCode,
    best_mark,
    category_of,
    check_applicable,
    code_for_arrival,
    code_table,
    get_code,
    is_known_code,
    mark_precedence,
    minutes_late,
    present_code,
    validate_register_window,
)
from services.register.domain.figures import figures_from_codes
from services.register.domain.sessions import Session

pytestmark = pytest.mark.unit

# rules.md section 4, written out independently of the implementation's table.
EXPECTED = {
    CodeCategory.PRESENT: {"/", "\\", "L"},
    CodeCategory.APPROVED_ACTIVITY: {"K", "V", "P", "W", "B"},
    CodeCategory.AUTHORISED_ABSENCE: {"C1", "M", "J1", "S", "C2", "C", "T", "R", "I", "E"},
    CodeCategory.UNAUTHORISED_ABSENCE: {"G", "N", "O", "U"},
    CodeCategory.NOT_POSSIBLE: {"D", "X", "Q", "Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7"},
    CodeCategory.ADMINISTRATIVE: {"Z", "#"},
}
CASES = [(code, category) for category, codes in EXPECTED.items() for code in sorted(codes)]


def test_the_table_holds_exactly_the_2024_national_set() -> None:
    assert set(CODES) == set().union(*EXPECTED.values())
    assert len(CODES) == 34


@pytest.mark.parametrize(("code", "category"), CASES)
def test_every_code_has_its_statistical_category_and_counting_flags(
    code: str, category: CodeCategory
) -> None:
    entry = get_code(code)
    assert entry.code == code
    assert entry.category is category
    assert entry.meaning
    possible = category in {
        CodeCategory.PRESENT,
        CodeCategory.APPROVED_ACTIVITY,
        CodeCategory.AUTHORISED_ABSENCE,
        CodeCategory.UNAUTHORISED_ABSENCE,
    }
    assert entry.counts_as_possible is possible
    assert entry.counts_as_attended is (category in {CodeCategory.PRESENT, CodeCategory.APPROVED_ACTIVITY})
    assert entry.is_absence is (
        category in {CodeCategory.AUTHORISED_ABSENCE, CodeCategory.UNAUTHORISED_ABSENCE}
    )
    if possible:
        assert "not counted" not in entry.statistical_meaning.lower()
    else:
        assert entry.statistical_meaning.startswith("Not counted in possible sessions")


@pytest.mark.parametrize(("code", "category"), CASES)
def test_one_mark_of_each_code_lands_in_the_right_count(code: str, category: CodeCategory) -> None:
    f = figures_from_codes([code])
    assert (f.possible, f.attended, f.authorised, f.unauthorised, f.not_counted) == (
        int(category not in {CodeCategory.NOT_POSSIBLE, CodeCategory.ADMINISTRATIVE}),
        int(category in {CodeCategory.PRESENT, CodeCategory.APPROVED_ACTIVITY}),
        int(category is CodeCategory.AUTHORISED_ABSENCE),
        int(category is CodeCategory.UNAUTHORISED_ABSENCE),
        int(category in {CodeCategory.NOT_POSSIBLE, CodeCategory.ADMINISTRATIVE}),
    )


def test_sets_used_by_thresholds() -> None:
    assert {"G", "N", "O", "U"} == UNAUTHORISED_CODES
    assert {c for c, e in CODES.items() if e.is_unauthorised_absence} == UNAUTHORISED_CODES
    assert {"G", "N", "O"} == CONTINUOUS_ABSENCE_DELETION_CODES
    assert ILLNESS_CODE == "I"
    assert get_code(ILLNESS_CODE).is_authorised_absence


@pytest.mark.parametrize(("code", "hint"), [("H", "C"), ("J", "J1"), ("Y", "Y1"), ("F", "2013"), ("h", "C")])
def test_withdrawn_codes_are_rejected_saying_so(code: str, hint: str) -> None:
    with pytest.raises(UnknownCode, match="withdrawn") as info:
        get_code(code)
    assert hint in str(info.value)
    assert not is_known_code(code)


@pytest.mark.parametrize("code", ["A", "Y8", "C3", "//", "-", "PRESENT"])
def test_invented_codes_are_rejected(code: str) -> None:
    with pytest.raises(UnknownCode, match="not a national attendance code"):
        get_code(code)


def test_empty_and_non_text_codes_are_rejected() -> None:
    with pytest.raises(UnknownCode, match="empty"):
        get_code("  ")
    with pytest.raises(UnknownCode, match="text"):
        get_code(5)  # type: ignore[arg-type]


def test_codes_are_normalised_from_exports() -> None:
    assert get_code(" y1 ").code == "Y1"
    assert get_code("c2").code == "C2"
    assert category_of("n") is CodeCategory.UNAUTHORISED_ABSENCE


def test_q_defaults_to_not_counted_and_can_be_overridden_by_setting() -> None:
    assert get_code("Q").category is CodeCategory.NOT_POSSIBLE
    assert not get_code("Q").counts_as_possible
    q = get_code("Q", CodeCategory.AUTHORISED_ABSENCE)
    assert q.category is CodeCategory.AUTHORISED_ABSENCE
    assert q.counts_as_possible
    assert not q.counts_as_attended
    assert q.statistical_meaning == "Authorised absence"
    assert code_table(CodeCategory.AUTHORISED_ABSENCE)["Q"].counts_as_possible
    # The override never leaks into the national table.
    assert CODES["Q"].category is CodeCategory.NOT_POSSIBLE
    assert figures_from_codes(["Q", "/"], CodeCategory.AUTHORISED_ABSENCE).possible == 2
    assert figures_from_codes(["Q", "/"]).possible == 1


def test_x_only_for_pupils_not_of_compulsory_school_age() -> None:
    assert check_applicable("X", compulsory_school_age=False).code == "X"
    with pytest.raises(CodeNotApplicable, match="not of compulsory school age"):
        check_applicable("X", compulsory_school_age=True)


def test_c2_only_for_pupils_of_compulsory_school_age() -> None:
    assert check_applicable("C2", compulsory_school_age=True).code == "C2"
    with pytest.raises(CodeNotApplicable, match="of compulsory school age"):
        check_applicable("C2", compulsory_school_age=False)


@pytest.mark.parametrize("code", ["/", "N", "I", "D", "#"])
def test_other_codes_apply_to_everyone(code: str) -> None:
    assert check_applicable(code, True) == check_applicable(code, False)


def test_best_mark_precedence() -> None:
    assert best_mark(["N", "I", "/"]).code == "/"
    assert best_mark(["N", "B"]).code == "B"
    assert best_mark(["O", "M"]).code == "M"
    assert best_mark(["D", "U"]).code == "U"
    assert best_mark(["#", "Y4"]).code == "Y4"
    assert best_mark(["L", "/"]).code == "L"  # same category: the first wins
    assert mark_precedence("/") < mark_precedence("K") < mark_precedence("I") < mark_precedence("G")
    assert mark_precedence("G") < mark_precedence("X") < mark_precedence("Z")
    with pytest.raises(ValueError, match="at least one"):
        best_mark([])


def test_present_code_by_session() -> None:
    assert present_code(Session.AM) == "/"
    assert present_code("PM") == "\\"


OPENS, CLOSES = time(8, 40), time(9, 10)


@pytest.mark.parametrize(
    ("arrival", "expected"),
    [
        (time(8, 30), "/"),
        (time(8, 40), "/"),
        (time(8, 41), "L"),
        (time(9, 10), "L"),
        (time(9, 11), "U"),
        (time(11, 0), "U"),
    ],
)
def test_arrival_time_decides_present_late_or_unauthorised(arrival: time, expected: str) -> None:
    assert code_for_arrival(arrival, OPENS, CLOSES, Session.AM) == expected


def test_minutes_late() -> None:
    assert minutes_late(time(8, 52), OPENS) == 12
    assert minutes_late(time(8, 30), OPENS) == 0


def test_register_may_be_open_thirty_minutes_but_not_thirty_one() -> None:
    validate_register_window(time(8, 40), time(9, 10))
    with pytest.raises(ValueError, match="30 minutes"):
        validate_register_window(time(8, 40), time(9, 11))
    with pytest.raises(ValueError, match="close after it opens"):
        validate_register_window(time(9, 0), time(9, 0))
