"""What a record that may go to court must say. The journey's contract keeps these fields optional so that
journeys recorded before stay replayable; casework refuses a new record without them, through the API and the
officer UI alike."""

from __future__ import annotations

from typing import Any

from shared.contracts.cme import CME_ENQUIRY_REQUIRED, CME_OUTCOME_REQUIRED
from shared.errors import InvalidInput

# Step -> the details a court needs besides the date (the step's effective date): who attended, what was agreed.
REQUIRED_EVIDENCE: dict[str, dict[str, str]] = {
    "record_meeting": {"attendees": "who attended", "summary": "what was discussed and agreed"},
    "review_attendance_contract": {"attendees": "who attended", "agreed": "what was agreed"},
    "record_home_visit": {"attendees": "who made the visit", "seen": "who was seen",
                          "observations": "what was observed", "agreed": "what was agreed",
                          "next_steps": "the next steps"},
    "agree_whole_family_plan": {"agencies": "which agencies are involved and what each will do",
                                "lead_professional": "who the lead professional is", "actions": "the actions agreed"},
    # A reasonable enquiry (children missing education): who, what was done and what it found; the step's date is
    # when. 9(1)(h) and (i) deletions rest on these records.
    "record_cme_enquiry": dict(CME_ENQUIRY_REQUIRED),
    "record_cme_outcome": dict(CME_OUTCOME_REQUIRED),
}


def _blank(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_blank(v) for v in value.values()) or not value
    if isinstance(value, list):
        return not value or all(_blank(v) for v in value) or any(isinstance(v, dict) and _blank(v) for v in value)
    return not str(value or "").strip()


def missing_evidence(action: str, details: dict[str, Any]) -> dict[str, str]:
    """Field -> what it must say, for each required field left empty or blank."""
    missing = {}
    for name, what in REQUIRED_EVIDENCE.get(action, {}).items():
        if _blank(details.get(name)):
            missing[name] = what
    return missing


# Free-text reasons a step gives: when a step carries one, it says something (spaces alone are no reason).
REASON_FIELDS = ("reason", "reasons")


def require_evidence(action: str, details: dict[str, Any]) -> None:
    if missing := missing_evidence(action, details):
        name, what = next(iter(missing.items()))
        raise InvalidInput(f"A record of this step must say {what}.", field=f"details.{name}")
    for name in REASON_FIELDS:
        if name in details and _blank(details[name]):
            raise InvalidInput("Give the reason in words: it cannot be blank.", field=f"details.{name}")
