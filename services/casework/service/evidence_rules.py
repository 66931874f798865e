"""What a record that may go to court must say. The journey's contract keeps these fields optional so that
journeys recorded before stay replayable; casework refuses a new record without them, through the API and the
officer UI alike."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from shared.contracts.cme import CME_ENQUIRY_REQUIRED, CME_OUTCOME_REQUIRED
from shared.errors import InvalidInput

# Step -> the details a court needs besides the date (the step's effective date): who attended, what was agreed.
REQUIRED_EVIDENCE: dict[str, dict[str, str]] = {
    "record_meeting": {"attendees": "who attended", "summary": "what was discussed and agreed",
                       "next_review_date": "when what was agreed is next reviewed"},
    "review_attendance_contract": {"attendees": "who attended", "agreed": "what was agreed"},
    "record_home_visit": {"attendees": "who made the visit", "seen": "who was seen",
                          "observations": "what was observed", "agreed": "what was agreed",
                          "next_steps": "the next steps",
                          "next_review_date": "when what was agreed is next reviewed"},
    "agree_whole_family_plan": {"agencies": "which agencies are involved and what each will do",
                                "lead_professional": "who the lead professional is", "actions": "the actions agreed"},
    # A reasonable enquiry (children missing education): who, what was done and what it found; the step's date is
    # when. 9(1)(h) and (i) deletions rest on these records.
    "record_cme_enquiry": dict(CME_ENQUIRY_REQUIRED),
    "record_cme_outcome": dict(CME_OUTCOME_REQUIRED),
}


# A meeting's or home visit's next review: on or after the day it happened, and no further than this, which is
# generous beside the 6 school weeks of a plan's review yet catches a mistyped year.
NEXT_REVIEW = "next_review_date"
NEXT_REVIEW_WITHIN = timedelta(weeks=26)


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


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def next_review_problem(action: str, details: dict[str, Any], step_day: date) -> str | None:
    """What is wrong with a meeting's next review date, given the day of the step (its held_on when it names one):
    None when the step has no such date or it is fine."""
    if NEXT_REVIEW not in REQUIRED_EVIDENCE.get(action, {}) or _blank(details.get(NEXT_REVIEW)):
        return None
    review = _day(details[NEXT_REVIEW])
    if review is None:
        return "The next review date must be a real date (YYYY-MM-DD)"
    held = _day(details.get("held_on")) or step_day
    if review < held:
        return f"The next review date must be on or after the day it happened ({held.isoformat()})"
    latest = held + NEXT_REVIEW_WITHIN
    if review > latest:
        return f"The next review date must be no more than 26 weeks after the day it happened " \
               f"(by {latest.isoformat()})"
    return None


def require_evidence(action: str, details: dict[str, Any], step_day: date) -> None:
    if missing := missing_evidence(action, details):
        name, what = next(iter(missing.items()))
        raise InvalidInput(f"A record of this step must say {what}.", field=f"details.{name}")
    if problem := next_review_problem(action, details, step_day):
        raise InvalidInput(f"{problem}.", field=f"details.{NEXT_REVIEW}")
    for name in REASON_FIELDS:
        if name in details and _blank(details[name]):
            raise InvalidInput("Give the reason in words: it cannot be blank.", field=f"details.{name}")
