"""Request bodies of a school's duties (rules.md s10): its attendance policy, its senior attendance champion and
the LA's named point of contact for it. The answers are shared contracts (casework shows them)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field, HttpUrl

from shared.contracts.register import AttendanceChampion as AttendanceChampion
from shared.contracts.register import SchoolLaContact as SchoolLaContact


class AttendancePolicyIn(BaseModel):
    """The policy as published on the school's website (rules.md s10: "Policy on website")."""

    url: HttpUrl = Field(description="Where the policy is published (http or https)")
    review_date: date = Field(description="When the school next reviews the policy")
    covers: list[str] = Field(default_factory=list, max_length=50,
                              description="The required items the policy covers (keys from GET .../duties)")


class IndependentIn(BaseModel):
    """Whether the school is independent (as the LA's roll of schools has it, from the DfE's register of
    establishments): registers and returns apply to it, penalty notices do not (rules.md s1 [M])."""

    independent: bool
