"""The officer UI's forms: posted fields parsed into the same models the JSON API takes, with the messages
the GOV.UK error summary shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pydantic import ValidationError

from services.casework.schemas import DecisionRecordIn, OfficerActionIn
from services.casework.service.evidence_rules import NEXT_REVIEW, next_review_problem
from services.casework.web.action_forms import date_from_parts, parse_details

LEGAL_STEP_LABELS = {
    "start_fast_track": "Start fast track",
    "issue_notice_to_improve": "Issue a notice to improve",
    "issue_penalty_notice": "Issue a penalty notice",
    "apply_for_eso": "Apply for an education supervision order",
    "decide_prosecution": "Decide on prosecution",
}


@dataclass
class FormErrors:
    """Field name → message, in the order the fields appear on the page."""

    fields: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.fields)


EFFECTIVE_DATE = "effective_date"


def date_fields(name: str, value: date) -> dict[str, str]:
    """A GOV.UK date input's three fields filled in with `value`."""
    return {f"{name}-day": str(value.day), f"{name}-month": str(value.month), f"{name}-year": str(value.year)}


def parse_date_fields(form: dict[str, str], name: str, label: str, today: date, *,
                      required: bool = False) -> tuple[date | None, str | None]:
    """The date from a GOV.UK date input (fields name-day, name-month, name-year) and its error message, in the
    words of the GOV.UK date input pattern; never after today."""
    raw, problem = date_from_parts(form, name, label)
    if problem:
        return None, problem
    if not raw:
        return None, f"Enter the {label.lower()}" if required else None
    value = date.fromisoformat(raw)
    if value > today:
        return None, f"{label} must be today or in the past"
    return value, None


def parse_action(form: dict[str, str], today: date) -> tuple[OfficerActionIn | None, FormErrors]:
    """The step as the API takes it; whether the journey offers it now, and to this role, is decided after."""
    errors = FormErrors()
    action = form.get("action", "").strip()
    note = form.get("note", "").strip() or None
    if not action or len(action) > 60:
        errors.fields["action"] = "Select the step you are recording"
    if note and len(note) > 4000:
        errors.fields["note"] = "The note must be 4,000 characters or fewer"
    effective_date, date_error = parse_date_fields(form, EFFECTIVE_DATE, "Date this happened", today)
    if date_error:
        errors.fields[EFFECTIVE_DATE] = date_error
    if errors:
        return None, errors
    details, detail_errors = parse_details(action, form)
    if detail_errors:
        return None, FormErrors(detail_errors)
    if problem := next_review_problem(action, details, effective_date or today):
        return None, FormErrors({NEXT_REVIEW: problem})
    return OfficerActionIn(action=action, note=note, details=details, effective_date=effective_date), errors


def error_summary(errors: dict[str, str], date_inputs: tuple[str, ...] = (EFFECTIVE_DATE,)) -> list[dict[str, str]]:
    """The GOV.UK error summary's links: a date input's goes to its first field."""
    return [{"text": message, "href": f"#{name}-day" if name in date_inputs else f"#{name}"}
            for name, message in errors.items()]


def parse_decision(form: dict[str, str], legal_steps: list[str]) -> tuple[DecisionRecordIn | None, FormErrors]:
    errors = FormErrors()
    legal_step = form.get("legal_step", "")
    if legal_step not in legal_steps:
        errors.fields["legal_step"] = "Select the legal step this decision is for"
    details, detail_errors = parse_details("record_decision", form)
    errors.fields.update(detail_errors)
    if errors:
        return None, errors
    try:
        return DecisionRecordIn.model_validate({"legal_step": legal_step, **details}), errors
    except ValidationError as exc:
        for error in exc.errors():
            errors.fields.setdefault(str(error["loc"][0]), f"Check this answer: {error['msg']}")
        return None, errors
