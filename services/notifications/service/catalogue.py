"""What each template is for, who receives it, which channels suit it and the context the journey must send.

The example contexts double as documentation of each template's inputs and as the data the tests and
the casework preview render with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shared.contracts.notifications import TEMPLATE_LABELS, Channel, RecipientRole, TemplateName

N_ABSENCE = {"session_date": "2026-11-25", "session": "AM", "code": "N", "school_urn": "900002"}
DELETION = {"deletion_date": "2026-12-04", "deletion_ground": "the pupil has been registered at another school"}


@dataclass(frozen=True)
class TemplateSpec:
    recipient_role: RecipientRole
    label: str
    example_context: dict[str, Any] = field(default_factory=dict)
    channels: tuple[Channel, ...] = (Channel.EMAIL,)


_PARENT_LETTER = (Channel.EMAIL, Channel.LETTER)
_PARENT_SHORT = (Channel.EMAIL, Channel.SMS, Channel.LETTER)

TEMPLATES: dict[TemplateName, TemplateSpec] = {
    TemplateName.UNEXPLAINED_ABSENCE_SOCIAL_WORKER: TemplateSpec(
        RecipientRole.SOCIAL_WORKER,
        TEMPLATE_LABELS[TemplateName.UNEXPLAINED_ABSENCE_SOCIAL_WORKER],
        N_ABSENCE,
        (Channel.EMAIL, Channel.SMS),
    ),
    TemplateName.UNEXPLAINED_ABSENCE_YOUTH_JUSTICE_WORKER: TemplateSpec(
        RecipientRole.YOUTH_JUSTICE_WORKER,
        TEMPLATE_LABELS[TemplateName.UNEXPLAINED_ABSENCE_YOUTH_JUSTICE_WORKER],
        N_ABSENCE,
        (Channel.EMAIL, Channel.SMS),
    ),
    TemplateName.UNEXPLAINED_ABSENCE_VIRTUAL_SCHOOL_HEAD: TemplateSpec(
        RecipientRole.VIRTUAL_SCHOOL_HEAD,
        TEMPLATE_LABELS[TemplateName.UNEXPLAINED_ABSENCE_VIRTUAL_SCHOOL_HEAD],
        N_ABSENCE,
    ),
    TemplateName.FIRST_DAY_ABSENCE_PARENT: TemplateSpec(
        RecipientRole.PARENTS,
        TEMPLATE_LABELS[TemplateName.FIRST_DAY_ABSENCE_PARENT],
        {"session_date": "2026-11-25", "session": "AM"},
        _PARENT_SHORT,
    ),
    TemplateName.PENDING_DELETION_SOCIAL_WORKER: TemplateSpec(
        RecipientRole.SOCIAL_WORKER, TEMPLATE_LABELS[TemplateName.PENDING_DELETION_SOCIAL_WORKER], DELETION
    ),
    TemplateName.PENDING_DELETION_VIRTUAL_SCHOOL_HEAD: TemplateSpec(
        RecipientRole.VIRTUAL_SCHOOL_HEAD, TEMPLATE_LABELS[TemplateName.PENDING_DELETION_VIRTUAL_SCHOOL_HEAD], DELETION
    ),
    TemplateName.ATTENDANCE_CONCERN_VIRTUAL_SCHOOL_HEAD: TemplateSpec(
        RecipientRole.VIRTUAL_SCHOOL_HEAD,
        TEMPLATE_LABELS[TemplateName.ATTENDANCE_CONCERN_VIRTUAL_SCHOOL_HEAD],
        {
            "concern": "persistent absence",
            "attendance_rate": "86.4",
            "period_start": "2026-09-03",
            "period_end": "2026-11-24",
        },
    ),
    TemplateName.TRAFFIC_LIGHT_LETTER_PARENT: TemplateSpec(
        RecipientRole.PARENTS,
        TEMPLATE_LABELS[TemplateName.TRAFFIC_LIGHT_LETTER_PARENT],
        {
            "band": "amber",
            "attendance_rate": "91.2",
            "possible_sessions": 102,
            "absence_sessions": 9,
            "period_start": "2026-09-03",
            "period_end": "2026-10-23",
        },
        _PARENT_LETTER,
    ),
    TemplateName.MEETING_INVITATION_PARENT: TemplateSpec(
        RecipientRole.PARENTS,
        TEMPLATE_LABELS[TemplateName.MEETING_INVITATION_PARENT],
        {"meeting_date": "2026-12-02", "meeting_time": "15:30", "meeting_place": "the school office"},
        _PARENT_SHORT,
    ),
    TemplateName.ACTION_PLAN_PARENT: TemplateSpec(
        RecipientRole.PARENTS,
        TEMPLATE_LABELS[TemplateName.ACTION_PLAN_PARENT],
        {
            "review_date": "2027-01-13",
            "actions": [
                "Ava will arrive by 8:40am each day",
                "School will offer a place at breakfast club",
                "A weekly check-in with Mr Patel on Mondays",
            ],
        },
        _PARENT_LETTER,
    ),
    TemplateName.ATTENDANCE_CONTRACT_PARENT: TemplateSpec(
        RecipientRole.PARENTS,
        TEMPLATE_LABELS[TemplateName.ATTENDANCE_CONTRACT_PARENT],
        {
            "contract_start_date": "2026-12-01",
            "review_date": "2027-01-12",
            "parent_commitments": [
                "Make sure Ava is in school by 8:40am",
                "Tell the school by 9am on any day Ava cannot attend",
            ],
            "support_offered": ["Breakfast club place", "Referral to the family support worker"],
        },
        _PARENT_LETTER,
    ),
    TemplateName.NOTICE_TO_IMPROVE_PARENT: TemplateSpec(
        RecipientRole.PARENTS,
        TEMPLATE_LABELS[TemplateName.NOTICE_TO_IMPROVE_PARENT],
        {
            "unauthorised_sessions": 11,
            "period_start": "2026-09-03",
            "period_end": "2026-11-13",
            "improvement_period_end": "2027-01-08",
            "support_offered": ["Attendance action plan", "Breakfast club place"],
            "sufficient_improvement": "no unauthorised absence during the improvement period",
            "early_issue_grounds": "there is any further unauthorised absence that is not explained within"
            " two school days",
            "signatory": {"name": "Mrs Joanna Hale", "role": "headteacher", "on_behalf_of": "school",
                          "title": "Headteacher"},
        },
        _PARENT_LETTER,
    ),
    TemplateName.PENALTY_NOTICE_PARENT: TemplateSpec(
        RecipientRole.PARENTS,
        TEMPLATE_LABELS[TemplateName.PENALTY_NOTICE_PARENT],
        {
            "notice_reference": "PN-999-2026-0042",
            "issue_date": "2027-01-15",
            "unauthorised_sessions": 12,
            "period_start": "2026-11-02",
            "period_end": "2027-01-14",
            "amount_pence": 16000,
            "discounted_amount_pence": 8000,
            "discount_by_date": "2027-02-05",
            "pay_by_date": "2027-02-12",
            "how_to_pay": "online at northshire.example.gov/penalty quoting the notice reference, or by"
            " phone on 01632 960 123",
            "signatory": {"name": "Daniel Price", "role": "la_ewo", "on_behalf_of": "local_authority",
                          "organisation": "Northshire County Council"},
        },
        (Channel.LETTER, Channel.EMAIL),
    ),
    TemplateName.IMPROVEMENT_PRAISE_PARENT: TemplateSpec(
        RecipientRole.PARENTS,
        TEMPLATE_LABELS[TemplateName.IMPROVEMENT_PRAISE_PARENT],
        {
            "attendance_rate": "96.1",
            "previous_attendance_rate": "88.5",
            "period_start": "2026-11-02",
            "period_end": "2026-12-18",
        },
        _PARENT_SHORT,
    ),
    TemplateName.ESCALATION_EWO: TemplateSpec(
        RecipientRole.EWO,
        TEMPLATE_LABELS[TemplateName.ESCALATION_EWO],
        {"reason": "no improvement after the attendance contract review", "stage": "Formal support"},
    ),
    TemplateName.DEADLINE_LAPSED_ATTENDANCE_LEAD: TemplateSpec(
        RecipientRole.ATTENDANCE_LEAD,
        TEMPLATE_LABELS[TemplateName.DEADLINE_LAPSED_ATTENDANCE_LEAD],
        {"deadline_name": "action plan review", "deadline_date": "2026-11-20"},
    ),
    TemplateName.CONTACT_DETAILS_MISSING_ATTENDANCE_LEAD: TemplateSpec(
        RecipientRole.ATTENDANCE_LEAD,
        TEMPLATE_LABELS[TemplateName.CONTACT_DETAILS_MISSING_ATTENDANCE_LEAD],
        {
            "failed_template_label": "Unexplained absence (social worker)",
            "missing_role": "social worker",
            "failure_reason": "no social worker recorded",
        },
    ),
    TemplateName.SEVERE_ABSENCE_LA_CONTACT: TemplateSpec(
        RecipientRole.LA_ATTENDANCE_CONTACT,
        TEMPLATE_LABELS[TemplateName.SEVERE_ABSENCE_LA_CONTACT],
        {
            "stage": "Severe absence",
            "lead_practitioner": "school",
            "joined_on": "2026-11-26",
            "la_contact": {"name": "Priya Shah", "email": "attendance.lead@northshire.example.gov"},
        },
    ),
    TemplateName.CME_CONCERN_LA_OFFICER: TemplateSpec(
        RecipientRole.LA_CME_OFFICER,
        TEMPLATE_LABELS[TemplateName.CME_CONCERN_LA_OFFICER],
        {
            "reasons": ["New pupil did not arrive on the agreed start day (2026-12-01)"],
            "opened_on": "2026-12-02",
            "school_enquiries_due": "2026-12-09",
            "la_enquiries_due": "2026-12-16",
            "cme_officer": {"name": "Tom Okafor", "email": "cme@northshire.example.gov"},
        },
    ),
    TemplateName.ACCESSIBLE_FORMAT_NEEDED_ATTENDANCE_LEAD: TemplateSpec(
        RecipientRole.ATTENDANCE_LEAD,
        TEMPLATE_LABELS[TemplateName.ACCESSIBLE_FORMAT_NEEDED_ATTENDANCE_LEAD],
        {
            "letter_label": "Notice to improve",
            "parent_name": "Jane Thompson",
            "format_label": "Braille",
            "channel": "post",
            "language_label": "English",
        },
    ),
}

ROLE_LABELS = {
    RecipientRole.PARENTS: "parent",
    RecipientRole.SOCIAL_WORKER: "social worker",
    RecipientRole.YOUTH_JUSTICE_WORKER: "youth justice worker",
    RecipientRole.VIRTUAL_SCHOOL_HEAD: "virtual school head",
    RecipientRole.ATTENDANCE_LEAD: "attendance lead",
    RecipientRole.EWO: "education welfare officer",
    RecipientRole.LA_ATTENDANCE_CONTACT: "LA named contact for attendance",
    RecipientRole.LA_CME_OFFICER: "LA children missing education officer",
}


def spec_for(template: str) -> TemplateSpec | None:
    try:
        return TEMPLATES[TemplateName(template)]
    except ValueError:
        return None
