"""Each officer action's form, built from the journey contract's details model (ACTION_DETAILS), so every
step the journey accepts has a page without JavaScript, and the answers are checked before they are sent."""

from __future__ import annotations

import re
import types
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from services.casework.service.evidence_rules import REQUIRED_EVIDENCE, missing_evidence
from shared.contracts.journey import ACTION_DETAILS, ActionName

FIELD_LABELS = {
    "held_on": "Date of the meeting",
    "attendees": "Who attended (one per line, by role, for example parent, pupil, school nurse)",
    "pupil_voice": "What the pupil said",
    "summary": "Summary of the discussion",
    "actions": "Actions agreed (one per line)",
    "review_date": "Review date",
    "next_review_date": "Next review date (if the review continues)",
    "parent": "Which parent (parent-1, parent-2: parents with parental responsibility in the register's order)",
    "parent_commitments": "What the parent commits to (one per line)",
    "support_provided": "Support the school and LA will provide (one per line)",
    "absence_period": "Absence period (for example 2026-09-08 to 2026-11-14)",
    "issued_on": "Date issued",
    "notice_id": "Penalty notice reference",
    "paid_on": "Date paid",
    "amount_pence": "Amount paid in pence",
    "improvement_days": "Days allowed for improvement (21 to 42)",
    "eso_considered": "Why an education supervision order was or was not pursued",
    "fine_pence": "Fine in pence",
    "parenting_order": "Was a parenting order made?",
    "parenting_order_months": "Parenting order length in months (at most 12)",
    "parenting_order_requirements": "What the parenting order requires of the parent",
    "parenting_order_start": "Day the parenting order starts",
    "programme": "Counselling or guidance programme the parent is to attend (if any)",
    "programme_end": "Day the programme ends (at most 3 months from the order's start)",
    "hearing_date": "Date of the hearing",
    "next_hearing_date": "Date of the next hearing (if adjourned)",
    "discussed_on": "Date discussed",
    "decided_on": "Date decided",
    "partners_consulted": "Partners consulted (one per line, role and name: for an EHC plan the LA's SEN team, for "
                          "a looked-after child the virtual school head, for a healthcare plan health, for example "
                          "SEN team: Ann Cole)",
    "support_taken_up": "Was the support taken up?",
    "support_offered": "Support offered to the pupil and family",
    "send_or_health_needs": "Special educational needs, disabilities or health needs considered",
    "safeguarding": "Safeguarding concerns considered",
    "family_view": "Family view",
    "adjustments": "Adjustments made for special educational, medical or social care needs",
    "service_method": "How the notice was served (by hand, or posted first class)",
    "early_issue_grounds_met": "During a notice to improve: which of its early-issue grounds happened",
    "other_case_reason": "Without the national threshold met: why the framework allows this notice",
    "unauthorised_sessions": "Unauthorised sessions in the period",
    "possible_sessions": "Possible sessions in the period",
    "period_start": "First day of the period",
    "period_end": "Last day of the period",
    "support_id": "Support reference (only to update support already recorded)",
    "what": "What support",
    "provider": "Who provides it",
    "start_date": "Start date",
    "end_date": "End date",
    "response": "How the family responded",
    "agencies": "Agencies involved and what each will do (one per line, for example: Early help: weekly family "
                "support sessions)",
    "lead_professional": "Lead professional",
    "seen": "Who was seen (one per line, for example parent, pupil)",
    "observations": "What was observed",
    "agreed": "What was agreed",
    "next_steps": "Next steps",
    "by": "Whose enquiry (the school's or the LA's)",
    "made_by": "Who made the enquiry (name and role)",
    "what_was_done": "What was done (calls, home visit, other schools, agencies asked)",
    "result": "What it found",
    "details": "How the outcome was established",
    "new_school": "The school the child was found at (URN or name)",
    "referred_to": "Who the child was referred to (if still missing)",
}
# Where one step's field means something else than the same name elsewhere.
ACTION_FIELD_LABELS = {
    "record_meeting": {"next_review_date": "Next review date (when what was agreed is reviewed)"},
    "record_home_visit": {"next_review_date": "Next review date (when what was agreed is reviewed)"},
}
# A constrained string offered as a choice: its pattern lists the answers, e.g. ^(convicted|acquitted|withdrawn)$.
CHOICE_PATTERN = re.compile(r"^\^\(([a-z_|]+)\)\$$")


@dataclass
class FieldSpec:
    name: str
    label: str
    kind: str  # text, textarea, lines, pairs (one "name: what" per line), date, int, bool, choice
    required: bool
    options: list[str] = field(default_factory=list)
    # Long text: the GOV.UK character count shows what is left; the form refuses more.
    max_length: int | None = None


def _unwrap(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        rest = [a for a in get_args(annotation) if a is not type(None)]
        return rest[0] if len(rest) == 1 else str
    return annotation


def _pattern_choices(metadata: list[Any]) -> list[str]:
    for item in metadata:
        pattern = getattr(item, "pattern", None)
        if isinstance(pattern, str) and (found := CHOICE_PATTERN.match(pattern)):
            return found.group(1).split("|")
    return []


def _kind(annotation: Any, name: str, metadata: list[Any] | None = None) -> tuple[str, list[str]]:
    if choices := _pattern_choices(metadata or []):
        return "choice", choices
    annotation = _unwrap(annotation)
    if get_origin(annotation) is list:
        item = get_args(annotation)[0] if get_args(annotation) else str
        if isinstance(item, type) and issubclass(item, BaseModel):
            return "pairs", list(item.model_fields)[:2]  # the two fields each line gives
        return "lines", []
    if isinstance(annotation, type):
        if issubclass(annotation, bool):
            return "bool", []
        if issubclass(annotation, int):
            return "int", []
        if issubclass(annotation, date):
            return "date", []
        if issubclass(annotation, Enum):
            return "choice", [str(member.value) for member in annotation]
    long_text = {"summary", "pupil_voice", "reasons", "reason", "breach", "support_offered", "family_view",
                 "send_or_health_needs", "safeguarding", "adjustments", "eso_considered", "outcome",
                 "observations", "agreed", "next_steps", "what_was_done", "result", "details",
                 "parenting_order_requirements", "programme"}
    return ("textarea" if name in long_text else "text"), []


# What one answer on a form may hold where the journey's model sets no limit: a record read in court, not an essay.
LONG_TEXT_LIMIT = 4000


def _max_length(metadata: list[Any]) -> int | None:
    return next((m.max_length for m in metadata if isinstance(getattr(m, "max_length", None), int)), None)


def details_model(action: str) -> type[BaseModel] | None:
    try:
        return ACTION_DETAILS[ActionName(action)]
    except ValueError:
        return None


def field_specs(action: str) -> list[FieldSpec]:
    model = details_model(action)
    if model is None:
        return []
    specs = []
    for name, info in model.model_fields.items():
        kind, options = _kind(info.annotation, name, info.metadata)
        label = ACTION_FIELD_LABELS.get(action, {}).get(name) or FIELD_LABELS.get(name)
        specs.append(FieldSpec(name=name, label=label or name.replace("_", " ").capitalize(),
                               kind=kind, required=info.is_required() or name in REQUIRED_EVIDENCE.get(action, {}),
                               max_length=(_max_length(info.metadata) or LONG_TEXT_LIMIT) if kind == "textarea"
                               else None,
                               options=options))
    return specs


def _pair(keys: list[str], line: str) -> dict[str, str]:
    """'Early help: weekly family support sessions' as the item's two fields (agency, what it will do)."""
    first, _, rest = line.partition(":")
    return {keys[0]: first.strip(), keys[1]: rest.strip()}


DATE_PARTS = ("day", "month", "year")


def date_from_parts(form: dict[str, str], name: str, label: str) -> tuple[str, str | None]:
    """A GOV.UK date input's day, month and year (fields name-day, name-month, name-year) as an ISO date, or the
    pattern's message for what is wrong with them; ("", None) when all three are blank."""
    parts = [form.get(f"{name}-{part}", "").strip() for part in DATE_PARTS]
    if not any(parts):
        return "", None
    if missing := [part for part, value in zip(DATE_PARTS, parts, strict=True) if not value]:
        return "", f"{label} must include a {' and '.join(missing)}"
    try:
        day, month, year = (int(p) for p in parts)
        if len(parts[2]) != 4:
            raise ValueError(parts[2])
        return date(year, month, day).isoformat(), None
    except ValueError:
        return "", f"{label} must be a real date"


def date_names(specs: list[FieldSpec]) -> tuple[str, ...]:
    """The fields shown as GOV.UK date inputs (the error summary links to their day field)."""
    return tuple(spec.name for spec in specs if spec.kind == "date")


def parse_details(action: str, form: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The posted answers as the details dict the journey expects, and messages for the error summary."""
    model = details_model(action)
    if model is None:
        return {}, {}
    data: dict[str, Any] = {}
    part_errors: dict[str, str] = {}
    for spec in field_specs(action):
        raw = form.get(spec.name, "").strip()
        if spec.max_length is not None and len(raw) > spec.max_length:
            part_errors[spec.name] = f"{spec.label.split(' (')[0]} must be {spec.max_length:,} characters or fewer"
            continue
        if spec.kind == "date" and not raw:
            raw, problem = date_from_parts(form, spec.name, spec.label.split(" (")[0])
            if problem:
                part_errors[spec.name] = problem
        if not raw:
            continue
        if spec.kind == "lines":
            data[spec.name] = [line.strip() for line in raw.splitlines() if line.strip()]
        elif spec.kind == "pairs":
            data[spec.name] = [_pair(spec.options, line) for line in raw.splitlines() if line.strip()]
        elif spec.kind == "bool":
            data[spec.name] = raw == "yes"
        else:
            data[spec.name] = raw
    specs = {spec.name: spec for spec in field_specs(action)}
    labels = {name: spec.label for name, spec in specs.items()}
    if part_errors:
        return {}, part_errors
    if missing := missing_evidence(action, data):
        return {}, {name: f"Enter the {labels[name].split(' (')[0].lower()}" if specs[name].kind == "date"
                    else f"{labels[name].split(' (')[0]}: say {what}" for name, what in missing.items()}
    try:
        return model.model_validate(data).model_dump(mode="json", exclude_defaults=False), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else "action"
            label = labels.get(name, name)
            message = "is required" if error["type"] == "missing" else str(error["msg"]).lower()
            errors.setdefault(name, f"{label.split(' (')[0]}: {message}")
        return {}, errors
