"""The register in the shape of the DfE daily attendance data share (rules.md s9): one row per pupil on roll
that day, with the characteristics the share lists and the day's session codes. No free-text comments."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.contracts.register import SessionName
from shared.contracts.returns import RegisterExtract

DFE_COLUMNS = ["school_urn", "la_code", "upn", "forename", "surname", "date_of_birth", "sex", "ethnicity", "nc_year",
               "admission_date", "leaving_date", "free_school_meals", "sen_support", "ehcp", "looked_after",
               "previously_looked_after", "child_in_need", "child_protection_plan", "session_date", "am_code",
               "pm_code"]


def dfe_daily_rows(extract: RegisterExtract, day: date) -> list[dict[str, Any]]:
    if day not in extract.school_days:
        return []  # the school did not meet: nothing to share
    codes: dict[tuple[Any, SessionName], str] = {
        (m.pupil_id, m.session): m.code for m in extract.marks if m.session_date == day}
    rows = []
    for p in extract.pupils:
        if p.admission_date > day or (p.deletion_date is not None and p.deletion_date <= day):
            continue
        c = p.characteristics
        rows.append({
            "school_urn": extract.school.urn, "la_code": extract.school.la_code, "upn": p.upn,
            "forename": p.legal_forename, "surname": p.legal_surname, "date_of_birth": p.date_of_birth.isoformat(),
            "sex": p.sex, "ethnicity": p.ethnicity, "nc_year": p.year_group,
            "admission_date": p.admission_date.isoformat(),
            "leaving_date": p.deletion_date.isoformat() if p.deletion_date else None,
            "free_school_meals": c.free_school_meals, "sen_support": c.sen_support, "ehcp": c.ehcp,
            "looked_after": c.looked_after, "previously_looked_after": c.previously_looked_after,
            "child_in_need": c.child_in_need, "child_protection_plan": c.child_protection_plan,
            "session_date": day.isoformat(), "am_code": codes.get((p.pupil_id, SessionName.AM)),
            "pm_code": codes.get((p.pupil_id, SessionName.PM))})
    return sorted(rows, key=lambda r: (r["surname"], r["forename"], r["upn"] or ""))
