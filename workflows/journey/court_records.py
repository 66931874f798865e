"""What the journey keeps of court hearings and parenting orders (kept apart from state.py for size)."""

from __future__ import annotations

from datetime import date

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from pydantic import BaseModel


class CourtHearing(BaseModel):
    """One hearing of the prosecution: its date, what the court decided, and when it sits again if adjourned."""

    heard_on: date
    outcome: str  # convicted, acquitted, withdrawn, adjourned
    next_hearing_on: date | None = None


class ParentingOrder(BaseModel):
    """A parenting order made on conviction (Sentencing Act 2020 s369): requirements for up to 12 months, and a
    counselling or guidance programme of up to 3 months. Breach is an offence (level 3 fine)."""

    made_on: date
    requirements: str
    starts_on: date
    months: int
    ends_on: date  # the last day of the requirements
    programme: str = ""
    programme_ends_on: date | None = None
