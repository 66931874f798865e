"""Dates, sessions, amounts and percentages in the words of each language a template is translated into.

Only the languages with translated templates are here; any other language renders in English. Kept by hand (no
locale data on the image) and as unreviewed as the translations themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Words:
    weekdays: tuple[str, ...]
    months: tuple[str, ...]
    morning: str
    afternoon: str
    decimal: str = "."
    # No weekday: inside a sentence ("tan", "od ... do") it would need a mutation or a case ending.
    date_pattern: str = "{day} {month} {year}"


WELSH = Words(
    weekdays=("Dydd Llun", "Dydd Mawrth", "Dydd Mercher", "Dydd Iau", "Dydd Gwener", "Dydd Sadwrn", "Dydd Sul"),
    months=("Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref",
            "Tachwedd", "Rhagfyr"),
    morning="bore", afternoon="prynhawn")

# Polish dates name the month in the genitive ("25 listopada 2026").
POLISH = Words(
    weekdays=("poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"),
    months=("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września",
            "października", "listopada", "grudnia"),
    morning="rano", afternoon="po południu", decimal=",")

WORDS: dict[str, Words] = {"cy": WELSH, "pl": POLISH}


def long_date(day: date, language: str) -> str | None:
    words = WORDS.get(language)
    if words is None:
        return None
    return words.date_pattern.format(weekday=words.weekdays[day.weekday()], day=day.day,
                                     month=words.months[day.month - 1], year=day.year)


def session_name(am_pm: str, language: str) -> str | None:
    words = WORDS.get(language)
    if words is None:
        return None
    return {"AM": words.morning, "PM": words.afternoon}.get(am_pm.upper(), am_pm)


def number(value: float, language: str, places: int = 1) -> str:
    text = f"{value:.{places}f}"
    words = WORDS.get(language)
    return text.replace(".", words.decimal) if words else text


def _polish_unit(value: float, one: str, few: str, many: str, fraction: str) -> str:
    """Polish nouns after a number: 1 dzień, 2-4 dni/tygodnie, 5+ dni/tygodni, and the genitive after a fraction."""
    if value != int(value):
        return fraction
    whole = int(value)
    if whole == 1:
        return one
    if whole % 10 in (2, 3, 4) and whole % 100 not in (12, 13, 14):
        return few
    return many


def amount(value: float, unit: str, language: str) -> str | None:
    """'4.5 days' in the language's words (unit is 'day' or 'week'); None where there are none."""
    text = f"{value:.1f}".removesuffix(".0")
    if language == "cy":
        # Welsh keeps the singular noun after a numeral.
        return f"{text} {'diwrnod' if unit == 'day' else 'wythnos'}"
    if language == "pl":
        forms = ("dzień", "dni", "dni", "dnia") if unit == "day" else ("tydzień", "tygodnie", "tygodni", "tygodnia")
        return f"{text.replace('.', ',')} {_polish_unit(value, *forms)}"
    return None
