"""What a record that may go to court must say. The journey's contract keeps these fields optional so that
journeys recorded before stay replayable; casework refuses a new record without them, through the API and the
officer UI alike."""

from __future__ import annotations

from typing import Any

from shared.errors import InvalidInput

# Step -> the details a court needs besides the date (the step's effective date): who attended, what was agreed.
REQUIRED_EVIDENCE: dict[str, dict[str, str]] = {
    "record_meeting": {"attendees": "who attended", "summary": "what was discussed and agreed"},
}


def missing_evidence(action: str, details: dict[str, Any]) -> dict[str, str]:
    """Field -> what it must say, for each required field left empty or blank."""
    missing = {}
    for name, what in REQUIRED_EVIDENCE.get(action, {}).items():
        value = details.get(name)
        blank = not [v for v in value if str(v).strip()] if isinstance(value, list) else not str(value or "").strip()
        if blank:
            missing[name] = what
    return missing


def require_evidence(action: str, details: dict[str, Any]) -> None:
    if missing := missing_evidence(action, details):
        name, what = next(iter(missing.items()))
        raise InvalidInput(f"A record of this step must say {what}.", field=f"details.{name}")
