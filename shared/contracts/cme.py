"""Children missing education (CME): the details of the journey's CME steps and the words for their choices.
A new pupil who does not arrive on the agreed start day, a deletion with no known destination and 10 school days
of continuous unauthorised absence open a CME concern (rules.md s7, s8, s12); the school and the LA make reasonable
enquiries, the LA's CME officer is told, and the outcome is recorded."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class EnquiryBy(StrEnum):
    """Whose reasonable enquiry it was: 9(1)(h) and (i) need both the school's and the LA's."""

    SCHOOL = "school"
    LA = "la"


class CmeOutcome(StrEnum):
    FOUND_AT_SCHOOL = "found_at_school"
    RETURNED_TO_THIS_SCHOOL = "returned_to_this_school"
    EDUCATED_AT_HOME = "educated_at_home"
    LEFT_ENGLAND = "left_england"
    STILL_MISSING_REFERRED = "still_missing_referred"


CME_OUTCOME_LABELS = {
    CmeOutcome.FOUND_AT_SCHOOL: "Found on the roll of another school",
    CmeOutcome.RETURNED_TO_THIS_SCHOOL: "Found and attending this school",
    CmeOutcome.EDUCATED_AT_HOME: "Educated at home (elective home education)",
    CmeOutcome.LEFT_ENGLAND: "Left England",
    CmeOutcome.STILL_MISSING_REFERRED: "Still missing: referred on",
}
ENQUIRY_BY_LABELS = {EnquiryBy.SCHOOL: "the school", EnquiryBy.LA: "the LA"}

# What each CME record must say (field -> the words for it); blank answers are refused, naming the field.
CME_ENQUIRY_REQUIRED = {"made_by": "who made the enquiry", "what_was_done": "what was done",
                        "result": "what it found"}
CME_OUTCOME_REQUIRED = {"details": "how the outcome was established"}


class CmeEnquiryDetails(BaseModel):
    """One reasonable enquiry: whose (school or LA), who made it, what was done and what it found (its date is the
    step's effective date)."""

    by: EnquiryBy
    made_by: str = Field(min_length=1, max_length=200)  # a name and role, e.g. "J Patel, attendance officer"
    what_was_done: str = Field(min_length=1, max_length=2000)  # calls, home visit, siblings' schools, neighbours
    result: str = Field(min_length=1, max_length=2000)


class CmeOutcomeDetails(BaseModel):
    """How the concern ended: where the child is now, or that they are still missing and to whom they were
    referred. A new school is named by URN or name; still missing needs who it was referred to."""

    outcome: CmeOutcome
    details: str = Field(min_length=1, max_length=2000)
    new_school: str = Field(default="", max_length=200)  # URN or name, for found_at_school
    referred_to: str = Field(default="", max_length=200)  # e.g. police, children's social care
