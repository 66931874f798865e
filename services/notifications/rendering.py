"""Jinja2 message templates: loading, versioning by content hash, required context and rendering."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, UndefinedError, meta

from services.notifications.exceptions import MissingContext, UnknownTemplate
from shared.errors import InvalidInput

TEMPLATES_DIR = Path(__file__).parent / "templates"
LAYOUTS = "_layouts"
MESSAGE_FILES = ("subject.txt", "body.txt", "body.html", "sms.txt")
# Names the service fills in itself; everything else a template uses must come from the request context.
RESERVED_NAMES = frozenset({"pupil", "school", "recipient", "la", "today", "layout"})


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str
    sms: str | None
    version: str


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a date (use YYYY-MM-DD)") from exc


def long_date(value: Any) -> str:
    """25 November 2026 as 'Wednesday 25 November 2026' (GOV.UK style)."""
    day = _as_date(value)
    return f"{day:%A} {day.day} {day:%B %Y}"


def session_name(value: Any) -> str:
    return {"AM": "morning", "PM": "afternoon"}.get(str(value).upper(), str(value))


def pounds(pence: Any) -> str:
    return f"£{int(pence) / 100:,.2f}"


def _amount(value: float, unit: str) -> str:
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} {unit}" if text == "1" else f"{text} {unit}s"


def days_lost(sessions: Any) -> str:
    """Two sessions make a school day."""
    return _amount(int(sessions) / 2, "day")


def weeks_lost(sessions: Any) -> str:
    """Ten sessions make a school week."""
    return _amount(int(sessions) / 10, "week")


def percent(value: Any) -> str:
    return f"{float(value):.1f}%"


def _environment(directory: Path, *, html: bool) -> Environment:
    env = Environment(loader=FileSystemLoader(directory), undefined=StrictUndefined, autoescape=html,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters.update(long_date=long_date, session_name=session_name, pounds=pounds, days_lost=days_lost,
                       weeks_lost=weeks_lost, percent=percent)
    return env


class TemplateRenderer:
    """Renders a template folder's subject, text, HTML and SMS versions with one set of variables."""

    def __init__(self, directory: Path = TEMPLATES_DIR) -> None:
        self.directory = directory
        self._text = _environment(directory, html=False)
        self._html = _environment(directory, html=True)
        layouts = b"".join(p.read_bytes() for p in sorted((directory / LAYOUTS).glob("*")))
        self._versions: dict[str, str] = {}
        self._required: dict[str, list[str]] = {}
        for folder in sorted(p for p in directory.iterdir() if p.is_dir() and p.name != LAYOUTS):
            self._index(folder.name, folder, layouts)
            # A language variant is a sub-folder (e.g. cy/) holding the same files in that language.
            for variant in sorted(p for p in folder.iterdir() if p.is_dir()):
                self._index(f"{folder.name}/{variant.name}", variant, layouts)

    def _index(self, key: str, folder: Path, layouts: bytes) -> None:
        digest = hashlib.sha256(layouts)
        names: set[str] = set()
        for file_name in MESSAGE_FILES:
            path = folder / file_name
            if path.exists():
                source = path.read_text(encoding="utf-8")
                digest.update(file_name.encode() + b"\0" + source.encode())
                env = self._html if file_name.endswith(".html") else self._text
                names |= meta.find_undeclared_variables(env.parse(source))
        # The version is the content hash of every file that shapes the message, so an edit to a
        # template or a layout is a new version and each record shows exactly what was sent.
        self._versions[key] = f"sha256:{digest.hexdigest()[:16]}"
        self._required[key] = sorted(names - RESERVED_NAMES - set(self._text.globals))

    def _key(self, template: str, language: str | None) -> str:
        if "/" in template or template not in self._versions:
            raise UnknownTemplate(template)
        if language is None:
            return template
        key = f"{template}/{language}"
        if key not in self._versions:
            raise InvalidInput(f"Template {template} has no {language!r} version.", field="language")
        return key

    def known(self, template: str) -> bool:
        return "/" not in template and template in self._versions

    def version(self, template: str, language: str | None = None) -> str:
        return self._versions[self._key(template, language)]

    def required_context(self, template: str, language: str | None = None) -> list[str]:
        return list(self._required[self._key(template, language)])

    def has_sms(self, template: str, language: str | None = None) -> bool:
        return (self.directory / self._key(template, language) / "sms.txt").exists()

    def render(self, template: str, variables: dict[str, Any], *, layout: str = "email",
               language: str | None = None) -> RenderedMessage:
        """Render every version of a template; missing or malformed context is the caller's 422."""
        key = self._key(template, language)
        version = self._versions[key]
        missing = [name for name in self._required[key] if name not in variables]
        if missing:
            raise MissingContext(template, missing)
        values = {**variables, "layout": f"{LAYOUTS}/{layout}.html"}
        try:
            subject = " ".join(self._text.get_template(f"{key}/subject.txt").render(values).split())
            text = self._text.get_template(f"{key}/body.txt").render(values).strip() + "\n"
            html = self._html.get_template(f"{key}/body.html").render(values)
            sms = (self._text.get_template(f"{key}/sms.txt").render(values).strip()
                   if self.has_sms(template, language) else None)
        except UndefinedError as exc:
            raise InvalidInput(f"Template {template} could not be filled in: {exc.message}",
                               field="context") from exc
        except (ValueError, TypeError, TemplateError) as exc:
            raise InvalidInput(f"Template {template} could not be filled in: {exc}", field="context") from exc
        return RenderedMessage(subject=subject, text=text, html=html, sms=sms, version=version)
