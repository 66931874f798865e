"""The officer UI's forms: posted fields parsed into the same models the JSON API takes, with the messages
the GOV.UK error summary shows."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import ValidationError

from services.casework.schemas import DecisionRecordIn, OfficerActionIn
from services.casework.web.action_forms import parse_details

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


def parse_action(form: dict[str, str], allowed: set[str]) -> tuple[OfficerActionIn | None, FormErrors]:
    errors = FormErrors()
    action = form.get("action", "").strip()
    note = form.get("note", "").strip() or None
    if not action:
        errors.fields["action"] = "Select the step you are recording"
    elif action not in allowed:
        errors.fields["action"] = "Select one of the steps available at this stage"
    if note and len(note) > 4000:
        errors.fields["note"] = "The note must be 4,000 characters or fewer"
    if errors:
        return None, errors
    details, detail_errors = parse_details(action, form)
    if detail_errors:
        return None, FormErrors(detail_errors)
    return OfficerActionIn(action=action, note=note, details=details), errors


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
