"""The case page's court section (the journey view's court_orders) and the court outcome's form."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from services.casework.web.action_forms import field_specs, parse_details
from services.casework.web.templating import make_templates

pytestmark = pytest.mark.unit


def test_the_case_page_shows_hearings_the_parenting_orders_requirements_and_dates_and_the_eso() -> None:
    orders = [
        {"kind": "prosecution", "section": "s444(1)", "decided_on": "2026-11-02", "outcome": "convicted",
         "fine_pence": 12000, "hearings": [
             {"heard_on": "2026-11-20", "outcome": "adjourned", "next_hearing_on": "2026-12-04"},
             {"heard_on": "2026-12-04", "outcome": "convicted", "next_hearing_on": None}]},
        {"kind": "parenting_order", "made_on": "2026-12-04", "requirements": "Take the pupil to school every day",
         "starts_on": "2026-12-04", "months": 12, "ends_on": "2027-12-03", "programme": "Parenting skills group",
         "programme_ends_on": "2027-02-01"},
        {"kind": "education_supervision_order", "applied_on": "2026-09-01", "status": "refused",
         "decided_on": "2026-10-01", "expires_on": None, "next_review_on": None, "extensions": 0},
    ]
    html = make_templates().env.get_template("_court.html").render(
        view=SimpleNamespace(journey=SimpleNamespace(court_orders=orders)))
    assert "20 November 2026: adjourned, next hearing 4 December 2026; 4 December 2026: convicted" in html
    assert "Convicted, fined £120.00" in html
    assert "Take the pupil to school every day" in html
    assert "From 4 December 2026 to 3 December 2027 (12 months)" in html
    assert "Parenting skills group, until 1 February 2027" in html
    assert "Education supervision order" in html
    assert "Refused" in html


def test_the_court_outcome_form_asks_for_the_hearing_and_the_orders_terms() -> None:
    names = {s.name: s for s in field_specs("record_court_outcome")}
    assert names["outcome"].options == ["convicted", "acquitted", "withdrawn", "adjourned"]
    assert names["hearing_date"].kind == "date"
    assert names["parenting_order_requirements"].kind == "textarea"
    assert names["programme_end"].kind == "date"
    details, errors = parse_details("record_court_outcome", {
        "outcome": "convicted", "hearing_date": "2026-12-04", "parenting_order": "yes",
        "parenting_order_months": "12", "parenting_order_requirements": "Attend reviews",
        "parenting_order_start": "2026-12-04"})
    assert errors == {}
    assert (details["parenting_order"], details["parenting_order_start"]) == (True, "2026-12-04")
