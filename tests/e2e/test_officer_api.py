"""An EWO advances a demo journey through the casework API on the running system: decision log, penalty notice
to a parent (a PDF letter for the post), payment recorded; an illegal step is refused with a reason."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest

from scripts.embedded import EmbeddedSystem
from shared import clock
from shared.auth import Role
from shared.demo import DEMO_LA_CODE
from shared.settings import PlatformSettings
from tests.support.identities import bearer, service_headers, token_for
from tests.support.waiting import wait_for

pytestmark = pytest.mark.e2e

SETTINGS = PlatformSettings(environment="test")
EWO = bearer(token_for(SETTINGS, Role.LA_EWO, la_code=DEMO_LA_CODE, name="Daniel Price"))


def cases_over_penalty_threshold(system: EmbeddedSystem) -> list[dict[str, Any]]:
    """PA cases whose journeys have heard from the register that the penalty threshold is met, and that have no
    penalty notice yet."""
    casework, register = system.config.url("casework"), system.config.url("register")
    cases = httpx.get(f"{casework}/api/v1/cases", params={"stage": "persistent_absence", "limit": 100}, headers=EWO,
                      timeout=10).json()["items"]
    found = []
    for case in cases:
        figures = httpx.get(f"{register}/internal/pupils/{case['pupil_id']}/figures",
                            headers=service_headers(SETTINGS, "casework", "register"), timeout=10).json()
        if not figures.get("penalty_threshold_met"):
            continue
        timeline = httpx.get(f"{casework}/api/v1/cases/{case['pupil_id']}", headers=EWO, timeout=10).json()["timeline"]
        heard = any(e["kind"] in ("register_event", "register_fact") and "penalty" in e["title"].lower()
                    for e in timeline)
        if heard and not any(e["kind"] == "issue_penalty_notice" for e in timeline):
            found.append(case)
    return found


def case_over_penalty_threshold(system: EmbeddedSystem, *, plain: bool = False) -> dict[str, Any] | None:
    """The first such case of compulsory school age; `plain` asks for one without SEND, medical or social-care
    adaptations."""
    adapted = ("sen_support", "ehcp", "medical_condition", "has_social_worker", "looked_after")
    for case in cases_over_penalty_threshold(system):
        # Penalty notices exist only for children of compulsory school age (not most Reception pupils).
        if case["flags"]["compulsory_school_age"] and not (plain and any(case["flags"][f] for f in adapted)):
            return case
    return None


def act(system: EmbeddedSystem, pupil_id: str, action: str, **details: Any) -> httpx.Response:
    return httpx.post(f"{system.config.url('casework')}/api/v1/cases/{pupil_id}/actions",
                      json={"action": action, "details": details}, headers=EWO, timeout=30)


def test_ewo_issues_a_penalty_notice_and_records_its_payment(system: EmbeddedSystem) -> None:
    case = wait_for(lambda: case_over_penalty_threshold(system), timeout=120)
    pupil_id = str(case["pupil_id"])

    refused = act(system, pupil_id, "issue_penalty_notice", parent="parent-1")
    assert refused.status_code == 409
    # Without a decision log (and, for SEND, medical or social-care pupils, the adjustments) it is refused.
    assert any(word in refused.json()["detail"].lower() for word in ("decision", "adjustments"))

    # The adapted path names the partner holding each plan (an EHC plan: the LA's SEN team; looked after: the
    # virtual school head).
    partners = ["SENCO", "school nurse"] + (["LA SEN team"] if case["flags"]["ehcp"] else []) + \
        (["Virtual school head"] if case["flags"]["looked_after"] else [])
    decided = act(system, pupil_id, "record_decision", support_offered="Action plan, EWO home visits",
                  support_taken_up=False, family_view="Parents say the mornings are hard", safeguarding="None known",
                  adjustments="Reduced timetable tried for two weeks", partners_consulted=partners)
    assert decided.status_code == 200, decided.text
    # Support first: a legal step needs the support offered recorded (what, who, when, how the family responded).
    unsupported = act(system, pupil_id, "issue_penalty_notice", parent="parent-1", service_method="by_hand")
    assert unsupported.status_code == 409
    assert "support" in unsupported.json()["detail"].lower()
    supported = act(system, pupil_id, "record_support", what="EWO home visits", provider="Northshire EWS",
                    start_date=(clock.today() - timedelta(days=30)).isoformat(), response="declined")
    assert supported.status_code == 200, supported.text
    issued = act(system, pupil_id, "issue_penalty_notice", parent="parent-1", service_method="by_hand")
    assert issued.status_code == 200, issued.text

    def case_file() -> dict[str, Any]:
        return httpx.get(f"{system.config.url('casework')}/api/v1/cases/{pupil_id}", headers=EWO, timeout=10).json()

    def penalty_letters() -> list[dict[str, Any]]:
        letters = [n for n in case_file()["notifications"] or [] if n["template"] == "penalty_notice_parent"]
        # Queued while the PDF is being made; wait for the outcome.
        return letters if letters and all(n["status"] != "queued" for n in letters) else []

    # A penalty notice is served on paper: the letter is a PDF for the post, not an email.
    letters = wait_for(penalty_letters, timeout=90)
    # One notice per parent: only parent-1 is served, not every parent.
    assert [(n["channel"], n["status"]) for n in letters] == [("letter", "sent")]
    pdf = httpx.get(f"{system.config.url('notifications')}/internal/notifications/{letters[0]['notification_id']}"
                    "/letter.pdf", headers=service_headers(SETTINGS, "casework", "notifications"), timeout=30)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    file = case_file()
    notice_entry = next(e for e in file["timeline"] if e["kind"] == "issue_penalty_notice")
    found = re.search(r"\((pn-\d+)\)", notice_entry["title"])
    assert found, notice_entry
    notice_id = found.group(1)
    paid = act(system, pupil_id, "record_penalty_payment", notice_id=notice_id, amount_pence=8000)
    assert paid.status_code == 200, paid.text
    assert not any(a["action"] == "record_penalty_payment" for a in paid.json()["available_actions"])
