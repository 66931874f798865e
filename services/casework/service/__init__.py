"""Casework's rules: receiving register events, applying the journey's projection, reading and acting on
case files within the caller's scope, and the audit log."""

from services.casework.service.audit import list_audit
from services.casework.service.cases import (
    case_file,
    dashboard,
    list_cases,
    open_case,
    record_decision,
    take_action,
)
from services.casework.service.context import Casework, CaseworkApp
from services.casework.service.events import receive_event, record_projection
from services.casework.service.evidence import evidence_bundle
from services.casework.service.family import family_view
from services.casework.service.previews import preview
from services.casework.service.pupils import pupil_view
from services.casework.service.schools import school_summary
from services.casework.service.tsm import TsmPack, tsm_pack

__all__ = [
    "Casework",
    "CaseworkApp",
    "case_file",
    "dashboard",
    "evidence_bundle",
    "family_view",
    "list_audit",
    "list_cases",
    "open_case",
    "preview",
    "pupil_view",
    "receive_event",
    "record_decision",
    "record_projection",
    "school_summary",
    "take_action",
    "tsm_pack",
    "TsmPack",
]
