"""The Jinja environment: our templates first, then govuk-frontend-jinja's macros under a prefix."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader, select_autoescape

from services.casework.web.codes import code_meaning
from shared.contracts.journey import STAGE_LABELS, Stage

TEMPLATES_DIR = Path(__file__).parent / "templates"
ENGLAND = ZoneInfo("Europe/London")

STAGE_TAG_COLOURS = {
    Stage.MONITORING: "grey",
    Stage.AT_RISK: "yellow",
    Stage.PERSISTENT_ABSENCE: "orange",
    Stage.SEVERE_ABSENCE: "red",
    Stage.FORMAL_SUPPORT: "blue",
    Stage.LEGAL_INTERVENTION: "purple",
    Stage.CLOSED: "green",
}


def _stage_label(stage: str) -> str:
    try:
        return STAGE_LABELS[Stage(stage)]
    except ValueError:
        return stage.replace("_", " ").capitalize()


def _stage_tag(stage: str) -> dict[str, str]:
    try:
        colour = STAGE_TAG_COLOURS[Stage(stage)]
    except ValueError:
        colour = "grey"
    return {"text": _stage_label(stage), "classes": f"govuk-tag--{colour}"}


def in_england(value: datetime) -> datetime:
    """The moment on England's clocks (GMT or BST). Every time is stored in UTC; SQLite hands it back naive."""
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(ENGLAND)


def _day(value: date | datetime | None) -> str:
    """A date, or the day a moment fell on in England: 30 March 2026."""
    if value is None:
        return ""
    return f"{in_england(value) if isinstance(value, datetime) else value:%-d %B %Y}"


def _clock(moment: datetime) -> str:
    """GOV.UK style: 9am, 9:05am, 5:30pm, midday, midnight."""
    if (moment.hour, moment.minute) == (0, 0):
        return "midnight"
    if (moment.hour, moment.minute) == (12, 0):
        return "midday"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def england_time(value: datetime | None) -> str:
    """A moment as officers read it, in England's time: 25 November 2026 at 9:05am."""
    if value is None:
        return ""
    local = in_england(value)
    return f"{local:%-d %B %Y} at {_clock(local)}"


def _percent(rate: str | float | None) -> str:
    """An exact decimal rate from register, rounded for display only."""
    if rate is None or rate == "":
        return "No sessions yet"
    try:
        return f"{float(rate):.1f}%"
    except ValueError:
        return str(rate)


def _bar_width(rate: str | float | None, scale: float = 100.0) -> float:
    try:
        return max(0.0, min(100.0, float(rate or 0) * 100.0 / scale))
    except ValueError:
        return 0.0


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=ChoiceLoader([
            FileSystemLoader(TEMPLATES_DIR),
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # `day` and `moment` are the only ways templates print dates and times, so every one is in England's time.
    env.filters.update(stage_label=_stage_label, stage_tag=_stage_tag, day=_day, moment=england_time,
                       percent=_percent, code_meaning=code_meaning, bar_width=_bar_width)
    env.globals.update(STAGE_LABELS={s.value: label for s, label in STAGE_LABELS.items()})
    return Jinja2Templates(env=env)
