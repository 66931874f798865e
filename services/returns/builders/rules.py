"""The thresholds and local choices the builders apply (statutory values as defaults, local ones marked)."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field


class ReturnRules(BaseModel):
    # 2024 Regs reg 13: the most junior class starting on the first day of the school year is exempt from
    # the new pupil return unless the LA has asked for such returns.
    la_asks_for_junior_class_starters: bool = False
    new_pupil_return_days: int = Field(default=5, ge=0)
    continuous_absence_school_days: int = Field(default=10, ge=1)
    sickness_school_days: int = Field(default=15, ge=1)
    # "Failing to attend regularly" has no national definition [rules.md s8, M]. Local criterion: unauthorised
    # absence of at least this share of the possible sessions in the return period (None switches it off).
    # Default 10%, the persistent-absence line applied to unauthorised absence only: illness has its own
    # return and authorised absence was agreed by the school.
    irregular_unauthorised_absence_percent: Decimal | None = Decimal("10")
    irregular_attendance_min_possible_sessions: int = Field(default=10, ge=1)
    # Local practice: attendance and sickness returns are due this many days after the period ends.
    periodic_return_due_days: int = Field(default=5, ge=0)
