"""The adapted path (rules.md s10, "Medical/SEND", "Looked after"): before any legal step for a pupil with an EHC
plan, an individual healthcare plan or a personal education plan (every looked-after child has one), the decision
factors record the adjustments made and name the partner who holds the plan; for other SEND, medical or
social-care pupils, the adjustments and the partners consulted. Refusals say exactly what is missing."""

from __future__ import annotations

import re
from dataclasses import dataclass

from temporalio import workflow

from workflows.journey.state import Decision

with workflow.unsafe.imports_passed_through():
    from shared.contracts.register import PupilFlags


@dataclass(frozen=True)
class Plan:
    flag: str
    has: str  # "has an EHC plan"
    partner: str  # the partner to name, as the refusal says it
    example: str
    names: re.Pattern[str]  # how an entry of partners_consulted names that partner


PLANS = (
    Plan("ehcp", "has an EHC plan", "the LA's SEN team", "SEN team: <name>",
         re.compile(r"\bsend?\b[\w\s'-]*\b(team|service|casework|caseworker|case worker|officer)\b"
                    r"|\behcp?\b[\w\s'-]*\b(team|coordinator|co-ordinator|caseworker|case worker|officer)\b",
                    re.IGNORECASE)),
    Plan("looked_after", "is looked after (a personal education plan)", "the virtual school head",
         "Virtual school head: <name>", re.compile(r"\bvirtual school\b|\bvsh\b", re.IGNORECASE)),
    Plan("individual_healthcare_plan", "has an individual healthcare plan", "health",
         "School nurse: <name>",
         re.compile(r"\bhealth\b|\bnurse\b|\bpa?ediatric|\bgp\b|\bnhs\b|\bcamhs\b|\bdoctor\b", re.IGNORECASE)),
)
# Other needs that adapt the path without a plan holder to name.
OTHER_NEEDS = ("sen_support", "medical_condition", "has_social_worker", "child_protection_plan", "child_in_need")


def plans_of(flags: PupilFlags) -> list[Plan]:
    return [p for p in PLANS if getattr(flags, p.flag)]


def needs_adapted_path(flags: PupilFlags) -> bool:
    return bool(plans_of(flags)) or any(getattr(flags, f) for f in OTHER_NEEDS)


def refusal(flags: PupilFlags, latest: Decision) -> str | None:
    """What the latest decision factors lack before a legal step for this pupil, or None."""
    if not needs_adapted_path(flags):
        return None
    plans = plans_of(flags)
    missing = []
    if not latest.adjustments.strip():
        missing.append("the adjustments made for the pupil (details.adjustments)")
    partners = [p for p in latest.partners_consulted if p.strip()]
    unnamed = [p for p in plans if not any(p.names.search(entry) for entry in partners)]
    if unnamed:
        examples = "; ".join(f"'{p.example}'" for p in unnamed)
        missing.append(f"the partners consulted naming {' and '.join(p.partner for p in unnamed)} "
                       f"(details.partners_consulted, for example {examples})")
    elif not partners:
        missing.append("the partners consulted (details.partners_consulted)")
    if not missing:
        return None
    who = " and ".join(p.has for p in plans) if plans else "has special educational, medical or social-care needs"
    return f"This pupil {who}: before a legal step, record in the decision factors {' and '.join(missing)}"
