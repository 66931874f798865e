"""Jinja2 message templates: loading, versioning by content hash, required context and rendering."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, UndefinedError, meta, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from services.notifications.exceptions import MissingContext, UnknownTemplate
from services.notifications.service import localised
from shared.errors import InvalidInput
from shared.languages import ENGLISH, language_name

TEMPLATES_DIR = Path(__file__).parent.parent / "templates"
LAYOUTS = "_layouts"
MESSAGE_FILES = ("subject.txt", "body.txt", "body.html", "sms.txt")
# A language variant says here who translated it and whether a translator has checked it.
TRANSLATION_FILE = "translation.json"
# Names the service fills in itself; everything else a template uses must come from the request context.
RESERVED_NAMES = frozenset({"pupil", "school", "recipient", "la", "today", "layout", "language", "english_copy",
                            "translation_note", "translation_request"})
# Said in English above the English copy of every translated message: English is the version that counts.
UNREVIEWED_NOTE = ("This translation has not yet been checked by a translator (translation reviewed: no). "
                   "The English version below is the one that counts.")
REVIEWED_NOTE = "The English version of this message follows."


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str
    sms: str | None
    version: str
    # The language the message is in (a translated one also carries the English copy) and whether a translator
    # has checked the translation (None for English).
    language: str = ENGLISH
    translation_reviewed: bool | None = None


@dataclass(frozen=True)
class Translation:
    reviewed: bool
    translated_by: str


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


def _language(context: Context) -> str:
    return str(context.get("language") or ENGLISH)


# The filters templates use: in the words of the language the template is in (English where there are none).
@pass_context
def _long_date(context: Context, value: Any) -> str:
    day = _as_date(value)
    return localised.long_date(day, _language(context)) or long_date(day)


@pass_context
def _session_name(context: Context, value: Any) -> str:
    return localised.session_name(str(value), _language(context)) or session_name(value)


@pass_context
def _days_lost(context: Context, sessions: Any) -> str:
    return localised.amount(int(sessions) / 2, "day", _language(context)) or days_lost(sessions)


@pass_context
def _weeks_lost(context: Context, sessions: Any) -> str:
    return localised.amount(int(sessions) / 10, "week", _language(context)) or weeks_lost(sessions)


@pass_context
def _percent(context: Context, value: Any) -> str:
    return f"{localised.number(float(value), _language(context))}%"


def _environment(directory: Path, *, html: bool) -> Environment:
    env = Environment(loader=FileSystemLoader(directory), undefined=StrictUndefined, autoescape=html,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters.update(long_date=_long_date, session_name=_session_name, pounds=pounds, days_lost=_days_lost,
                       weeks_lost=_weeks_lost, percent=_percent)
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
        self._translations: dict[str, Translation] = {}
        for folder in sorted(p for p in directory.iterdir() if p.is_dir() and p.name != LAYOUTS):
            self._index(folder.name, [folder], layouts)
            # A language variant is a sub-folder (e.g. cy/) holding the same files in that language. It is sent
            # with the English copy, so both shape its version and both need their context.
            for variant in sorted(p for p in folder.iterdir() if p.is_dir()):
                key = f"{folder.name}/{variant.name}"
                self._index(key, [variant, folder], layouts)
                self._translations[key] = _translation(variant)

    def _index(self, key: str, folders: list[Path], layouts: bytes) -> None:
        digest = hashlib.sha256(layouts)
        names: set[str] = set()
        for folder in folders:
            for file_name in (*MESSAGE_FILES, TRANSLATION_FILE):
                path = folder / file_name
                if path.exists():
                    source = path.read_text(encoding="utf-8")
                    digest.update(file_name.encode() + b"\0" + source.encode())
                    if file_name in MESSAGE_FILES:
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

    def translated(self, template: str, language: str | None) -> bool:
        """Whether the template has a version in this language (English never needs one)."""
        return bool(language) and language != ENGLISH and f"{template}/{language}" in self._versions

    def render(self, template: str, variables: dict[str, Any], *, layout: str = "email",
               language: str | None = None, preferred_language: str | None = None,
               large_print: bool = False) -> RenderedMessage:
        """Render every version of a template; missing or malformed context is the caller's 422.

        `language` asks for a variant that must exist; `preferred_language` is the recipient's wish: its variant
        where there is one, otherwise English with a line saying a translation can be asked for. A translated
        message carries the English copy after it. `large_print` sets the layout's large print sizes."""
        chosen = language or (preferred_language if self.translated(template, preferred_language) else None)
        key = self._key(template, chosen)
        missing = [name for name in self._required[key] if name not in variables]
        if missing:
            raise MissingContext(template, missing)
        values = {**variables, "layout": f"{LAYOUTS}/{layout}.html", "large_print": large_print,
                  "language": ENGLISH, "english_copy": None, "translation_note": None, "translation_request": None}
        try:
            if chosen is None or chosen == ENGLISH:
                return self._english(template, values, preferred_language)
            return self._bilingual(template, key, chosen, values)
        except UndefinedError as exc:
            raise InvalidInput(f"Template {template} could not be filled in: {exc.message}",
                               field="context") from exc
        except (ValueError, TypeError, TemplateError) as exc:
            raise InvalidInput(f"Template {template} could not be filled in: {exc}", field="context") from exc

    def _parts(self, key: str, values: dict[str, Any]) -> tuple[str, str, str, str | None]:
        subject = " ".join(self._text.get_template(f"{key}/subject.txt").render(values).split())
        text = self._text.get_template(f"{key}/body.txt").render(values).strip() + "\n"
        html = self._html.get_template(f"{key}/body.html").render(values)
        sms = (self._text.get_template(f"{key}/sms.txt").render(values).strip()
               if (self.directory / key / "sms.txt").exists() else None)
        return subject, text, html, sms

    def _english(self, template: str, values: dict[str, Any], preferred: str | None) -> RenderedMessage:
        school = (values.get("school") or {}).get("name") or "the school"
        if preferred and preferred != ENGLISH:
            name = language_name(preferred)
            values["translation_request"] = (
                f"We have recorded that you prefer letters in {name}. This letter is not yet available in {name}: "
                f"please ask {school} if you would like it translated.")
        subject, text, html, sms = self._parts(template, values)
        if values["translation_request"]:
            text = f"{values['translation_request']}\n\n{text}"
        return RenderedMessage(subject=subject, text=text, html=html, sms=sms, version=self._versions[template])

    def _bilingual(self, template: str, key: str, language: str, values: dict[str, Any]) -> RenderedMessage:
        """The translation first, then the English copy (the version that counts while it is unreviewed)."""
        translation = self._translations[key]
        english_subject, english_text, _, english_sms = self._parts(template, values)
        body = self._html.get_template(f"{template}/body.html")
        english_html = Markup("".join(body.blocks["content"](body.new_context(values))))
        note = REVIEWED_NOTE if translation.reviewed else UNREVIEWED_NOTE
        translated = {**values, "language": language, "english_copy": english_html, "translation_note": note}
        subject, text, html, sms = self._parts(key, translated)
        text = f"{text}\n{note}\n\n{english_text}"
        sms = f"{sms}\n\n{english_sms}" if sms and english_sms else sms
        return RenderedMessage(subject=f"{subject} / {english_subject}", text=text, html=html, sms=sms,
                               version=self._versions[key], language=language,
                               translation_reviewed=translation.reviewed)


def _translation(folder: Path) -> Translation:
    """What a variant's translation.json says; a variant without one counts as unreviewed."""
    path = folder / TRANSLATION_FILE
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return Translation(reviewed=data.get("reviewed") is True, translated_by=str(data.get("translated_by") or ""))
