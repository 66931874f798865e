"""Who may take each step (CaseworkSettings.step_roles), checked before a step reaches the journey, and the words
a refusal uses, so the API and the officer UI say the same thing."""

from __future__ import annotations

from collections.abc import Iterable

from services.casework.exceptions import StepNotPermitted
from services.casework.settings import CaseworkSettings
from shared.auth import LA_ROLES, Identity, Role

PRIOR_PENALTY_NOTICE = "record_prior_penalty_notice"

# How a refusal names a role ("needs a headteacher or an LA officer").
ROLE_NOUNS = {
    Role.SCHOOL_ATTENDANCE_OFFICER: "a school attendance officer",
    Role.SENIOR_ATTENDANCE_CHAMPION: "a senior attendance champion",
    Role.HEADTEACHER: "a headteacher",
    Role.GOVERNOR: "a governor",
    Role.LA_EWO: "an LA officer",
    Role.SOCIAL_WORKER: "a social worker",
    Role.VIRTUAL_SCHOOL_HEAD: "a virtual school head",
    Role.DATA_PROTECTION_LEAD: "a data protection lead",
    Role.SERVICE: "a system service",
}

# How a refusal names the step; a step not here is named by its action.
STEP_GERUNDS = {
    "open_case": "Opening a case",
    "invite_to_meeting": "Inviting parents to an attendance meeting",
    "record_meeting": "Recording an attendance meeting",
    "agree_action_plan": "Agreeing an action plan",
    "review_action_plan": "Reviewing the action plan",
    "refer_early_help": "Referring to early help",
    "refer_social_care": "Referring to children's social care",
    "record_tsm_discussion": "Recording a Targeting Support Meeting discussion",
    "offer_attendance_contract": "Offering an attendance contract",
    "sign_attendance_contract": "Recording a signed attendance contract",
    "review_attendance_contract": "Reviewing the attendance contract",
    "record_contract_breach": "Recording a contract breach",
    "record_decision": "Recording the decision factors",
    "record_support": "Recording support",
    "record_support_inappropriate": "Recording that support was not appropriate",
    "start_fast_track": "Starting fast track",
    "issue_notice_to_improve": "Issuing a notice to improve",
    "issue_penalty_notice": "Issuing a penalty notice",
    "record_penalty_payment": "Recording a penalty notice payment",
    "withdraw_penalty_notice": "Withdrawing a penalty notice",
    "apply_for_eso": "Applying for an education supervision order",
    "record_eso_decision": "Recording the court's ESO decision",
    "review_eso": "Reviewing the education supervision order",
    "extend_eso": "Extending the education supervision order",
    "decide_prosecution": "Deciding to prosecute",
    "record_court_outcome": "Recording the court outcome",
    "close_case": "Closing the case",
    "reopen_case": "Reopening the case",
    PRIOR_PENALTY_NOTICE: "Recording a penalty notice from another local authority",
    "agree_whole_family_plan": "Agreeing a whole-family plan",
    "review_whole_family_plan": "Reviewing the whole-family plan",
    "record_home_visit": "Recording a home visit",
    "record_cme_enquiry": "Recording a reasonable enquiry for a child who may be missing education",
    "record_cme_outcome": "Recording the outcome of a missing education concern",
}


def roles_for(settings: CaseworkSettings, action: str) -> list[Role]:
    return list(settings.step_roles.get(action, settings.default_step_roles))


def may_take(settings: CaseworkSettings, identity: Identity, action: str) -> bool:
    # A service never takes an officer's step: the journey's own moves are not officer actions.
    return identity.role is not Role.SERVICE and identity.role in roles_for(settings, action)


def permitted(settings: CaseworkSettings, identity: Identity, actions: Iterable[str]) -> list[str]:
    """The actions of `actions` this identity's role may take, in their order."""
    return [action for action in actions if may_take(settings, identity, action)]


def _either(nouns: list[str]) -> str:
    if len(nouns) <= 1:
        return "".join(nouns)
    return f"{', '.join(nouns[:-1])} or {nouns[-1]}"


def refusal(settings: CaseworkSettings, action: str) -> str:
    """Why a role may not take this step, naming the roles that may."""
    step = STEP_GERUNDS.get(action, f"The step \u201c{action.replace('_', ' ')}\u201d")
    roles = [r for r in roles_for(settings, action) if r is not Role.SERVICE]
    if not roles:
        return f"{step} is not open to any role here."
    return f"{step} needs {_either([ROLE_NOUNS.get(r, r.label.lower()) for r in roles])}."


def require_step(settings: CaseworkSettings, identity: Identity, action: str) -> None:
    """403 naming the roles needed, before anything reaches the journey."""
    if not may_take(settings, identity, action):
        raise StepNotPermitted(refusal(settings, action))


def require_enquirer(identity: Identity, action: str, details: dict[str, object]) -> None:
    """A reasonable enquiry recorded as the LA's is an LA officer's to record: 9(1)(h) and (i) deletions rest on the
    school's and the LA's enquiries being each their own."""
    if action == "record_cme_enquiry" and details.get("by") == "la" and identity.role not in LA_ROLES:
        raise StepNotPermitted("An enquiry recorded as the LA's needs an LA officer; record the school's enquiry as "
                               "the school's (details.by: school).")
