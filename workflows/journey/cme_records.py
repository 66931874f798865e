"""A children missing education (CME) concern as the journey keeps it: what opened it, the enquiry deadlines, the
reasonable enquiries of the school and the LA, and the outcome. Records only; cme.py holds the rules."""

from __future__ import annotations

from datetime import date

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from pydantic import BaseModel, Field


class CmeTrigger(BaseModel):
    """A register fact that gives reason to think the child may be missing education."""

    event_id: str
    event_type: str  # did_not_arrive, pending_deletion, continuous_unauthorised_absence
    on: date
    summary: str


class CmeEnquiry(BaseModel):
    enquiry_id: str
    by: str  # school, la
    made_by: str
    made_on: date
    what_was_done: str
    result: str
    recorded_by: str = ""


class CmeConcern(BaseModel):
    concern_id: str
    opened_on: date
    triggers: list[CmeTrigger] = Field(default_factory=list)
    school_enquiries_due: date
    la_enquiries_due: date
    # Set when a due date had to be counted in working days (the school's calendar not known that far).
    due_note: str | None = None
    cme_officer: str | None = None  # the LA's CME officer told; None when the LA has none set up
    enquiries: list[CmeEnquiry] = Field(default_factory=list)
    status: str = "open"  # open, closed
    outcome: str | None = None
    outcome_details: str = ""
    new_school: str = ""
    referred_to: str = ""
    closed_on: date | None = None

    def enquired(self, by: str) -> bool:
        return any(e.by == by for e in self.enquiries)
