"""The Jinja environment: our templates first, then govuk-frontend-jinja's macros under a prefix."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, PrefixLoader, select_autoescape

from services.casework.service.england_time import day as _day
from services.casework.service.england_time import england_time
from services.casework.web.codes import code_meaning
from shared.contracts.cme import CME_OUTCOME_LABELS, CmeOutcome
from shared.contracts.journey import STAGE_LABELS, Stage
from shared.contracts.register import flag_label
from shared.languages import language_name

TEMPLATES_DIR = Path(__file__).parent / "templates"

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


def _cme_outcome(outcome: str) -> str:
    try:
        return CME_OUTCOME_LABELS[CmeOutcome(outcome)]
    except ValueError:
        return outcome.replace("_", " ").capitalize()


def _stage_tag(stage: str) -> dict[str, str]:
    try:
        colour = STAGE_TAG_COLOURS[Stage(stage)]
    except ValueError:
        colour = "grey"
    return {"text": _stage_label(stage), "classes": f"govuk-tag--{colour}"}


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


def make_templates(*, auto_reload: bool = True) -> Jinja2Templates:
    """`auto_reload` re-reads a template whose file changed: for development only, since it costs two file
    system calls per template (and per imported macro file) on every page."""
    env = Environment(
        auto_reload=auto_reload,
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
                       percent=_percent, code_meaning=code_meaning, bar_width=_bar_width, flag_label=flag_label,
                       cme_outcome=_cme_outcome, language_name=language_name)
    env.globals.update(STAGE_LABELS={s.value: label for s, label in STAGE_LABELS.items()})
    return Jinja2Templates(env=env)
