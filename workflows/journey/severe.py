"""Severe absence (rules.md s10: 50% or more of sessions missed): the joint approach with the LA. The LA's named
contact for attendance joins the case, a whole-family plan is agreed with the other agencies involved, and home
visits are recorded as a court would need them. Pure state changes and refusals; the workflow sends what is queued."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from temporalio import workflow

from workflows.journey import policy as rules
from workflows.journey.state import DeadlineKind, HomeVisit, JoinedContact, JourneyState, WholeFamilyPlan

with workflow.unsafe.imports_passed_through():
    from shared.contracts.casework import CaseParticipant
    from shared.contracts.journey import STAGE_LABELS, ActionName, JourneyPolicy, JourneyStatus
    from shared.contracts.notifications import RecipientRole, TemplateName

A = ActionName
K = DeadlineKind
T = TemplateName

NOT_SEVERE = ("A whole-family plan is for a severely absent pupil (absent for 50% or more of possible sessions): "
              "register has not reported this pupil as severely absent")
LA_CONTACT_ROLE = "la_attendance_contact"


def needs_la_contact(state: JourneyState) -> bool:
    """A severely absent pupil's open case the LA's named contact has not joined yet."""
    return state.status is JourneyStatus.OPEN and state.is_severely_absent() and state.la_contact is None


def join_la_contact(state: JourneyState, now: datetime, policy: JourneyPolicy, wid: str) -> None:
    """The LA's named contact joins the case and is told, once per journey. Without one set up, the case says so
    (once) rather than pretending someone from the LA is involved."""
    contact = policy.la_attendance_contact
    today = now.date()
    state.la_contact = JoinedContact(name=contact.name if contact else None,
                                     email=contact.email if contact else None, joined_on=today)
    if contact is None:
        state.add_entry("participant_missing", "Severely absent: the LA has no named contact for attendance set up, "
                        "so nobody from the LA has joined the case; agree the joint approach with the LA directly",
                        now, role=LA_CONTACT_ROLE)
        return
    state.add_entry("participant_joined", f"{contact.name}, the LA's named contact for attendance, joined the case "
                    "(severe absence: a joint approach with the LA)", now, role=LA_CONTACT_ROLE,
                    name=contact.name, email=contact.email)
    state.notify(f"{wid}:{state.journey_ref}:{T.SEVERE_ABSENCE_LA_CONTACT}", T.SEVERE_ABSENCE_LA_CONTACT,
                 RecipientRole.LA_ATTENDANCE_CONTACT, pupil_id=state.pupil_id, school_urn=state.school_urn,
                 stage=STAGE_LABELS[state.stage], lead_practitioner=state.lead_practitioner,
                 joined_on=today.isoformat(), la_contact={"name": contact.name, "email": contact.email})


def participants(state: JourneyState) -> list[CaseParticipant]:
    joined = state.la_contact
    if joined is None or joined.name is None:
        return []
    return [CaseParticipant(role=LA_CONTACT_ROLE, name=joined.name, email=joined.email, joined_on=joined.joined_on,
                            reason="severe absence: joint approach with the LA")]


def agree_plan(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    plan = WholeFamilyPlan(plan_id=s.next_id("wfp"), agreed_on=today, lead_professional=d["lead_professional"].strip(),
                           agencies=[{"agency": a["agency"].strip(), "will_do": a["will_do"].strip()}
                                     for a in d["agencies"]],
                           actions=[a.strip() for a in d["actions"] if a.strip()], review_on=d["review_date"])
    s.whole_family_plans.append(plan)
    s.set_deadline(f"{K.WHOLE_FAMILY_PLAN_REVIEW}:{plan.plan_id}", K.WHOLE_FAMILY_PLAN_REVIEW,
                   "Whole-family plan review", plan.review_on, plan.plan_id)
    agencies = ", ".join(a["agency"] for a in plan.agencies)
    return f"Whole-family plan agreed with {agencies}; lead professional {plan.lead_professional}; " \
           f"review by {plan.review_on}"


def review_plan(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    plan = s.open_family_plan()
    assert plan is not None
    key = f"{K.WHOLE_FAMILY_PLAN_REVIEW}:{plan.plan_id}"
    if d["next_review_date"]:
        plan.review_on = d["next_review_date"]
        s.set_deadline(key, K.WHOLE_FAMILY_PLAN_REVIEW, "Whole-family plan review", plan.review_on, plan.plan_id)
        return f"Whole-family plan reviewed ({d['outcome'].value.replace('_', ' ')}); next review {plan.review_on}"
    plan.status = d["outcome"].value
    s.clear_deadline(key)
    return "Whole-family plan reviewed: " + ("attendance improved" if plan.status == "improved" else
                                             "no improvement, consider formal support or legal intervention")


def home_visit(s: JourneyState, d: dict[str, Any], today: date, p: JourneyPolicy, wid: str) -> str:
    visit = HomeVisit(visited_on=today, attendees=_lines(d["attendees"]), seen=_lines(d["seen"]),
                      observations=d["observations"].strip(), agreed=d["agreed"].strip(),
                      next_steps=d["next_steps"].strip())
    s.home_visits.append(visit)
    return f"Home visit on {today} by {', '.join(visit.attendees)}; seen: {', '.join(visit.seen)}"


def _lines(values: list[str]) -> list[str]:
    return [v.strip() for v in values if v.strip()]


def precondition(state: JourneyState, name: ActionName) -> str | None:
    if name is A.AGREE_WHOLE_FAMILY_PLAN:
        if not state.is_severely_absent():
            return NOT_SEVERE
        return "Review the open whole-family plan first" if state.open_family_plan() else None
    if name is A.REVIEW_WHOLE_FAMILY_PLAN:
        return None if state.open_family_plan() else "There is no open whole-family plan to review"
    return None


# What each record must say, not only contain: field -> what it says (blank answers are refused).
_REQUIRED = {
    A.AGREE_WHOLE_FAMILY_PLAN: {"lead_professional": "who the lead professional is",
                                "actions": "the actions agreed"},
    A.RECORD_HOME_VISIT: {"attendees": "who made the visit", "seen": "who was seen",
                          "observations": "what was observed", "agreed": "what was agreed",
                          "next_steps": "the next steps"},
}


def details_refusal(state: JourneyState, name: ActionName, d: dict[str, Any], day: date, today: date,
                    policy: JourneyPolicy) -> str | None:
    for field, words in _REQUIRED.get(name, {}).items():
        value = d[field]
        if not (_lines(value) if isinstance(value, list) else value.strip()):
            return f"details.{field}: say {words}"
    weeks = policy.action_plan_review_school_weeks
    if name is A.AGREE_WHOLE_FAMILY_PLAN:
        for agency in d["agencies"]:
            if not agency["agency"].strip() or not agency["will_do"].strip():
                return "details.agencies: name each agency involved and say what it will do"
        return rules.review_date_refusal(state.school_calendar, day, today, d["review_date"], weeks,
                                         "whole-family plan review")
    if name is A.REVIEW_WHOLE_FAMILY_PLAN and d["next_review_date"]:
        return rules.review_date_refusal(state.school_calendar, day, today, d["next_review_date"], weeks,
                                         "whole-family plan review")
    return None
